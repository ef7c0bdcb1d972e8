package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/spec"
)

func runSpecCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// officialReference is ../shared/reference beside the repository (CI has
// it), as spec-diff flags: one --upstream per API family.
func officialReference(t *testing.T) []string {
	t.Helper()
	var args []string
	for _, name := range []string{"cloudflare-ai-search-tokens.official.json", "cloudflare-api-tokens.official.json"} {
		p := filepath.Join("..", "..", "..", "..", "..", "shared", "reference", name)
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("official reference missing in CI: %v", err)
			}
			t.Skipf("official reference not found at %s; skipping: %v", p, err)
		}
		args = append(args, "--upstream", p)
	}
	return args
}

// brokenSpec writes a copy of openapi.yaml with per_page's maximum lowered.
func brokenSpec(t *testing.T) string {
	t.Helper()
	const from = "default: 20\n            minimum: 1\n            maximum: 100"
	if !bytes.Contains(spec.YAML, []byte(from)) {
		t.Fatalf("openapi.yaml no longer has per_page as %q; update the test", from)
	}
	p := filepath.Join(t.TempDir(), "openapi.yaml")
	broken := bytes.Replace(spec.YAML, []byte(from), []byte("default: 20\n            minimum: 1\n            maximum: 50"), 1)
	if err := os.WriteFile(p, broken, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSpecDiffCommand(t *testing.T) {
	t.Parallel()
	ref := officialReference(t)
	code, out, stderr := runSpecCLI(t, append([]string{"spec-diff"}, ref...)...)
	if code != ExitOK || !strings.Contains(out, "unexplained differences: 0") {
		t.Fatalf("real spec: exit %d\n%s\n%s", code, out, stderr)
	}

	code, out, _ = runSpecCLI(t, append([]string{"spec-diff", "--spec", brokenSpec(t)}, ref...)...)
	want := "GET /accounts/{account_id}/ai-search/tokens: param per_page maximum: ours 50, upstream 100"
	if code != ExitFailure || !strings.Contains(out, want) {
		t.Fatalf("broken spec: exit %d, want %d and %q in:\n%s", code, ExitFailure, want, out)
	}

	empty := filepath.Join(t.TempDir(), "allow.yaml")
	if err := os.WriteFile(empty, []byte("deviations: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ = runSpecCLI(t, append([]string{"spec-diff", "--allow", empty}, ref...)...); code != ExitFailure || !strings.Contains(out, "status 429") {
		t.Fatalf("empty allow-list: exit %d\n%s", code, out)
	}
}

func TestSpecDiffUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"spec-diff"},
		{"spec-diff", "--upstream"},
		{"spec-diff", "--upstream", "x", "extra"},
		{"lint-spec", "extra"},
	} {
		if code, _, stderr := runSpecCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, ExitUsage, stderr)
		}
	}
	if code, _, stderr := runSpecCLI(t, "spec-diff", "--upstream", filepath.Join(t.TempDir(), "missing.json")); code != ExitFailure || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing upstream: exit %d, stderr %q", code, stderr)
	}
}

func TestLintSpecCommand(t *testing.T) {
	t.Parallel()
	if code, out, stderr := runSpecCLI(t, "lint-spec"); code != ExitOK || !strings.Contains(out, "lint-spec: ok") {
		t.Fatalf("real spec: exit %d\n%s\n%s", code, out, stderr)
	}
	p := filepath.Join(t.TempDir(), "openapi.yaml")
	const from = "      summary: List tokens\n"
	if !bytes.Contains(spec.YAML, []byte(from)) {
		t.Fatalf("openapi.yaml no longer has %q; update the test", from)
	}
	if err := os.WriteFile(p, bytes.Replace(spec.YAML, []byte(from), nil, 1), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runSpecCLI(t, "lint-spec", "--spec", p)
	if code != ExitFailure || !strings.Contains(out, "operation has no summary [operation-summary]") {
		t.Fatalf("broken spec: exit %d\n%s", code, out)
	}
}
