package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/tools/specgov/internal/spectest"
)

const (
	listPath = "/accounts/{account_id}/ai-search/tokens"
	itemPath = "/accounts/{account_id}/ai-search/tokens/{id}"
)

// referenceFiles are Cloudflare's published definitions of the operations
// the spec covers, one file per API family, kept beside the repository
// (../shared/reference). CI must have them; elsewhere their absence skips
// the test, saying so.
func referenceFiles(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "reference")
	files, _ := filepath.Glob(filepath.Join(dir, "*.official.json"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("official reference missing in CI: no %s/*.official.json", dir)
		}
		t.Skipf("official reference not found in %s (../shared/reference beside the repo); skipping", dir)
	}
	return files
}

// reference is Cloudflare's definition of every path of ours.
func reference(t *testing.T) *openapi3.T {
	t.Helper()
	var docs [][]byte
	for _, f := range referenceFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, data)
	}
	doc, err := LoadUpstream(spectest.Copy(t).Paths.InMatchingOrder(), docs...)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func defaultAllow(t *testing.T) AllowList {
	t.Helper()
	a, err := ParseAllowList(defaultAllowList)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func keys(diffs []Difference) []string {
	out := make([]string, len(diffs))
	for i, d := range diffs {
		out[i] = d.Key()
	}
	return out
}

func queryParam(doc *openapi3.T, name string) *openapi3.Parameter {
	return doc.Paths.Value(listPath).Get.Parameters.GetByInAndName("query", name)
}

func ptr[T any](v T) *T { return &v }

// compare runs Compare and classifies the result, failing on an error.
func compare(t *testing.T, ours, upstream *openapi3.T, allow AllowList) Report {
	t.Helper()
	diffs, err := Compare(ours, upstream)
	if err != nil {
		t.Fatal(err)
	}
	return Classify(diffs, allow)
}
