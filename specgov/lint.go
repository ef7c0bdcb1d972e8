package specgov

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Finding is one lint problem.
type Finding struct {
	Rule     string // stable rule name: "operation-summary", "description", "error-envelope", "example", "unused-component"...
	Location string // "GET /accounts/{account_id}/ai-search/tokens: response 404" or "components.schemas.Token.properties.name"
	Message  string
}

func (f Finding) String() string { return f.Location + ": " + f.Message + " [" + f.Rule + "]" }

// ErrorEnvelopes are the shared schemas every 4xx/5xx response must use.
var ErrorEnvelopes = []string{"ErrorEnvelope", "ValidationErrorEnvelope", "FailureEnvelope"}

// Lint checks doc beyond OpenAPI validity: every operation has an
// operationId, summary, description, tag and security; every parameter,
// schema property, request body, response and header has a description;
// every 4xx/5xx (and default) response uses a shared error envelope schema;
// every example validates against its schema; every component is used.
// Findings are sorted by location.
func Lint(doc *openapi3.T) []Finding {
	l := &linter{doc: doc, seen: map[*openapi3.Schema]bool{}}
	l.components()
	l.paths()
	l.unused()
	slices.SortStableFunc(l.findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Location, b.Location), cmp.Compare(a.Rule, b.Rule))
	})
	return l.findings
}

type linter struct {
	doc      *openapi3.T
	seen     map[*openapi3.Schema]bool // schemas already checked (shared or recursive)
	findings []Finding
}

func (l *linter) add(rule, loc, format string, args ...any) {
	l.findings = append(l.findings, Finding{rule, loc, fmt.Sprintf(format, args...)})
}

func (l *linter) components() {
	c := l.doc.Components
	if c == nil {
		return
	}
	for _, name := range sortedKeys(c.Schemas) {
		if s := c.Schemas[name]; s != nil && s.Value != nil {
			l.schema("components.schemas."+name, s.Value, 0)
		}
	}
	for _, name := range sortedKeys(c.Parameters) {
		if p := c.Parameters[name]; p != nil && p.Value != nil {
			l.parameter("components.parameters."+name, p.Value)
		}
	}
	for _, name := range sortedKeys(c.Headers) {
		if h := c.Headers[name]; h != nil && h.Value != nil {
			l.parameter("components.headers."+name, &h.Value.Parameter)
		}
	}
	for _, name := range sortedKeys(c.RequestBodies) {
		if b := c.RequestBodies[name]; b != nil && b.Value != nil {
			l.requestBody("components.requestBodies."+name, b.Value)
		}
	}
	for _, name := range sortedKeys(c.Responses) {
		if r := c.Responses[name]; r != nil && r.Value != nil {
			l.response("components.responses."+name, r.Value)
		}
	}
}

func (l *linter) paths() {
	if l.doc.Paths == nil {
		return
	}
	for _, path := range l.doc.Paths.InMatchingOrder() {
		item := l.doc.Paths.Value(path)
		l.parameterRefs(path, item.Parameters)
		for _, m := range methods {
			if op := item.GetOperation(m); op != nil {
				l.operation(m+" "+path, op)
			}
		}
	}
}

func (l *linter) operation(where string, op *openapi3.Operation) {
	required := []struct{ rule, name, value string }{
		{"operation-id", "operationId", op.OperationID},
		{"operation-summary", "summary", op.Summary},
		{"operation-description", "description", op.Description},
	}
	for _, r := range required {
		if strings.TrimSpace(r.value) == "" {
			l.add(r.rule, where, "operation has no %s", r.name)
		}
	}
	if len(op.Tags) == 0 {
		l.add("operation-tag", where, "operation has no tag")
	}
	if reqs := effectiveSecurity(l.doc, op); len(reqs) == 0 {
		l.add("operation-security", where, "operation has no security requirement")
	}
	l.parameterRefs(where, op.Parameters)
	if op.RequestBody != nil && op.RequestBody.Ref == "" && op.RequestBody.Value != nil {
		l.requestBody(where+": request body", op.RequestBody.Value)
	}
	if op.Responses == nil {
		return
	}
	for _, code := range sortedKeys(op.Responses.Map()) {
		r := op.Responses.Value(code)
		if r == nil || r.Value == nil {
			continue
		}
		loc := where + ": response " + code
		if r.Ref == "" {
			l.response(loc, r.Value)
		}
		if isErrorStatus(code) {
			l.errorEnvelope(loc, r.Value)
		}
	}
}

func effectiveSecurity(doc *openapi3.T, op *openapi3.Operation) openapi3.SecurityRequirements {
	if op.Security != nil {
		return *op.Security
	}
	return doc.Security
}

// isErrorStatus reports whether a response key is 4xx, 5xx or default.
func isErrorStatus(code string) bool {
	return code == "default" || strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5")
}

