package aisearch_test

import (
	"reflect"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/spec"
)

// TestEveryOperationHasOneMethod keeps the client in step with openapi.yaml:
// a new operation fails this test until it gets a method here.
func TestEveryOperationHasOneMethod(t *testing.T) {
	t.Parallel()
	regs := reflect.TypeFor[*aisearch.Registrations]()  // c.Registrations
	apiTokens := reflect.TypeFor[*aisearch.APITokens]() // c.APITokens(OwnerUser or OwnerAccount)
	type method struct {
		on    reflect.Type
		name  string
		owner string // for APITokens: whose tokens
	}
	methods := map[string]method{ // operationId → method
		"ai-search-list-tokens":   {regs, "List", ""},
		"ai-search-create-tokens": {regs, "Create", ""},
		"ai-search-fetch-tokens":  {regs, "Get", ""},
		"ai-search-update-tokens": {regs, "Update", ""},
		"ai-search-delete-tokens": {regs, "Delete", ""},
	}
	for owner, prefix := range map[string]string{"user": "user-api-tokens-", "account": "account-api-tokens-"} {
		for op, name := range map[string]string{
			"create-token": "Create", "list-tokens": "List", "token-details": "Get", "update-token": "Update",
			"delete-token": "Delete", "verify-token": "Verify", "roll-token": "Roll",
		} {
			methods[prefix+op] = method{apiTokens, name, owner}
		}
	}
	methods["permission-groups-list-permission-groups"] = method{apiTokens, "PermissionGroups", "user"}
	methods["account-api-tokens-list-permission-groups"] = method{apiTokens, "PermissionGroups", "account"}

	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[method]bool{}
	for path, item := range doc.Paths.Map() {
		for verb, op := range item.Operations() {
			m, ok := methods[op.OperationID]
			if !ok {
				t.Errorf("%s %s (%s) has no client method", verb, path, op.OperationID)
				continue
			}
			if seen[m] {
				t.Errorf("method %s.%s (%s) maps two operations", m.on, m.name, m.owner)
			}
			seen[m] = true
			if _, ok := m.on.MethodByName(m.name); !ok {
				t.Errorf("%s has no method %s for %s", m.on, m.name, op.OperationID)
			}
		}
	}
	if len(seen) != len(methods) {
		t.Errorf("spec has %d of the %d operations the client implements", len(seen), len(methods))
	}
}
