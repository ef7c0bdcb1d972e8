// Package contract_test is the contract suite: every recorded fixture in
// testdata/ is validated against openapi.yaml, mutated, and replayed through
// the generated client; every fixture in testdata/invalid/ must be rejected
// for its stated reason. `make contract` runs it with -v for the report.
package contract_test

import (
	"context"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

var shared = sync.OnceValues(contract.NewValidator)

func validator(t *testing.T) *contract.Validator {
	t.Helper()
	v, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func validFiles(t *testing.T) []string {
	t.Helper()
	files, err := contract.CassetteFiles([]string{validDir})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

type fixture struct {
	file string
	ixs  []contract.Interaction
}

func loadAll(t *testing.T, files []string) []fixture {
	t.Helper()
	var out []fixture
	for _, f := range files {
		ixs, err := contract.LoadCassette(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fixture{f, ixs})
	}
	return out
}

// TestValidFixtures validates every interaction of every valid fixture
// (request with security, response with status, headers and body, and the
// provoked-4xx and secret-echo rules), reports every violation with its
// file, interaction and path, and requires every documented operation x
// status pair to be covered.
func TestValidFixtures(t *testing.T) {
	rep, err := validator(t).Verify(context.Background(), []string{validDir}, contract.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Errorf("%s", f)
	}
	for _, s := range rep.Secrets {
		t.Errorf("secret: %s", s)
	}
	for _, p := range rep.Coverage.Missing() {
		t.Errorf("documented pair %s %s has no fixture", p.OperationID, p.Status)
	}
	var b logWriter
	rep.WriteText(&b)
	t.Log("\n" + b.String())
}

type logWriter struct{ buf []byte }

func (w *logWriter) Write(p []byte) (int, error) { w.buf = append(w.buf, p...); return len(p), nil }
func (w *logWriter) String() string              { return string(w.buf) }
