package contract_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

// readExpectations maps each invalid fixture's base name to its expected
// violations, "<interaction> <side> <path>" each.
func readExpectations(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open(expectations)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 4 {
			t.Fatalf("%s:%d: want <file> <interaction> <side> <path>, got %q", expectations, n, line)
		}
		out[fields[0]] = append(out[fields[0]], strings.Join(fields[1:], " "))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInvalidFixtures requires every negative fixture to be rejected with
// exactly the violations its expectation lists: one that passes, or fails
// for another reason, fails the suite.
func TestInvalidFixtures(t *testing.T) {
	v := validator(t)
	want := readExpectations(t)
	files, err := filepath.Glob(filepath.Join(invalidDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid fixtures in %s: %v", invalidDir, err)
	}
	seen := map[string]bool{}
	for _, fx := range loadAll(t, files) {
		base := filepath.Base(fx.file)
		seen[base] = true
		exp, ok := want[base]
		if !ok {
			t.Errorf("%s: no expectation in %s", fx.file, expectations)
			continue
		}
		var got []string
		for i, ix := range fx.ixs {
			for _, viol := range v.Check(context.Background(), ix).All() {
				got = append(got, fmt.Sprintf("%d %s %s", i, viol.Side, strings.Join(viol.Path, ".")))
			}
		}
		slices.Sort(got)
		got = slices.Compact(got)
		slices.Sort(exp)
		switch {
		case len(got) == 0:
			t.Errorf("%s: passed validation; want %v", fx.file, exp)
		case !slices.Equal(got, exp):
			t.Errorf("%s: rejected for %v; want exactly %v", fx.file, got, exp)
		default:
			t.Logf("%-45s rejected: %s", base, strings.Join(exp, "; "))
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("%s names %s, which does not exist", expectations, name)
		}
	}
}

// TestVerifyRejectsInvalidDir is a cross-check of the same fixtures through
// Verify, as `aisearch-tokens verify` sees them: every file must fail.
func TestVerifyRejectsInvalidDir(t *testing.T) {
	rep, err := validator(t).Verify(context.Background(), []string{invalidDir}, contract.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Fatal("Verify accepted testdata/invalid")
	}
	failed := map[string]bool{}
	for _, f := range rep.Failures {
		failed[f.File] = true
	}
	for _, f := range rep.Files {
		if !failed[f] {
			t.Errorf("%s: Verify found nothing wrong", f)
		}
	}
}
