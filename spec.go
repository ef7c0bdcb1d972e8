// Package tokens is the root of the Cloudflare AI Search tokens toolkit. It
// embeds the contract, openapi.yaml, so every package validates against the
// same bytes that generated/ was generated from.
//
// The packages users import are:
//
//	aisearch    an idiomatic client for the five tokens operations
//	emulator    a faithful local tokens API for tests
//	generated   the oapi-codegen models, client and strict server
package tokens

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// SpecYAML is openapi.yaml exactly as committed (go:embed cannot reach a
// parent folder, which is why the embed lives in the module root).
//
//go:embed openapi.yaml
var SpecYAML []byte

// LoadSpec parses and validates the embedded spec. Each call returns a fresh
// document, so callers may change theirs (for example clear its servers).
// It costs milliseconds and megabytes: read-only callers use SharedSpec.
func LoadSpec() (*openapi3.T, error) {
	js, err := specJSON()
	if err != nil {
		return nil, err
	}
	// A copy decodes the JSON form of the shared document: no YAML to parse,
	// and nothing to validate that the first parse did not.
	doc, err := openapi3.NewLoader().LoadFromData(js)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	return doc, nil
}

// SharedSpec returns the embedded spec, parsed and validated once per
// process (by the first call) and then shared by every caller: the
// emulator's servers and the contract validators all use it, so creating
// one costs no parsing. It must be treated as read-only: a change would be
// seen by every user in the process, and none is synchronised. Callers
// that change a document (clear its servers, say) use LoadSpec.
func SharedSpec() (*openapi3.T, error) { return shared() }

// shared is the embedded spec parsed and validated once.
var shared = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(SpecYAML)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi.yaml: %w", err)
	}
	return doc, nil
})

// specJSON is the shared document's JSON form, from which LoadSpec makes
// copies; built by the first LoadSpec, so SharedSpec's callers never pay it.
var specJSON = sync.OnceValues(func() ([]byte, error) {
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
