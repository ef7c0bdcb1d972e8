package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/tools/specgov/internal/spectest"
)

const (
	listPath = "/accounts/{account_id}/ai-search/tokens"
	itemPath = "/accounts/{account_id}/ai-search/tokens/{id}"
)

// baseSpec is the project's openapi.yaml at version 1.0.0, the base of every
// fixture, so the version arithmetic below does not depend on the real
// spec's current version.
func baseSpec(t *testing.T) []byte {
	t.Helper()
	return revise(t, "1.0.0", nil)
}

// realSpec is the project's openapi.yaml as committed.
func realSpec(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(spectest.Path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// revise takes a fresh copy of the real spec, lets edit change it, sets
// info.version and returns the result as JSON (oasdiff reads JSON and YAML
// alike).
func revise(t *testing.T, version string, edit func(doc *openapi3.T)) []byte {
	t.Helper()
	doc := spectest.Copy(t)
	if edit != nil {
		edit(doc)
	}
	doc.Info.Version = version
	out, err := doc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func schema(doc *openapi3.T, name string) *openapi3.Schema { return doc.Components.Schemas[name].Value }

func TestCheckCatchesBreakingChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(doc *openapi3.T)
		wantID string // oasdiff check id that must be reported
	}{
		{"removed operation", func(doc *openapi3.T) {
			doc.Paths.Value(itemPath).Delete = nil
		}, "api-removed-without-deprecation"},
		{"new required request field", func(doc *openapi3.T) {
			in := schema(doc, "TokenInput")
			in.Properties["description"] = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
			in.Required = append(in.Required, "description")
		}, "new-required-request-property"},
		{"removed response field", func(doc *openapi3.T) {
			tok := schema(doc, "Token")
			delete(tok.Properties, "cf_api_id")
			tok.Required = []string{"id", "name", "created_at", "modified_at"}
		}, "response-required-property-removed"},
		{"changed response type", func(doc *openapi3.T) {
			schema(doc, "Token").Properties["enabled"].Value.Type = &openapi3.Types{"string"}
		}, "response-property-type-changed"},
		{"changed parameter type", func(doc *openapi3.T) {
			// string -> integer narrows what a client may send.
			p := doc.Paths.Value(listPath).Get.Parameters.GetByInAndName("query", "search")
			p.Schema.Value.Type = &openapi3.Types{"integer"}
			p.Schema.Value.MaxLength = nil
			p.Schema.Value.Example = 1
		}, "request-parameter-type-changed"},
		{"narrowed enum", func(doc *openapi3.T) {
			p := doc.Paths.Value(listPath).Get.Parameters.GetByInAndName("query", "search")
			p.Schema.Value.Enum = []any{"a", "b"}
		}, "request-parameter-became-enum"},
		{"tightened constraint", func(doc *openapi3.T) {
			p := doc.Paths.Value(listPath).Get.Parameters.GetByInAndName("query", "per_page")
			fifty := 50.0
			p.Schema.Value.Max = &fifty
		}, "request-parameter-max-decreased"},
	}
	base := baseSpec(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A minor bump: the change itself, not a missing bump, must fail it.
			res, err := Check(base, revise(t, "1.1.0", tt.edit))
			if err != nil {
				t.Fatal(err)
			}
			if !res.Failed() {
				t.Fatalf("gate passed a breaking change: %+v", res)
			}
			if !containsID(res.Breaking, tt.wantID) {
				t.Errorf("breaking changes %q do not include [%s]", res.Breaking, tt.wantID)
			}
			if !containsID(res.Version, "api-major-version-not-bumped") {
				t.Errorf("version findings %q do not ask for a major bump", res.Version)
			}
		})
	}
}

func TestCheckPassesAdditiveChange(t *testing.T) {
	t.Parallel()
	additive := func(doc *openapi3.T) {
		// A new optional response field and a new optional query parameter.
		tok := schema(doc, "Token")
		desc := openapi3.NewStringSchema()
		desc.Description = "A note for people."
		tok.Properties["note"] = openapi3.NewSchemaRef("", desc)
		op := doc.Paths.Value(listPath).Get
		p := openapi3.NewQueryParameter("enabled").WithSchema(openapi3.NewBoolSchema())
		p.Description = "Only tokens with this enabled flag."
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: p})
	}
	res, err := Check(baseSpec(t), revise(t, "1.1.0", additive))
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() || !res.Changed {
		t.Fatalf("additive change: want changed and passing, got %+v", res)
	}
}

func TestCheckVersionPolicy(t *testing.T) {
	t.Parallel()
	removeDelete := func(doc *openapi3.T) { doc.Paths.Value(itemPath).Delete = nil }
	addNote := func(doc *openapi3.T) {
		schema(doc, "Token").Properties["note"] = openapi3.NewSchemaRef("", openapi3.NewStringSchema())
	}
	tests := []struct {
		name    string
		version string
		edit    func(doc *openapi3.T)
		wantID  string // "" means the gate passes
	}{
		{"unchanged spec, same version", "1.0.0", nil, ""},
		{"breaking with major bump", "2.0.0", removeDelete, ""},
		{"breaking without bump", "1.0.0", removeDelete, "api-version-not-bumped"},
		{"breaking with minor bump", "1.1.0", removeDelete, "api-major-version-not-bumped"},
		{"breaking with version decreased", "0.9.0", removeDelete, "api-version-decreased"},
		{"additive with minor bump", "1.1.0", addNote, ""},
		{"additive with patch bump", "1.0.1", addNote, ""},
		{"additive without bump", "1.0.0", addNote, "spec-changed-version-not-bumped"},
	}
	base := baseSpec(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Check(base, revise(t, tt.version, tt.edit))
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantID == "" {
				if res.Failed() {
					t.Fatalf("want pass, got version findings %q", res.Version)
				}
				return
			}
			if !containsID(res.Version, tt.wantID) {
				t.Fatalf("version findings %q do not include [%s]", res.Version, tt.wantID)
			}
		})
	}
}

func TestCheckRejectsInvalidSpec(t *testing.T) {
	t.Parallel()
	if _, err := Check(realSpec(t), []byte("openapi: 3.0.3\npaths: [")); err == nil {
		t.Fatal("want an error for a spec that does not parse")
	}
}

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	base := write("base.json", baseSpec(t))
	broken := write("broken.json", revise(t, "1.0.0", func(doc *openapi3.T) { doc.Paths.Value(itemPath).Delete = nil }))
	major := write("major.json", revise(t, "2.0.0", func(doc *openapi3.T) { doc.Paths.Value(itemPath).Delete = nil }))
	tests := []struct {
		name string
		args []string
		want int
		out  string
	}{
		{"same", []string{base, base}, 0, "did not change"},
		{"broken", []string{"--base-name", "HEAD~1", base, broken}, 1, "api-removed-without-deprecation"},
		{"major bump", []string{base, major}, 0, "released as major version 2.0.0"},
		{"missing file", []string{base, filepath.Join(dir, "nope.yaml")}, 2, ""},
		{"one argument", []string{base}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if got := run(tt.args, &stdout, &stderr); got != tt.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.want, &stdout, &stderr)
			}
			if !strings.Contains(stdout.String(), tt.out) {
				t.Errorf("stdout lacks %q:\n%s", tt.out, &stdout)
			}
		})
	}
}

func containsID(lines []string, id string) bool {
	for _, l := range lines {
		if strings.Contains(l, "["+id+"]") {
			return true
		}
	}
	return false
}
