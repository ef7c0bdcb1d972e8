package specgov_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	tokens "github.com/go-aisearch/tokens"
)

const (
	listPath = "/accounts/{account_id}/ai-search/tokens"
	itemPath = "/accounts/{account_id}/ai-search/tokens/{id}"
)

// spec returns a fresh copy of the project's spec that a test may break.
func spec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := tokens.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// referencePath is Cloudflare's published definition of the tokens
// operations, kept beside the repository (../shared/reference). CI must
// have it; elsewhere its absence skips the test.
func referencePath(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "reference", "cloudflare-ai-search-tokens.official.json")
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("official reference missing in CI: %v", err)
		}
		t.Skipf("official reference not found at %s (../shared/reference beside the repo); skipping: %v", p, err)
	}
	return p
}

func queryParam(doc *openapi3.T, name string) *openapi3.Parameter {
	return doc.Paths.Value(listPath).Get.Parameters.GetByInAndName("query", name)
}

func ptr[T any](v T) *T { return &v }