// errorEnvelope checks that every body of an error response is one of the
// shared envelopes, by reference: an inline copy would drift.
func (l *linter) errorEnvelope(loc string, r *openapi3.Response) {
	if len(r.Content) == 0 {
		l.add("error-envelope", loc, "error response has no body; use %s", strings.Join(ErrorEnvelopes, " or "))
		return
	}
	for _, mt := range sortedKeys(r.Content) {
		s := r.Content[mt].Schema
		name := ""
		if s != nil {
			if c, ok := parseComponentRef(s.Ref); ok && c.section == "schemas" {
				name = c.name
			}
		}
		if !slices.Contains(ErrorEnvelopes, name) {
			l.add("error-envelope", loc, "%s body is not $ref to a shared error envelope (%s)", mt, strings.Join(ErrorEnvelopes, " or "))
		}
	}
}

func (l *linter) parameterRefs(where string, params openapi3.Parameters) {
	for _, p := range params {
		// Referenced parameters are checked once, as components.
		if p != nil && p.Ref == "" && p.Value != nil {
			l.parameter(where+": param "+p.Value.Name, p.Value)
		}
	}
}

func (l *linter) parameter(loc string, p *openapi3.Parameter) {
	if strings.TrimSpace(p.Description) == "" {
		l.add("description", loc, "has no description")
	}
	var s *openapi3.Schema
	if p.Schema != nil && p.Schema.Value != nil {
		s = p.Schema.Value
		if p.Schema.Ref == "" {
			l.schema(loc+".schema", s, 0)
		}
	}
	l.examples(loc, s, p.Example, p.Examples)
}

func (l *linter) requestBody(loc string, b *openapi3.RequestBody) {
	if strings.TrimSpace(b.Description) == "" {
		l.add("description", loc, "has no description")
	}
	l.content(loc, b.Content, openapi3.VisitAsRequest())
}

func (l *linter) response(loc string, r *openapi3.Response) {
	if r.Description == nil || strings.TrimSpace(*r.Description) == "" {
		l.add("description", loc, "has no description")
	}
	for _, name := range sortedKeys(r.Headers) {
		if h := r.Headers[name]; h != nil && h.Ref == "" && h.Value != nil {
			l.parameter(loc+": header "+name, &h.Value.Parameter)
		}
	}
	l.content(loc, r.Content, openapi3.VisitAsResponse())
}

func (l *linter) content(loc string, content openapi3.Content, direction openapi3.SchemaValidationOption) {
	for _, mt := range sortedKeys(content) {
		m := content[mt]
		var s *openapi3.Schema
		if m.Schema != nil && m.Schema.Value != nil {
			s = m.Schema.Value
			if m.Schema.Ref == "" {
				l.schema(loc+" "+mt+".schema", s, 0)
			}
		}
		l.examples(loc+" "+mt, s, m.Example, m.Examples, direction)
	}
}

// maxLintDepth bounds the walk of nested inline schemas.
const maxLintDepth = 64

// schema checks one schema and its inline subschemas: every property has a
// description (a $ref property takes the referenced schema's), and its
// example validates.
func (l *linter) schema(loc string, s *openapi3.Schema, depth int) {
	if s == nil || l.seen[s] || depth > maxLintDepth {
		return
	}
	l.seen[s] = true
	if s.Example != nil {
		l.example(loc, s, s.Example)
	}
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name]
		if p == nil || p.Value == nil {
			continue
		}
		ploc := loc + ".properties." + name
		if strings.TrimSpace(p.Value.Description) == "" {
			l.add("description", ploc, "property has no description")
		}
		l.inline(ploc, p, depth)
	}
	l.inline(loc+".items", s.Items, depth)
	l.inline(loc+".not", s.Not, depth)
	l.inline(loc+".additionalProperties", s.AdditionalProperties.Schema, depth)
	for kw, list := range map[string]openapi3.SchemaRefs{"allOf": s.AllOf, "oneOf": s.OneOf, "anyOf": s.AnyOf} {
		for i, sub := range list {
			l.inline(fmt.Sprintf("%s.%s[%d]", loc, kw, i), sub, depth)
		}
	}
}

// inline descends into a subschema written in place; a $ref is checked
// where it is defined.
func (l *linter) inline(loc string, r *openapi3.SchemaRef, depth int) {
	if r != nil && r.Ref == "" && r.Value != nil {
		l.schema(loc, r.Value, depth+1)
	}
}

// examples validates an object's example and named examples against s.
func (l *linter) examples(loc string, s *openapi3.Schema, example any, named openapi3.Examples, opts ...openapi3.SchemaValidationOption) {
	if s == nil {
		return
	}
	if example != nil {
		l.example(loc+" example", s, example, opts...)
	}
	for _, name := range sortedKeys(named) {
		if e := named[name]; e != nil && e.Value != nil && e.Value.Value != nil {
			l.example(loc+" examples."+name, s, e.Value.Value, opts...)
		}
	}
}

func (l *linter) example(loc string, s *openapi3.Schema, value any, opts ...openapi3.SchemaValidationOption) {
	opts = append(opts, openapi3.EnableFormatValidation())
	if err := s.VisitJSON(value, opts...); err != nil {
		l.add("example", loc, "example does not match its schema: %s", firstLine(err.Error()))
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
