package contract_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/bench"
	"github.com/go-aisearch/tokens/contract"
)

// fuzzCassetteLimit bounds each input and what its aliases expand to, as
// verify --max-file-size does: the fuzzer must not spend its time on one
// input.
const fuzzCassetteLimit = 1 << 20

// FuzzCassette feeds arbitrary bytes to what `verify` does with one
// cassette file (contract.VerifyData: parse with the alias bound, check every
// interaction, scan for secrets): an error or violations are fine, a panic
// or a report that does not add up is not.
//
// The seeds are single interactions, not whole fixture files: the fuzzer
// minimizes every input that finds new coverage, byte by byte, and on a
// 10 KB cassette that took longer than the whole fuzzing budget, so nothing
// was fuzzed at all (make fuzz also bounds the minimization time).
func FuzzCassette(f *testing.F) {
	for _, data := range singleInteractionCassettes(f) {
		f.Add(data)
	}
	invalid, _ := filepath.Glob(filepath.Join(bench.FixtureDir(), "invalid", "*.yaml"))
	for _, file := range invalid {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("version: 2\ninteractions: []\n"))
	f.Add([]byte("version: 2\ninteractions:\n- request: {method: GET, url: 'http://x/client/v4/accounts/a/ai-search/tokens?page=-1'}\n  response: {code: 999, body: '{'}\n"))
	f.Add([]byte("version: 2\ninteractions:\n- request: {method: 'G E T', url: '%zz'}\n"))
	f.Add([]byte("version: 2\ninteractions:\n- &i {request: {method: GET, url: 'http://x/client/v4/accounts/a/ai-search/tokens'}, response: {code: 200, body: &b '" + strings.Repeat("x", 64) + "'}}\n- *i\n- {request: {method: GET, url: 'http://x/'}, response: {code: 200, body: *b}}\n"))
	f.Add([]byte("version: 2\ninteractions: &x [*x]\n"))
	f.Add([]byte("{{{"))

	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := fuzzValidator()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := v.VerifyData(context.Background(), "fuzz.yaml", data, contract.VerifyOptions{MaxFileSize: fuzzCassetteLimit})
		if err != nil {
			return
		}
		if len(rep.Files) != 1 || rep.Interactions == 0 {
			t.Fatalf("report of one cassette: %d files, %d interactions", len(rep.Files), rep.Interactions)
		}
		for _, fl := range rep.Failures {
			if fl.File != "fuzz.yaml" || fl.Index < 0 || fl.Index >= rep.Interactions {
				t.Fatalf("failure outside the cassette: %v", fl)
			}
		}
	})
}

// singleInteractionCassettes writes each interaction of the contract
// fixtures as a cassette of its own and returns their contents.
func singleInteractionCassettes(f *testing.F) [][]byte {
	dir := f.TempDir()
	var out [][]byte
	for i, ix := range fuzzSeedInteractions() {
		file := filepath.Join(dir, fmt.Sprintf("seed-%d.yaml", i))
		if err := contract.WriteCassette(file, []contract.Interaction{ix}); err != nil {
			f.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// fuzzValidator is shared by every input of one fuzzing process.
var fuzzValidator = sync.OnceValues(contract.NewValidator)

// fuzzSeedInteractions are the contract suite's recorded interactions, the
// seed corpus (none until the suite has recorded them).
func fuzzSeedInteractions() []contract.Interaction {
	ixs, _, err := bench.FixtureInteractions()
	if err != nil {
		return nil
	}
	return ixs
}
