package specgov_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"

	"github.com/go-aisearch/tokens/specgov"
)

// officialReference is Cloudflare's definition of every operation the
// spec covers: the reference files merged.
func officialReference(t *testing.T) *openapi3.T {
	t.Helper()
	var docs []*openapi3.T
	for _, p := range referencePaths(t) {
		doc, err := specgov.LoadUpstreamFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	doc, err := specgov.MergeUpstream(docs...)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func defaultAllow(t *testing.T) specgov.AllowList {
	t.Helper()
	a, err := specgov.DefaultAllowList()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func keys(diffs []specgov.Difference) []string {
	out := make([]string, len(diffs))
	for i, d := range diffs {
		out[i] = d.Key()
	}
	return out
}

func TestDiffOfficialReferenceIsExplained(t *testing.T) {
	report := specgov.Diff(loadSpec(t), officialReference(t), defaultAllow(t))
	for _, d := range report.Unexplained {
		t.Errorf("unexplained: %s", d.Key())
	}
	for _, e := range report.Stale {
		t.Errorf("stale allow-list entry: %s", e.Key)
	}
	if len(report.Allowed) == 0 {
		t.Error("no allowed differences: the spec's declared deviations should show up")
	}
	if !report.OK() && !t.Failed() {
		t.Error("report not OK")
	}
}

func TestDiffIdenticalSpecsHasNoDifferences(t *testing.T) {
	report := specgov.Diff(loadSpec(t), loadSpec(t), specgov.AllowList{})
	if len(report.Unexplained)+len(report.Allowed)+len(report.Stale) != 0 {
		t.Fatalf("a spec differs from itself: %v", keys(report.Unexplained))
	}
}

// TestDiffFindsChanges breaks a copy of our spec and expects the official
// reference diff to fail, naming exactly what was broken.
func TestDiffFindsChanges(t *testing.T) {
	tests := []struct {
		name string
		edit func(doc *openapi3.T)
		want string
	}{
		{"constraint", func(doc *openapi3.T) {
			queryParam(doc, "per_page").Schema.Value.Max = ptr(50.0)
		}, "GET /accounts/{account_id}/ai-search/tokens: param per_page maximum: ours 50, upstream 100"},
		{"default", func(doc *openapi3.T) {
			queryParam(doc, "page").Schema.Value.Default = 0
		}, "GET /accounts/{account_id}/ai-search/tokens: param page default: ours 0, upstream 1"},
		{"maxLength", func(doc *openapi3.T) {
			queryParam(doc, "search").Schema.Value.MaxLength = nil
		}, "GET /accounts/{account_id}/ai-search/tokens: param search maxLength: ours none, upstream 256"},
		{"parameter removed", func(doc *openapi3.T) {
			op := doc.Paths.Value(listPath).Get
			op.Parameters = op.Parameters[:len(op.Parameters)-1] // search
		}, "GET /accounts/{account_id}/ai-search/tokens: param search: ours absent, upstream in query"},
		{"parameter format", func(doc *openapi3.T) {
			doc.Components.Parameters["TokenID"].Value.Schema.Value.Format = ""
		}, "DELETE /accounts/{account_id}/ai-search/tokens/{id}: param id format: ours none, upstream uuid"},
		{"operation removed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Delete = nil
		}, "DELETE /accounts/{account_id}/ai-search/tokens/{id}: operation: ours absent, upstream ai-search-delete-tokens"},
		{"operationId renamed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Get.OperationID = "GetToken"
		}, "GET /accounts/{account_id}/ai-search/tokens/{id}: operationId: ours GetToken, upstream ai-search-fetch-tokens"},
		{"status code removed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Delete.Responses.Delete("409")
		}, "DELETE /accounts/{account_id}/ai-search/tokens/{id}: status 409: ours absent, upstream documented"},
		{"status code changed", func(doc *openapi3.T) {
			r := doc.Paths.Value(listPath).Post.Responses
			r.Set("200", r.Value("201"))
			r.Delete("201")
		}, "POST /accounts/{account_id}/ai-search/tokens: status 201: ours absent, upstream documented"},
		{"request field no longer required", func(doc *openapi3.T) {
			doc.Components.Schemas["TokenInput"].Value.Required = []string{"name", "cf_api_id"}
		}, "PUT /accounts/{account_id}/ai-search/tokens/{id}: request body.cf_api_key required: ours false, upstream true"},
		{"request field type", func(doc *openapi3.T) {
			doc.Components.Schemas["TokenInput"].Value.Properties["legacy"].Value.Type = &openapi3.Types{"string"}
		}, "POST /accounts/{account_id}/ai-search/tokens: request body.legacy type: ours string, upstream boolean"},
		{"response field removed", func(doc *openapi3.T) {
			delete(doc.Components.Schemas["Token"].Value.Properties, "enabled")
		}, "GET /accounts/{account_id}/ai-search/tokens: response 200 body.result[].enabled: ours absent, upstream boolean"},
		{"response required field", func(doc *openapi3.T) {
			doc.Components.Schemas["ValidationError"].Value.Required = []string{"code", "message"}
		}, "DELETE /accounts/{account_id}/ai-search/tokens/{id}: response 400 body.errors[].path required: ours false, upstream true"},
		{"response field nullable", func(doc *openapi3.T) {
			doc.Components.Schemas["Token"].Value.Properties["created_by"].Value.Nullable = false
		}, "GET /accounts/{account_id}/ai-search/tokens/{id}: response 200 body.result.created_by nullable: ours false, upstream true"},
		{"security", func(doc *openapi3.T) {
			doc.Paths.Value(listPath).Get.Security = &openapi3.SecurityRequirements{{"api_token": {}}}
		}, "GET /accounts/{account_id}/ai-search/tokens: security: ours [api_token], upstream [api_email+api_key] or [api_token]"},
		{"request body removed", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Put.RequestBody = nil
		}, "PUT /accounts/{account_id}/ai-search/tokens/{id}: request body: ours absent, upstream present"},
		// The Cloudflare API token operations are compared the same way.
		{"API token per_page maximum", func(doc *openapi3.T) {
			doc.Components.Parameters["APITokenPerPage"].Value.Schema.Value.Max = ptr(100.0)
		}, "GET /user/tokens: param per_page maximum: ours 100, upstream 50"},
		{"API token create answers 201", func(doc *openapi3.T) {
			r := doc.Paths.Value("/accounts/{account_id}/tokens").Post.Responses
			r.Set("201", r.Value("200"))
			r.Delete("200")
		}, "POST /accounts/{account_id}/tokens: status 200: ours absent, upstream documented"},
		{"API token value lost its minimum length", func(doc *openapi3.T) {
			doc.Components.Schemas["APITokenValue"].Value.MinLength = 0
		}, "PUT /user/tokens/{token_id}/value: response 200 body.result minLength: ours none, upstream 40"},
		{"API token accepts a Global API key", func(doc *openapi3.T) {
			doc.Paths.Value("/user/tokens/verify").Get.Security = &openapi3.SecurityRequirements{{"api_token": {}}, {"api_email": {}, "api_key": {}}}
		}, "GET /user/tokens/verify: security: ours [api_email+api_key] or [api_token], upstream [api_token]"},
		{"API token operation removed", func(doc *openapi3.T) {
			doc.Paths.Value("/accounts/{account_id}/tokens/{token_id}/value").Put = nil
		}, "PUT /accounts/{account_id}/tokens/{token_id}/value: operation: ours absent, upstream account-api-tokens-roll-token"},
	}
	upstream := officialReference(t)
	allow := defaultAllow(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case breaks a copy of its own; upstream and allow are only read
			doc := loadSpec(t)
			tt.edit(doc)
			report := specgov.Diff(doc, upstream, allow)
			if report.OK() {
				t.Fatal("diff passed a broken spec")
			}
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

func TestDiffIgnoresOtherPaths(t *testing.T) {
	doc := loadSpec(t)
	doc.Paths.Set("/accounts/{account_id}/ai-search/instances/{id}/search", doc.Paths.Value(listPath))
	report := specgov.Diff(doc, officialReference(t), defaultAllow(t))
	if !report.OK() {
		t.Fatalf("a path outside the tokens API was compared: %v", keys(report.Unexplained))
	}
}

// TestLoadUpstreamFullSchema feeds the reference as Cloudflare's whole
// published schema looks: other paths, $refs into shared components, allOf
// envelopes, YAML. Only the tokens paths and what they reach are kept, and
// the comparison comes out the same.
func TestLoadUpstreamFullSchema(t *testing.T) {
	raw := fullSchema(t)
	// Move the list envelope into components, as an allOf of a common part.
	list := raw["paths"].(map[string]any)[listPath].(map[string]any)["get"].(map[string]any)
	media := list["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)
	envelope := media["schema"].(map[string]any)
	props := envelope["properties"].(map[string]any)
	common := map[string]any{"type": "object", "required": []any{"success"}, "properties": map[string]any{"success": props["success"]}}
	delete(props, "success")
	schemas := raw["components"].(map[string]any)["schemas"].(map[string]any)
	schemas["aisearch_common"] = common
	schemas["aisearch_list"] = map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/aisearch_common"}, envelope}}
	schemas["unrelated"] = map[string]any{"$ref": "#/components/schemas/missing-but-unreached"}
	media["schema"] = map[string]any{"$ref": "#/components/schemas/aisearch_list"}
	raw["paths"].(map[string]any)["/zones/{zone_id}/dns_records"] = map[string]any{
		"get": map[string]any{"$ref": "this is not even valid", "responses": "nor this"},
	}
	full, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	asYAML, err := yaml.JSONToYAML(full)
	if err != nil {
		t.Fatal(err)
	}
	for name, input := range map[string][]byte{"json": full, "yaml": asYAML} {
		t.Run(name, func(t *testing.T) {
			upstream, err := specgov.LoadUpstream(input)
			if err != nil {
				t.Fatal(err)
			}
			if n, want := upstream.Paths.Len(), len(specgov.TokensPaths); n != want {
				t.Fatalf("kept %d paths, want the %d tokens paths", n, want)
			}
			if _, ok := upstream.Components.Schemas["unrelated"]; ok {
				t.Error("kept a component the tokens paths do not reach")
			}
			report := specgov.Diff(loadSpec(t), upstream, defaultAllow(t))
			if !report.OK() {
				t.Fatalf("full-schema form differs from the reference: %v %v", keys(report.Unexplained), report.Stale)
			}
		})
	}
}

func TestLoadUpstreamRejectsBadInput(t *testing.T) {
	tests := map[string]string{
		"empty":           "",
		"not yaml":        "openapi: [",
		"not openapi":     `{"swagger": "2.0", "paths": {}}`,
		"no tokens paths": `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/zones": {}}}`,
		"dangling ref":    `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/accounts/{account_id}/ai-search/tokens": {"$ref": "#/components/pathItems/nope"}}}`,
		"external ref":    `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/accounts/{account_id}/ai-search/tokens": {"get": {"responses": {"200": {"$ref": "other.yaml#/r"}}}}}}`,
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := specgov.LoadUpstream([]byte(input)); err == nil {
				t.Fatal("want an error")
			} else {
				t.Log(err)
			}
		})
	}
}

