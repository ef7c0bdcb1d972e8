// Package spectest gives the specgov tools' tests the project's
// openapi.yaml: its path, and fresh copies a test may change.
package spectest

import (
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Path is the project's openapi.yaml, from a tool's package directory
// (tools/specgov/<tool>, where go test runs its tests).
var Path = filepath.Join("..", "..", "..", "openapi.yaml")

// specJSON is the project's spec, parsed once per process and written as
// JSON: decoding it is a third quicker than parsing the YAML again.
var specJSON = sync.OnceValues(func() ([]byte, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(Path)
	if err != nil {
		return nil, err
	}
	return doc.MarshalJSON()
})

// Copy returns a fresh copy of the project's spec that a test may change,
// its $refs resolved as the loader resolves them.
func Copy(t testing.TB) *openapi3.T {
	t.Helper()
	data, err := specJSON()
	if err != nil {
		t.Fatal(err)
	}
	doc := &openapi3.T{}
	if err := json.Unmarshal(data, doc); err != nil {
		t.Fatal(err)
	}
	if err := openapi3.NewLoader().ResolveRefsIn(doc, nil); err != nil {
		t.Fatal(err)
	}
	return doc
}
