package aisearch_test

import (
	"reflect"
	"testing"

	tokens "github.com/go-aisearch/tokens"
	"github.com/go-aisearch/tokens/aisearch"
)

// TestEveryOperationHasOneMethod keeps the client in step with openapi.yaml:
// a new operation fails this test until it gets a method here.
func TestEveryOperationHasOneMethod(t *testing.T) {
	methods := map[string]string{ // operationId → Client method
		"ai-search-list-tokens":   "List",
		"ai-search-create-tokens": "Create",
		"ai-search-fetch-tokens":  "Get",
		"ai-search-update-tokens": "Update",
		"ai-search-delete-tokens": "Delete",
	}
	doc, err := tokens.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	client := reflect.TypeFor[*aisearch.Client]()
	seen := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for verb, op := range item.Operations() {
			name, ok := methods[op.OperationID]
			if !ok {
				t.Errorf("%s %s (%s) has no client method", verb, path, op.OperationID)
				continue
			}
			if seen[name] {
				t.Errorf("method %s maps two operations", name)
			}
			seen[name] = true
			if _, ok := client.MethodByName(name); !ok {
				t.Errorf("Client has no method %s for %s", name, op.OperationID)
			}
		}
	}
	if len(seen) != len(methods) {
		t.Errorf("spec has %d of the %d operations the client implements", len(seen), len(methods))
	}
}
