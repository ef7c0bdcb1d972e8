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

	"github.com/getkin/kin-openapi/openapi3"
)

// SpecYAML is openapi.yaml exactly as committed (go:embed cannot reach a
// parent folder, which is why the embed lives in the module root).
//
//go:embed openapi.yaml
var SpecYAML []byte

// LoadSpec parses and validates the embedded spec. Each call returns a fresh
// document, so callers may change theirs (for example clear its servers).
func LoadSpec() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(SpecYAML)
	if err != nil {
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi.yaml: %w", err)
	}
	return doc, nil
}
