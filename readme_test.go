package tokens_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/aisearchtest"
)

// TestServiceCredential is the README's Go example, whole: it runs in every
// make test, and TestREADMEExampleIsThisTest keeps the two identical.
func TestServiceCredential(t *testing.T) {
	srv := aisearchtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	// Steps 2 and 3: create the service token and register it (idempotent).
	p, err := c.Provision(ctx, aisearch.ServiceTokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Step 4: instances name the registration as their token_id.
	_, err = c.Instances("").Create(ctx, aisearch.InstanceParams{
		ID: "docs", Type: "r2", Source: "docs-bucket", TokenID: p.Registration.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	// From cron or CI: does the credential still work, and who depends on it?
	report, err := c.Check(ctx, aisearch.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range report {
		t.Log(h.Registration.Name, h.Healthy(), h.InstanceNames()) // ai-search-service true [docs]
	}
}

// TestREADMEExampleWorks runs the example's steps and asserts what its
// comment says the log shows.
func TestREADMEExampleWorks(t *testing.T) {
	t.Parallel()
	srv := aisearchtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()
	p, err := c.Provision(ctx, aisearch.ServiceTokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Instances("").Create(ctx, aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "docs-bucket", TokenID: p.Registration.ID}); err != nil {
		t.Fatal(err)
	}
	report, err := c.Check(ctx, aisearch.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(report) != 1 || report[0].Registration.Name != "ai-search-service" || !report[0].Healthy() ||
		strings.Join(report[0].InstanceNames(), ",") != "docs" {
		t.Fatalf("report = %+v, want one healthy ai-search-service used by docs", report)
	}
}

// TestREADMEExampleIsThisTest checks that the Go block in README.md after
// <!-- TestREADMEExample --> is TestServiceCredential, whole, so the README's
// example compiles and runs in every make test.
func TestREADMEExampleIsThisTest(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- TestREADMEExample -->\\s*```go\\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```go block after <!-- TestREADMEExample -->")
	}
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "readme_test.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fn string
	for _, d := range f.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == "TestServiceCredential" {
			fn = string(src[fset.Position(d.Pos()).Offset:fset.Position(d.End()).Offset])
		}
	}
	if fn == "" {
		t.Fatal("TestServiceCredential not found")
	}
	if got, want := strings.TrimSpace(string(m[1])), strings.TrimSpace(fn); got != want {
		t.Errorf("README example differs from TestServiceCredential.\nREADME:\n%s\ntest:\n%s", got, want)
	}
}

// TestREADMEStartsWhereUsersStart holds the README's shape: at most 200
// lines, the install commands and the Go example in the first 60, and every
// local page it links present.
func TestREADMEStartsWhereUsersStart(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > 200 {
		t.Errorf("README.md has %d lines, want at most 200 (deep material goes to docs/)", len(lines))
	}
	first := strings.Join(lines[:min(60, len(lines))], "\n")
	for _, want := range []string{
		"go install github.com/go-aisearch/tokens/cmd/aisearch-tokens@latest",
		"go get github.com/go-aisearch/tokens",
		"func TestServiceCredential(t *testing.T) {",
		"c.Provision(ctx",
		"c.Check(ctx",
	} {
		if !strings.Contains(first, want) {
			t.Errorf("README.md's first 60 lines lack %q", want)
		}
	}
	links := regexp.MustCompile(`\]\(([^)#]+)(#[^)]*)?\)`).FindAllStringSubmatch(string(data), -1)
	if len(links) < 8 {
		t.Fatalf("README.md links %d local pages; the docs table of contents is missing", len(links))
	}
	for _, l := range links {
		if strings.Contains(l[1], "://") {
			continue
		}
		if _, err := os.Stat(filepath.FromSlash(l[1])); err != nil {
			t.Errorf("README.md links %s, which does not exist", l[1])
		}
	}
}
