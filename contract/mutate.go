package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/go-aisearch/tokens/internal/cfauth"
	"github.com/go-aisearch/tokens/internal/specval"
)

// Mutant is a deliberately broken copy of a valid interaction; Check must
// report at least one violation for it.
type Mutant struct {
	Name        string // what was broken: "drop body.result.id"
	Interaction Interaction
}

// probeStatuses are the statuses a status mutant tries; each one the
// operation does not document becomes a mutant (201 for a get, 200 for a
// create, and the 401 and 500 no operation documents).
var probeStatuses = []int{200, 201, 401, 500}

// Mutants breaks ix systematically, one change per mutant: every status the
// operation does not document, every required response header dropped or
// mistyped, and for every field of the response body that the schema
// describes, each required one dropped, each one retyped, nulled when not
// nullable, given a bad format, its enum flipped, a forbidden or unexpected
// property added; plus request changes the response then fails to answer
// (credentials dropped, a malformed id, a request secret echoed back, a 400
// that reports the wrong path). ix must itself pass Check.
func (v *Validator) Mutants(ix Interaction) []Mutant {
	_, route, pathParams, _ := v.route(ix)
	if route == nil {
		return nil
	}
	op := route.Operation
	resp := op.Responses.Status(ix.Status)
	if resp == nil || resp.Value == nil {
		return nil
	}
	var out []Mutant
	add := func(name string, m Interaction) { out = append(out, Mutant{name, m}) }

	for _, s := range probeStatuses {
		if s != ix.Status && op.Responses.Status(s) == nil {
			m := clone(ix)
			m.Status = s
			add(fmt.Sprintf("status %d", s), m)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(resp.Value.Headers)) {
		h := resp.Value.Headers[name]
		if h.Value == nil || ix.ResponseHeader.Get(name) == "" {
			continue
		}
		if h.Value.Required {
			m := clone(ix)
			m.ResponseHeader.Del(name)
			add("drop header "+name, m)
		}
		m := clone(ix)
		m.ResponseHeader.Set(name, "soon")
		add("retype header "+name, m)
	}
	if mt := resp.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
		var root any
		if decode(ix.ResponseBody, &root) == nil {
			bodyMutants(mt.Schema.Value, root, nil, func(name string, edit func(any) any) {
				var fresh any
				_ = decode(ix.ResponseBody, &fresh)
				m := clone(ix)
				m.ResponseBody = encode(edit(fresh))
				add(name, m)
			})
		}
	}
	out = append(out, v.requestMutants(ix, route, pathParams)...)
	return out
}

func (v *Validator) requestMutants(ix Interaction, route *routers.Route, pathParams map[string]string) []Mutant {
	var out []Mutant
	rejected := len(v.ValidateRequest(context.Background(), ix).Request) > 0
	// An answer about the credential (or the rate) comes before the
	// request is looked at: breaking the request would not change it.
	auth := authAnswer(ix)
	if !auth {
		m := clone(ix)
		for _, h := range cfauth.Headers() {
			m.RequestHeader.Del(h)
		}
		out = append(out, Mutant{"drop request credentials", m})
	}
	if !rejected && !auth {
		out = append(out, pathMutants(ix, route, pathParams)...)
	}
	if !rejected && ix.Status < 300 && route.Operation.RequestBody != nil && len(ix.RequestBody) > 0 {
		m := clone(ix)
		m.RequestHeader.Set("Content-Type", "application/json;;;")
		out = append(out, Mutant{"unparseable request Content-Type", m})
		m = clone(ix)
		m.RequestBody = append(m.RequestBody, " trailing garbage"...)
		out = append(out, Mutant{"trailing garbage after the request body", m})
	}
	if key := parseSent(ix).Key; len(key) >= cfauth.MinSecretLen {
		var root map[string]any
		if decode(ix.ResponseBody, &root) == nil {
			msgs, _ := root["messages"].([]any)
			root["messages"] = append(msgs, map[string]any{"code": 1000, "message": "stored " + key})
			m := clone(ix)
			m.ResponseBody = encode(root)
			out = append(out, Mutant{"echo request cf_api_key in body.messages", m})
		}
	}
	if rejected && ix.Status == 400 && !auth {
		var root map[string]any
		if decode(ix.ResponseBody, &root) == nil {
			errs, _ := root["errors"].([]any)
			for _, e := range errs {
				if em, ok := e.(map[string]any); ok {
					em["path"] = []any{"query", "unrelated"}
				}
			}
			m := clone(ix)
			m.ResponseBody = encode(root)
			out = append(out, Mutant{"misreport body.errors[].path", m})
		}
	}
	return out
}

