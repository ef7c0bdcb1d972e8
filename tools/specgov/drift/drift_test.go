package main

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/tools/specgov/internal/spectest"
)

func TestReferenceIsExplained(t *testing.T) {
	t.Parallel()
	report := compare(t, spectest.Copy(t), reference(t), defaultAllow(t))
	for _, d := range report.Unexplained {
		t.Errorf("unexplained: %s", d.Key())
	}
	for _, e := range report.Stale {
		t.Errorf("stale allow-list entry: %s", e.Key)
	}
	if len(report.Allowed) == 0 {
		t.Error("no allowed differences: the spec's declared deviations should show up")
	}
}

func TestIdenticalSpecsHaveNoDifferences(t *testing.T) {
	t.Parallel()
	if diffs, err := Compare(spectest.Copy(t), spectest.Copy(t)); err != nil || len(diffs) > 0 {
		t.Fatalf("a spec differs from itself: %v %v", keys(diffs), err)
	}
}

// TestFindsChanges breaks a copy of our spec and expects the comparison
// with the official reference to fail, naming what was broken.
func TestFindsChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(doc *openapi3.T)
		want string
	}{
		{"constraint", func(doc *openapi3.T) {
			queryParam(doc, "per_page").Schema.Value.Max = ptr(50.0)
		}, "GET /accounts/{account_id}/ai-search/tokens: parameters.query.per_page.schema.max: upstream 100, ours 50"},
		{"default", func(doc *openapi3.T) {
			queryParam(doc, "page").Schema.Value.Default = 0
		}, "GET /accounts/{account_id}/ai-search/tokens: parameters.query.page.schema.default: upstream 1, ours 0"},
		{"maxLength", func(doc *openapi3.T) {
			queryParam(doc, "search").Schema.Value.MaxLength = nil
		}, "GET /accounts/{account_id}/ai-search/tokens: parameters.query.search.schema.maxLength: upstream 256, ours null"},
		{"parameter removed", func(doc *openapi3.T) {
			op := doc.Paths.Value(listPath).Get
			op.Parameters = op.Parameters[:len(op.Parameters)-1] // search
		}, "GET /accounts/{account_id}/ai-search/tokens: parameters.query: deleted search"},
		{"parameter format", func(doc *openapi3.T) {
			doc.Components.Parameters["TokenID"].Value.Schema.Value.Format = ""
		}, "DELETE /accounts/{account_id}/ai-search/tokens/{id}: parameters.path.id.schema.format: upstream uuid, ours "},
		{"operation removed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Delete = nil
		}, "/accounts/{account_id}/ai-search/tokens/{id}: operations: deleted DELETE"},
		{"operationId renamed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Get.OperationID = "GetToken"
		}, "GET /accounts/{account_id}/ai-search/tokens/{id}: operationID: upstream ai-search-fetch-tokens, ours GetToken"},
		{"status code removed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Delete.Responses.Delete("409")
		}, "DELETE /accounts/{account_id}/ai-search/tokens/{id}: responses: deleted 409"},
		{"request field no longer required", func(doc *openapi3.T) {
			doc.Components.Schemas["TokenInput"].Value.Required = []string{"name", "cf_api_id"}
		}, "PUT /accounts/{account_id}/ai-search/tokens/{id}: requestBody.body.required: deleted cf_api_key"},
		{"request field type", func(doc *openapi3.T) {
			doc.Components.Schemas["TokenInput"].Value.Properties["legacy"].Value.Type = &openapi3.Types{"string"}
		}, "POST /accounts/{account_id}/ai-search/tokens: requestBody.body.legacy.type: added string"},
		{"response field removed", func(doc *openapi3.T) {
			delete(doc.Components.Schemas["Token"].Value.Properties, "enabled")
		}, "GET /accounts/{account_id}/ai-search/tokens: responses.200.body.result[].properties: deleted enabled"},
		{"response field nullable", func(doc *openapi3.T) {
			doc.Components.Schemas["Token"].Value.Properties["created_by"].Value.Nullable = false
		}, "GET /accounts/{account_id}/ai-search/tokens/{id}: responses.200.body.result.created_by.nullable: upstream true, ours false"},
		{"security", func(doc *openapi3.T) {
			doc.Paths.Value(listPath).Get.Security = &openapi3.SecurityRequirements{{"api_token": {}}}
		}, "GET /accounts/{account_id}/ai-search/tokens: securityRequirements: deleted api_email+api_key"},
		{"request body removed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Put.RequestBody = nil
		}, "PUT /accounts/{account_id}/ai-search/tokens/{id}: requestBody: deleted true"},
		{"API token per_page maximum", func(doc *openapi3.T) {
			doc.Components.Parameters["APITokenPerPage"].Value.Schema.Value.Max = ptr(100.0)
		}, "GET /user/tokens: parameters.query.per_page.schema.max: upstream 50, ours 100"},
		{"API token create answers 201", func(doc *openapi3.T) {
			r := doc.Paths.Value("/accounts/{account_id}/tokens").Post.Responses
			r.Set("201", r.Value("200"))
			r.Delete("200")
		}, "POST /accounts/{account_id}/tokens: responses: deleted 200"},
		{"API token value lost its minimum length", func(doc *openapi3.T) {
			doc.Components.Schemas["APITokenValue"].Value.MinLength = 0
		}, "PUT /user/tokens/{token_id}/value: responses.200.body.result.minLength: upstream 40, ours 0"},
		{"API token accepts a Global API key", func(doc *openapi3.T) {
			doc.Paths.Value("/user/tokens/verify").Get.Security = &openapi3.SecurityRequirements{{"api_token": {}}, {"api_email": {}, "api_key": {}}}
		}, "GET /user/tokens/verify: securityRequirements: added api_email+api_key"},
		// The instance, job and namespace operations are compared too.
		{"job list per_page maximum", func(doc *openapi3.T) {
			doc.Components.Parameters["JobPerPage"].Value.Schema.Value.Max = ptr(100.0)
		}, "GET /accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}/jobs: parameters.query.per_page.schema.max: upstream 50, ours 100"},
		{"job create answers 201", func(doc *openapi3.T) {
			r := doc.Paths.Value("/accounts/{account_id}/ai-search/instances/{id}/jobs").Post.Responses
			r.Set("201", r.Value("200"))
			r.Delete("200")
		}, "POST /accounts/{account_id}/ai-search/instances/{id}/jobs: responses: deleted 200"},
		{"namespace delete lost its 400", func(doc *openapi3.T) {
			doc.Paths.Value("/accounts/{account_id}/ai-search/namespaces/{name}").Delete.Responses.Delete("400")
		}, "DELETE /accounts/{account_id}/ai-search/namespaces/{name}: responses: deleted 400"},
		{"move renamed", func(doc *openapi3.T) {
			doc.Paths.Value("/accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}").Patch.OperationID = "MoveInstance"
		}, "PATCH /accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}: operationID: upstream ai-search-move-instance, ours MoveInstance"},
		{"instance list item field removed", func(doc *openapi3.T) {
			delete(doc.Components.Schemas["InstanceListItem"].Value.Properties, "token_id")
		}, "GET /accounts/{account_id}/ai-search/instances: responses.200.body.result[].properties: deleted token_id"},
	}
	upstream := reference(t)
	allow := defaultAllow(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Not parallel: Compare normalises upstream in place (again and
			// again, to the same result), which must not race.
			doc := spectest.Copy(t)
			tt.edit(doc)
			report := compare(t, doc, upstream, allow)
			got := keys(report.Unexplained)
			for _, k := range got {
				if k == tt.want {
					return
				}
			}
			t.Fatalf("unexplained differences do not name the change\nwant: %s\ngot:\n  %s", tt.want, strings.Join(got, "\n  "))
		})
	}
}
