package fuzz_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-aisearch/tokens/bench"
	"github.com/go-aisearch/tokens/contract"
)

// FuzzCassette feeds arbitrary bytes to the contract suite's cassette
// loader and checks every interaction it yields with the validator: a load
// error or violations are fine, a panic is not.
func FuzzCassette(f *testing.F) {
	for _, dir := range []string{bench.FixtureDir(), filepath.Join(bench.FixtureDir(), "invalid")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("version: 2\ninteractions: []\n"))
	f.Add([]byte("version: 2\ninteractions:\n- request: {method: GET, url: 'http://x/client/v4/accounts/a/ai-search/tokens?page=-1'}\n  response: {code: 999, body: '{'}\n"))
	f.Add([]byte("version: 2\ninteractions:\n- request: {method: 'G E T', url: '%zz'}\n"))
	f.Add([]byte("{{{"))

	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := fuzzEnv()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ixs, err := contract.LoadCassette(path)
		if err != nil {
			return
		}
		for _, ix := range ixs {
			e.validator.Check(context.Background(), ix)
			contract.ScanInteraction(ix)
		}
		_, _ = contract.ScanFile(path)
	})
}