// bodyMutants walks node with its schema and calls emit once per mutation;
// edit receives a fresh decoded copy of the whole body and returns the
// mutated body.
func bodyMutants(s *openapi3.Schema, node any, path []any, emit func(name string, edit func(root any) any)) {
	at := func(edit func(parent any, key any)) func(any) any {
		return func(root any) any {
			if len(path) == 0 {
				return root
			}
			parent := root
			for _, k := range path[:len(path)-1] {
				parent = child(parent, k)
			}
			edit(parent, path[len(path)-1])
			return root
		}
	}
	set := func(val any) func(any) any {
		return at(func(parent, key any) { setChild(parent, key, val) })
	}
	s = specval.MergeAllOf(s) // allOf [fields, {value}] is mutated field by field
	where := "body" + pathString(path)
	if len(path) > 0 && s.Type != nil && len(s.Type.Slice()) > 0 {
		emit(fmt.Sprintf("retype %s (%s)", where, kind(node)), set(otherType(node, s)))
		if node != nil && !s.Nullable {
			emit("null "+where, set(nil))
		}
		if b, ok := node.(bool); ok && len(s.Enum) > 0 {
			emit("flip "+where, set(!b))
		}
		if str, ok := node.(string); ok && str != "" {
			switch s.Format {
			case "uuid":
				emit("malformed uuid "+where, set("not-a-uuid"))
			case "date-time":
				emit("malformed date-time "+where, set("27/12/2019 18:11"))
			}
		}
		if _, ok := node.(string); ok {
			if s.MinLength > 1 {
				emit("shorten "+where, set(strings.Repeat("x", int(s.MinLength)-1)))
			}
			if s.MaxLength != nil {
				emit("lengthen "+where, set(strings.Repeat("x", int(*s.MaxLength)+1)))
			}
			if len(s.Enum) > 0 {
				emit("unknown enum value "+where, set("not-in-the-enum"))
			}
		}
		if items, ok := node.([]any); ok && s.MinItems > 0 && len(items) > 0 {
			emit("empty "+where, set([]any{}))
		}
	}
	switch n := node.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := n[r]; ok {
				emit("drop "+where+"."+r, func(root any) any {
					target := root
					for _, k := range path {
						target = child(target, k)
					}
					delete(target.(map[string]any), r)
					return root
				})
			}
		}
		if s.Not != nil && s.Not.Value != nil {
			for _, r := range s.Not.Value.Required {
				emit("leak "+where+"."+r, addKey(path, r, RedactedCFAPIKey))
			}
		}
		if ap := s.AdditionalProperties.Has; ap != nil && !*ap {
			emit("extra property in "+where, addKey(path, "unexpected", 1))
		}
		for _, k := range slices.Sorted(maps.Keys(n)) {
			if ps := s.Properties[k]; ps != nil && ps.Value != nil {
				bodyMutants(ps.Value, n[k], append(slices.Clone(path), k), emit)
			}
		}
	case []any:
		if s.Items != nil && s.Items.Value != nil {
			for i, item := range n {
				bodyMutants(s.Items.Value, item, append(slices.Clone(path), i), emit)
			}
		}
	}
}

// pathMutants replaces, one at a time, each path parameter that the spec
// constrains with a value it forbids: "not-a-uuid" for a uuid, one
// character too many or too few for a bounded length.
func pathMutants(ix Interaction, route *routers.Route, pathParams map[string]string) []Mutant {
	u, err := url.Parse(ix.URL)
	if err != nil {
		return nil
	}
	var params openapi3.Parameters
	if route.PathItem != nil {
		params = append(params, route.PathItem.Parameters...)
	}
	params = append(params, route.Operation.Parameters...)
	var out []Mutant
	for _, p := range params {
		if p.Value == nil || p.Value.In != "path" || p.Value.Schema == nil || p.Value.Schema.Value == nil {
			continue
		}
		bad := forbiddenValue(p.Value.Schema.Value)
		if bad == "" {
			continue
		}
		path := route.Path
		for name, val := range pathParams {
			if name == p.Value.Name {
				val = bad
			}
			path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(val))
		}
		m := clone(ix)
		mu := *u
		mu.Path, mu.RawPath = "/client/v4"+path, ""
		m.URL = mu.String()
		out = append(out, Mutant{"malformed request path." + p.Value.Name, m})
	}
	return out
}

// forbiddenValue is a non-empty string s rejects, or "" when s accepts any.
func forbiddenValue(s *openapi3.Schema) string {
	switch {
	case s.Format == "uuid":
		return "not-a-uuid"
	case s.MaxLength != nil:
		return strings.Repeat("f", int(*s.MaxLength)+1)
	case s.MinLength > 1:
		return strings.Repeat("f", int(s.MinLength)-1)
	}
	return ""
}

func addKey(path []any, key string, val any) func(any) any {
	return func(root any) any {
		target := root
		for _, k := range path {
			target = child(target, k)
		}
		target.(map[string]any)[key] = val
		return root
	}
}

func child(node any, key any) any {
	switch k := key.(type) {
	case string:
		return node.(map[string]any)[k]
	default:
		return node.([]any)[k.(int)]
	}
}

func setChild(node any, key any, val any) {
	switch k := key.(type) {
	case string:
		node.(map[string]any)[k] = val
	default:
		node.([]any)[k.(int)] = val
	}
}

func pathString(path []any) string {
	var b strings.Builder
	for _, k := range path {
		switch k := k.(type) {
		case string:
			b.WriteString("." + k)
		case int:
			b.WriteString("." + strconv.Itoa(k))
		}
	}
	return b.String()
}

func kind(node any) string {
	switch node.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	default:
		return "object"
	}
}

// otherType is a value of another JSON type than node, and than s's
// type when node is null (a null integer retyped to 0 would still be an
// integer).
func otherType(node any, s *openapi3.Schema) any {
	switch node.(type) {
	case string:
		return 12345
	case json.Number, bool:
		return "1"
	case []any:
		return map[string]any{}
	case nil:
		if s.Type.Includes("integer") || s.Type.Includes("number") {
			return "1"
		}
		return 0
	default:
		return []any{}
	}
}

func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only values decoded from JSON or built here
	}
	return b
}

func clone(ix Interaction) Interaction {
	ix.RequestHeader = ix.RequestHeader.Clone()
	if ix.RequestHeader == nil {
		ix.RequestHeader = http.Header{}
	}
	ix.ResponseHeader = ix.ResponseHeader.Clone()
	if ix.ResponseHeader == nil {
		ix.ResponseHeader = http.Header{}
	}
	ix.RequestBody = slices.Clone(ix.RequestBody)
	ix.ResponseBody = slices.Clone(ix.ResponseBody)
	return ix
}
