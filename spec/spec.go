// Package spec embeds the contract, openapi.yaml, so that every package
// validates against the same bytes that generated/ was generated from.
//
// openapi.yaml at the repository root is the hand-maintained source of
// truth; go:embed cannot reach a parent folder, so `go generate` copies it
// here verbatim, and `make check-generated` (CI) fails when the copy is stale.
// The root package holds only tools.go, which pins the code generator: no
// package a user imports depends on it.
package spec

//go:generate cp ../openapi.yaml openapi.yaml

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// YAML is openapi.yaml exactly as committed.
//
//go:embed openapi.yaml
var YAML []byte

// Load returns a fresh copy of the embedded spec, parsed and validated, so
// callers may change theirs (for example clear its servers). It costs
// milliseconds and megabytes: read-only callers use Shared.
func Load() (*openapi3.T, error) {
	js, err := sharedJSON()
	if err != nil {
		return nil, err
	}
	// A copy decodes the JSON form of the shared document: no YAML to
	// parse, and nothing to validate that the first parse did not.
	doc, err := openapi3.NewLoader().LoadFromData(js)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	return doc, nil
}

// Shared returns the embedded spec, parsed and validated once per process
// (by the first call) and then shared by every caller: the emulator's
// servers and the contract validators all use it, so creating one costs no
// parsing. It must be treated as read-only: a change would be seen by every
// user in the process, and none is synchronised. Callers that change a
// document (clear its servers, say) use Load.
func Shared() (*openapi3.T, error) { return shared() }

// shared is the embedded spec parsed and validated once.
var shared = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(YAML)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi.yaml: %w", err)
	}
	return doc, nil
})

// sharedJSON is the shared document's JSON form, from which Load makes
// copies; built by the first Load, so Shared's callers never pay it.
var sharedJSON = sync.OnceValues(func() ([]byte, error) {
	doc, err := shared()
	if err != nil {
		return nil, err
	}
	js, err := doc.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	return js, nil
})
