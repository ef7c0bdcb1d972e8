package specgov

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/internal/specval"
)

// maxSchemaDepth bounds the comparison of (possibly recursive) schemas.
const maxSchemaDepth = 24

// schema compares two effective schemas at label ("param page",
// "response 200 body", "response 200 body.result.id"): the keywords that
// constrain values, required properties, properties, items and not.
func (c *comparer) schema(label string, a, b *openapi3.Schema) {
	c.schemaAt(label, a, b, 0)
}

func (c *comparer) schemaAt(label string, a, b *openapi3.Schema, depth int) {
	if a == nil || b == nil {
		c.same(label+" schema", presence(a != nil), presence(b != nil))
		return
	}
	// A pair already being compared higher up is a $ref cycle.
	pair := [2]*openapi3.Schema{a, b}
	if depth > maxSchemaDepth || c.inProgress[pair] {
		return
	}
	if c.inProgress == nil {
		c.inProgress = map[[2]*openapi3.Schema]bool{}
	}
	c.inProgress[pair] = true
	defer delete(c.inProgress, pair)
	// allOf merged, so an upstream envelope written as allOf of a common
	// part and a result compares equal to the same fields written inline.
	ea, eb := specval.MergeAllOf(a), specval.MergeAllOf(b)
	for _, kw := range keywords {
		c.same(label+" "+kw.name, kw.get(ea), kw.get(eb))
	}
	for _, name := range unionKeys(ea.Properties, eb.Properties) {
		pa, pb := ea.Properties[name], eb.Properties[name]
		plabel := label + "." + name
		if pa == nil || pb == nil {
			c.add(plabel, typeOf(pa), typeOf(pb))
			continue
		}
		c.schemaAt(plabel, pa.Value, pb.Value, depth+1)
	}
	for _, name := range unionRequired(ea.Required, eb.Required) {
		c.same(label+"."+name+" required",
			fmt.Sprint(slices.Contains(ea.Required, name)), fmt.Sprint(slices.Contains(eb.Required, name)))
	}
	if ea.Items != nil || eb.Items != nil {
		c.schemaAt(label+"[]", schemaOf(ea.Items), schemaOf(eb.Items), depth+1)
	}
	c.same(label+" not", describeNot(ea.Not), describeNot(eb.Not))
}

// keyword renders one schema keyword for comparison; "none" when unset.
type keyword struct {
	name string
	get  func(s *openapi3.Schema) string
}

var keywords = []keyword{
	{"type", func(s *openapi3.Schema) string { return typesString(s.Type) }},
	{"format", func(s *openapi3.Schema) string { return orNone(s.Format) }},
	{"nullable", func(s *openapi3.Schema) string { return strconv.FormatBool(s.Nullable) }},
	{"readOnly", func(s *openapi3.Schema) string { return strconv.FormatBool(s.ReadOnly) }},
	{"writeOnly", func(s *openapi3.Schema) string { return strconv.FormatBool(s.WriteOnly) }},
	{"enum", func(s *openapi3.Schema) string { return valueString(s.Enum) }},
	{"default", func(s *openapi3.Schema) string { return valueString(s.Default) }},
	{"minimum", func(s *openapi3.Schema) string { return floatString(s.Min) }},
	{"maximum", func(s *openapi3.Schema) string { return floatString(s.Max) }},
	{"exclusiveMinimum", func(s *openapi3.Schema) string { return valueString(s.ExclusiveMin) }},
	{"exclusiveMaximum", func(s *openapi3.Schema) string { return valueString(s.ExclusiveMax) }},
	{"minLength", func(s *openapi3.Schema) string { return uintString(s.MinLength) }},
	{"maxLength", func(s *openapi3.Schema) string { return uintPtrString(s.MaxLength) }},
	{"pattern", func(s *openapi3.Schema) string { return orNone(s.Pattern) }},
	{"minItems", func(s *openapi3.Schema) string { return uintString(s.MinItems) }},
	{"maxItems", func(s *openapi3.Schema) string { return uintPtrString(s.MaxItems) }},
	{"additionalProperties", func(s *openapi3.Schema) string { return additionalString(s.AdditionalProperties) }},
	{"oneOf", func(s *openapi3.Schema) string { return countString(len(s.OneOf)) }},
	{"anyOf", func(s *openapi3.Schema) string { return countString(len(s.AnyOf)) }},
}

func typeOf(r *openapi3.SchemaRef) string {
	if r == nil || r.Value == nil {
		return "absent"
	}
	return typesString(specval.MergeAllOf(r.Value).Type)
}

func typesString(t *openapi3.Types) string {
	if t == nil || t.IsEmpty() {
		return "any"
	}
	return strings.Join(t.Slice(), "|")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func floatString(f *float64) string {
	if f == nil {
		return "none"
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}

func uintString(u uint64) string {
	if u == 0 {
		return "none"
	}
	return strconv.FormatUint(u, 10)
}

func uintPtrString(u *uint64) string {
	if u == nil {
		return "none"
	}
	return strconv.FormatUint(*u, 10)
}

func countString(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprintf("%d alternatives", n)
}

// valueString renders a JSON value compactly and deterministically (map
// keys sorted by encoding/json); nil and empty lists are "none".
func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return "none"
	case []any:
		if len(x) == 0 {
			return "none"
		}
	case openapi3.ExclusiveBound:
		if x.IsTrue() {
			return "true"
		}
		if x.Value != nil {
			return floatString(x.Value)
		}
		return "none"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func additionalString(ap openapi3.AdditionalProperties) string {
	switch {
	case ap.Has != nil:
		return strconv.FormatBool(*ap.Has)
	case ap.Schema != nil:
		return "schema"
	}
	return "none"
}

// describeNot summarises a "not" schema by the keywords it forbids.
func describeNot(r *openapi3.SchemaRef) string {
	if r == nil || r.Value == nil {
		return "none"
	}
	if len(r.Value.Required) > 0 {
		req := slices.Sorted(slices.Values(r.Value.Required))
		return "required " + valueString(req)
	}
	return "schema"
}

func unionRequired(a, b []string) []string {
	all := append(slices.Clone(a), b...)
	slices.Sort(all)
	return slices.Compact(all)
}