// TestDiffSurvivesCycles: $ref cycles in upstream (a response that is its
// own reference, a recursive schema) must end in an error or a report,
// never a hang or a panic.
func TestDiffSurvivesCycles(t *testing.T) {
	const head = `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/accounts/{account_id}/ai-search/tokens": {"get": {"responses": {"200": `
	inputs := map[string]string{
		"self-referencing response": head + `{"$ref": "#/components/responses/r"}}}}}, "components": {"responses": {"r": {"$ref": "#/components/responses/r"}}}}`,
		"recursive schema": head + `{"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/node"}}}}}}}},
			"components": {"schemas": {"node": {"type": "object", "properties": {"result": {"$ref": "#/components/schemas/node"}}, "items": {"$ref": "#/components/schemas/node"}}}}}`,
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			upstream, err := specgov.LoadUpstream([]byte(input))
			if err != nil {
				t.Log(err)
				return
			}
			report := specgov.Diff(loadSpec(t), upstream, specgov.AllowList{})
			if report.OK() {
				t.Fatal("a garbage upstream matched our spec")
			}
		})
	}
}

func TestDiffRecursiveSpecsOnBothSides(t *testing.T) {
	const doc = `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/accounts/{account_id}/ai-search/tokens": {"get": {"responses": {"200": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/node"}}}}}}}},
		"components": {"schemas": {"node": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/node"}, "b": {"$ref": "#/components/schemas/node"}}, "items": {"$ref": "#/components/schemas/node"}}}}}`
	a, err := specgov.LoadUpstream([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	b, err := specgov.LoadUpstream([]byte(strings.Replace(doc, `"type": "object"`, `"type": "string"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	report := specgov.Diff(a, b, specgov.AllowList{})
	want := "GET /accounts/{account_id}/ai-search/tokens: response 200 body type: ours object, upstream string"
	if got := keys(report.Unexplained); len(got) != 1 || got[0] != want {
		t.Fatalf("got %q, want [%q]", got, want)
	}
}

// fullSchema joins the reference files into one document, as Cloudflare
// publishes them: one openapi.json with every path and component.
func fullSchema(t *testing.T) map[string]any {
	t.Helper()
	var full map[string]any
	for _, p := range referencePaths(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatal(err)
		}
		if full == nil {
			full = raw
			if _, ok := full["components"].(map[string]any)["schemas"]; !ok {
				full["components"].(map[string]any)["schemas"] = map[string]any{}
			}
			continue
		}
		for k, v := range raw["paths"].(map[string]any) {
			full["paths"].(map[string]any)[k] = v
		}
		for section, v := range raw["components"].(map[string]any) {
			dst, _ := full["components"].(map[string]any)[section].(map[string]any)
			if dst == nil {
				dst = map[string]any{}
				full["components"].(map[string]any)[section] = dst
			}
			for name, c := range v.(map[string]any) {
				dst[name] = c
			}
		}
	}
	return full
}
