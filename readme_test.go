package tokens_test

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// Example_readme is the README's client example, run against the emulator.
// TestREADMEExampleIsThisExample keeps the two identical.
func Example_readme() {
	// A local Cloudflare: the emulator behind an httptest server, holding
	// the service token POST /user/tokens made (only a live one registers).
	srv, err := emulator.New(emulator.WithAPITokens("dev-token"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	err = srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{
		ID: "a1b2c3d4e5f6", Name: "ai-search-service", Value: "the-service-token-value",
	})
	if err != nil {
		log.Fatal(err)
	}
	api := httptest.NewServer(srv.Handler())
	defer api.Close()

	client, err := aisearch.New("c3dc5f0b34a14ff8e1b3ec04895e1b22",
		aisearch.WithAPIToken("dev-token"),
		aisearch.WithBaseURL(api.URL+"/client/v4"), // omit for the real API
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Register the service token made by POST /user/tokens, once: a second
	// run finds it by cf_api_id and creates nothing.
	for range 2 {
		tok, created, err := client.Registrations.Ensure(ctx, aisearch.RegistrationParams{
			Name:     "ai-search-service",
			CfAPIID:  "a1b2c3d4e5f6",
			CfAPIKey: aisearch.Secret("the-service-token-value"),
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tok.Name, "created:", created)
	}

	// Walk every registered token, every page.
	for tok, err := range client.Registrations.All(ctx, aisearch.RegistrationListOptions{}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tok.Name, tok.CfAPIID, tok.Enabled)
	}
	// Output:
	// ai-search-service created: true
	// ai-search-service created: false
	// ai-search-service a1b2c3d4e5f6 true
}

// TestREADMEExampleIsThisExample checks that the Go block in README.md under
// "## The Go client" is the body of Example_readme, so the README's example
// compiles and runs in every `make test`.
func TestREADMEExampleIsThisExample(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- Example_readme -->\\s*```go\\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```go block after <!-- Example_readme -->")
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "readme_test.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "Example_readme" {
			src, err := os.ReadFile("readme_test.go")
			if err != nil {
				t.Fatal(err)
			}
			body = string(src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset])
		}
	}
	if body == "" {
		t.Fatal("Example_readme not found")
	}
	if got, want := normalize(string(m[1])), normalize(body); got != want {
		t.Errorf("README example differs from Example_readme.\nREADME:\n%s\nExample_readme:\n%s", got, want)
	}
}

// normalize drops the example's Output comment and the indentation.
func normalize(s string) string {
	var out bytes.Buffer
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "// Output:") {
			break
		}
		if line != "" {
			out.WriteString(line + "\n")
		}
	}
	return out.String()
}
