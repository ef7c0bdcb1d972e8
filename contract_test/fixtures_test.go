package contract_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

var gen = flag.Bool("gen", false, "rewrite the hand-written fixtures in testdata/ and testdata/invalid/")

const (
	validDir     = "testdata"
	invalidDir   = "testdata/invalid"
	expectations = "testdata/invalid/expectations.txt"
)

// TestHandwrittenFixtures checks that the committed hand-written cassettes
// are exactly what handwritten() and invalidFixtures() describe (run with
// -gen to rewrite them).
func TestHandwrittenFixtures(t *testing.T) {
	dir := t.TempDir()
	if *gen {
		dir = "."
	}
	want := writeHandwritten(t, dir)
	if *gen {
		t.Logf("wrote %d files", len(want))
		return
	}
	for _, rel := range want {
		got, err := os.ReadFile(rel)
		if err != nil {
			t.Errorf("%s: %v (run go test ./contract_test -run TestHandwrittenFixtures -gen)", rel, err)
			continue
		}
		exp, _ := os.ReadFile(filepath.Join(dir, rel))
		if !bytes.Equal(got, exp) {
			t.Errorf("%s differs from its definition in handwritten_test.go / invalid_fixtures_test.go (edit the Go definition and run with -gen)", rel)
		}
	}
}

// writeHandwritten writes every hand-written fixture below dir and returns
// their paths relative to dir.
func writeHandwritten(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for name, hxs := range handwritten() {
		var ixs []contract.Interaction
		for _, h := range hxs {
			ixs = append(ixs, h.interaction())
		}
		rel := filepath.Join(validDir, name+".yaml")
		if err := contract.WriteCassette(filepath.Join(dir, rel), ixs); err != nil {
			t.Fatal(err)
		}
		out = append(out, rel)
	}
	var lines []string
	for name, f := range invalidFixtures() {
		rel := filepath.Join(invalidDir, name+".yaml")
		if err := contract.WriteCassette(filepath.Join(dir, rel), []contract.Interaction{f.interaction()}); err != nil {
			t.Fatal(err)
		}
		if p, ok := invalidPatches[name]; ok {
			patchFile(t, filepath.Join(dir, rel), p[0], p[1])
		}
		out = append(out, rel)
		for _, w := range f.want {
			lines = append(lines, fmt.Sprintf("%s 0 %s", name+".yaml", w))
		}
	}
	slices.Sort(lines)
	body := "# Every violation the contract check must report for each invalid fixture,\n" +
		"# no more and no fewer: <file> <interaction> <side> <path>.\n" +
		"# Generated from invalid_fixtures_test.go (go test ./contract_test -run TestHandwrittenFixtures -gen).\n" +
		strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, expectations), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return append(out, expectations)
}

// patchFile replaces old, which must occur once, with new in file.
func patchFile(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte(old)); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want once", file, old, n)
	}
	if err := os.WriteFile(file, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}
