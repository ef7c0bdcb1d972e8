package specgov_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/spec"
)

const (
	listPath = "/accounts/{account_id}/ai-search/tokens"
	itemPath = "/accounts/{account_id}/ai-search/tokens/{id}"
)

// loadSpec returns a fresh copy of the project's spec that a test may break.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// referencePaths are Cloudflare's published definitions of the operations
// the spec covers, one file per API family, kept beside the repository
// (../shared/reference). CI must have them; elsewhere their absence skips
// the test.
func referencePaths(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, name := range []string{"cloudflare-ai-search-tokens.official.json", "cloudflare-api-tokens.official.json", "cloudflare-ai-search-instances.official.json"} {
		p := filepath.Join("..", "..", "shared", "reference", name)
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("official reference missing in CI: %v", err)
			}
			t.Skipf("official reference not found at %s (../shared/reference beside the repo); skipping: %v", p, err)
		}
		out = append(out, p)
	}
	return out
}

func queryParam(doc *openapi3.T, name string) *openapi3.Parameter {
	return doc.Paths.Value(listPath).Get.Parameters.GetByInAndName("query", name)
}

func ptr[T any](v T) *T { return &v }
