package specgov_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/specgov"
)

func TestLintRealSpec(t *testing.T) {
	if findings := specgov.Lint(loadSpec(t)); len(findings) > 0 {
		for _, f := range findings {
			t.Error(f)
		}
	}
}

func TestLintBrokenSpecs(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(doc *openapi3.T)
		rule     string
		location string // the finding's location must contain this
	}{
		{"operation without summary", func(doc *openapi3.T) {
			doc.Paths.Value(listPath).Get.Summary = ""
		}, "operation-summary", "GET " + listPath},
		{"operation without description", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Put.Description = " "
		}, "operation-description", "PUT " + itemPath},
		{"operation without operationId", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Delete.OperationID = ""
		}, "operation-id", "DELETE " + itemPath},
		{"operation without tag", func(doc *openapi3.T) {
			doc.Paths.Value(listPath).Post.Tags = nil
		}, "operation-tag", "POST " + listPath},
		{"operation without security", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Get.Security = nil
		}, "operation-security", "GET " + itemPath},
		{"operation with empty security", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Get.Security = &openapi3.SecurityRequirements{}
		}, "operation-security", "GET " + itemPath},
		{"parameter without description", func(doc *openapi3.T) {
			queryParam(doc, "search").Description = ""
		}, "description", "GET " + listPath + ": param search"},
		{"component parameter without description", func(doc *openapi3.T) {
			doc.Components.Parameters["TokenID"].Value.Description = ""
		}, "description", "components.parameters.TokenID"},
		{"property without description", func(doc *openapi3.T) {
			doc.Components.Schemas["Token"].Value.Properties["name"].Value.Description = ""
		}, "description", "components.schemas.Token.properties.name"},
		{"$ref property whose schema has no description", func(doc *openapi3.T) {
			doc.Components.Schemas["ResultInfo"].Value.Description = ""
		}, "description", "components.schemas.TokenListEnvelope.properties.result_info"},
		{"response without description", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Get.Responses.Value("404").Value.Description = ptr("")
		}, "description", "GET " + itemPath + ": response 404"},
		{"header without description", func(doc *openapi3.T) {
			doc.Components.Responses["RateLimited"].Value.Headers["Retry-After"].Value.Description = ""
		}, "description", "components.responses.RateLimited: header Retry-After"},
		{"error response with inline schema", func(doc *openapi3.T) {
			r := doc.Paths.Value(itemPath).Delete.Responses.Value("409").Value
			inline := *doc.Components.Schemas["ErrorEnvelope"].Value
			r.Content["application/json"].Schema = openapi3.NewSchemaRef("", &inline)
		}, "error-envelope", "DELETE " + itemPath + ": response 409"},
		{"error response with a success schema", func(doc *openapi3.T) {
			r := doc.Paths.Value(listPath).Get.Responses.Value("400").Value
			r.Content["application/json"].Schema = openapi3.NewSchemaRef("#/components/schemas/TokenEnvelope", doc.Components.Schemas["TokenEnvelope"].Value)
		}, "error-envelope", "GET " + listPath + ": response 400"},
		{"error response without body", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Get.Responses.Set("500", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("Edge error.")})
		}, "error-envelope", "GET " + itemPath + ": response 500"},
		{"bad parameter example", func(doc *openapi3.T) {
			queryParam(doc, "per_page").Schema.Value.Example = 500
		}, "example", "param per_page.schema"},
		{"bad property example", func(doc *openapi3.T) {
			doc.Components.Schemas["Token"].Value.Properties["created_at"].Value.Example = "yesterday"
		}, "example", "components.schemas.Token.properties.created_at"},
		{"bad response example", func(doc *openapi3.T) {
			mt := doc.Components.Responses["AuthenticationError"].Value.Content["application/json"]
			mt.Example = map[string]any{"success": true, "errors": []any{}}
		}, "example", "components.responses.AuthenticationError application/json example"},
		{"response example leaking the secret", func(doc *openapi3.T) {
			mt := doc.Paths.Value(listPath).Post.Responses.Value("201").Value.Content["application/json"]
			ex := mt.Example.(map[string]any)
			ex["result"].(map[string]any)["cf_api_key"] = "REDACTED"
		}, "example", "POST " + listPath + ": response 201 application/json example"},
		{"unused schema", func(doc *openapi3.T) {
			s := openapi3.NewStringSchema()
			s.Description = "Nobody uses this."
			doc.Components.Schemas["Orphan"] = openapi3.NewSchemaRef("", s)
		}, "unused-component", "components.schemas.Orphan"},
		{"schema used only by an unused schema", func(doc *openapi3.T) {
			doc.Components.Schemas["Orphan"] = openapi3.NewSchemaRef("", &openapi3.Schema{
				Description: "Nobody uses this.",
				Type:        &openapi3.Types{"object"},
				Properties:  openapi3.Schemas{"t": openapi3.NewSchemaRef("#/components/schemas/ResultInfo", doc.Components.Schemas["ResultInfo"].Value)},
			})
			// ResultInfo's only users go away.
			for _, env := range []string{"TokenListEnvelope", "APITokenListEnvelope", "PermissionGroupListEnvelope",
				"InstanceListEnvelope", "JobListEnvelope", "JobLogListEnvelope", "NamespaceListEnvelope"} {
				s := doc.Components.Schemas[env].Value
				delete(s.Properties, "result_info")
				s.Required = slices.DeleteFunc(s.Required, func(r string) bool { return r == "result_info" })
			}
		}, "unused-component", "components.schemas.ResultInfo"},
		{"unused response", func(doc *openapi3.T) {
			for _, item := range doc.Paths.Map() {
				for _, op := range item.Operations() {
					op.Responses.Delete("429")
				}
			}
		}, "unused-component", "components.responses.RateLimited"},
		{"unused security scheme", func(doc *openapi3.T) {
			doc.Components.SecuritySchemes["oauth"] = &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme()}
		}, "unused-component", "components.securitySchemes.oauth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case breaks a copy of its own
			doc := loadSpec(t)
			tt.edit(doc)
			findings := specgov.Lint(doc)
			for _, f := range findings {
				if f.Rule == tt.rule && strings.Contains(f.Location, tt.location) {
					t.Log(f)
					return
				}
			}
			t.Fatalf("no [%s] finding at %q; got %d finding(s): %v", tt.rule, tt.location, len(findings), findings)
		})
	}
}
