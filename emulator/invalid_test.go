package emulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/spec"
)

// badRequest is one request the spec forbids.
type badRequest struct {
	method, path, body, contentType string
	why                             string
	keyAuth                         bool // the operation accepts X-Auth-Email with X-Auth-Key too
}

// invalidRequests derives bad requests from the spec's own constraints
// (query bounds, lengths, enums and types, path parameter formats and
// lengths, required body fields and their types) and adds garbage bodies.
// keyAuth says whether the operation accepts X-Auth-Email with X-Auth-Key.
func invalidRequests(t *testing.T) []badRequest {
	t.Helper()
	doc, err := spec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	var out []badRequest
	for tmpl, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := append(openapi3.Parameters{}, item.Parameters...)
			params = append(params, op.Parameters...)
			good := map[string]string{"account_id": account, "id": uuid.NewString(), "token_id": "0123456789abcdef0123456789abcdef"}
			pathWith := func(name, v string) string {
				p := tmpl
				for n, gv := range good {
					if n == name {
						gv = v
					}
					p = strings.ReplaceAll(p, "{"+n+"}", gv)
				}
				return p
			}
			path := pathWith("", "")
			var schema *openapi3.Schema
			var goodMap map[string]any
			goodBody := ""
			if op.RequestBody != nil {
				schema = op.RequestBody.Value.Content.Get("application/json").Schema.Value
				goodMap = validBody(schema)
				goodBody = mustJSON(goodMap)
			}
			keyAuth := acceptsKey(doc, op)
			add := func(p, q, body, ct, why string) {
				if q != "" {
					p += "?" + q
				}
				if ct == "" && body != "" {
					ct = "application/json"
				}
				out = append(out, badRequest{method, p, body, ct, fmt.Sprintf("%s %s: %s", method, tmpl, why), keyAuth})
			}
			for _, pr := range params {
				p := pr.Value
				s := p.Schema.Value
				switch p.In {
				case "query":
					for _, v := range badValues(s) {
						add(path, p.Name+"="+v, goodBody, "", fmt.Sprintf("%s=%q", p.Name, v))
					}
				case "path":
					for _, v := range badPathValues(s) {
						add(pathWith(p.Name, v), "", goodBody, "", p.Name+" "+v)
					}
				}
			}
			if op.RequestBody == nil {
				continue
			}
			for _, req := range schema.Required {
				m := maps.Clone(goodMap)
				delete(m, req)
				add(path, "", mustJSON(m), "", "missing "+req)
			}
			for name, prop := range schema.Properties {
				for _, v := range wrongTypes(prop.Value) {
					m := maps.Clone(goodMap)
					m[name] = v
					add(path, "", mustJSON(m), "", fmt.Sprintf("%s=%s", name, mustJSON(v)))
				}
			}
			for _, g := range garbageBodies() {
				if validFor(schema, g) {
					continue // `{}` is a fine roll body
				}
				add(path, "", g, "", "garbage "+trim(g))
			}
			for _, ct := range []string{"text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"} {
				add(path, "", goodBody, ct, "content type "+ct)
			}
		}
	}
	return out
}

// validBody is a body the schema accepts: the required fields (and only
// them) with plausible values.
func validBody(s *openapi3.Schema) map[string]any {
	values := map[string]any{
		"name": "n", "cf_api_id": "i", "cf_api_key": "k",
		"policies": []any{map[string]any{
			"effect": "allow", "permission_groups": []any{map[string]any{"id": emulator.AISearchIndexEngineGroupID}},
			"resources": map[string]any{"com.cloudflare.api.account." + account: "*"},
		}},
	}
	m := map[string]any{}
	for _, req := range s.Required {
		m[req] = values[req]
	}
	return m
}

// validFor reports whether body is one JSON value that schema accepts.
func validFor(schema *openapi3.Schema, body string) bool {
	var v any
	dec := json.NewDecoder(strings.NewReader(body))
	if dec.Decode(&v) != nil || len(body) > emulator.DefaultMaxBodyBytes {
		return false
	}
	if _, err := dec.Token(); err != io.EOF { // more after the value
		return false
	}
	return schema.VisitJSON(v) == nil
}

// acceptsKey reports whether one of op's security requirements is the
// X-Auth-Email and X-Auth-Key pair.
func acceptsKey(doc *openapi3.T, op *openapi3.Operation) bool {
	reqs := op.Security
	if reqs == nil {
		reqs = &doc.Security
	}
	for _, req := range *reqs {
		if _, ok := req["api_key"]; ok {
			return true
		}
	}
	return false
}

// badPathValues breaks a path parameter's format or length.
func badPathValues(s *openapi3.Schema) []string {
	var vs []string
	if s.Format == "uuid" {
		vs = append(vs, "not-a-uuid", "1234", "62af0db3-c410-40b2-9ee3-0e93f6dd1de", "62af0db3c41040b29ee30e93f6dd1de0x", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz", "%20")
	}
	if s.MaxLength != nil {
		vs = append(vs, strings.Repeat("a", int(*s.MaxLength)+1))
	}
	if s.MinLength > 1 {
		vs = append(vs, strings.Repeat("a", int(s.MinLength)-1), "x")
	}
	return vs
}

// badValues breaks each constraint of a query parameter's schema.
func badValues(s *openapi3.Schema) []string {
	var vs []string
	if s.Type.Is("integer") {
		vs = append(vs, "abc", "1.5", "1e3", "", "0x10", "99999999999999999999")
		if s.Min != nil {
			vs = append(vs, fmt.Sprint(int(*s.Min)-1), fmt.Sprint(int(*s.Min)-1000))
		}
		if s.Max != nil {
			vs = append(vs, fmt.Sprint(int(*s.Max)+1), fmt.Sprint(int(*s.Max)*1000))
		}
	}
	if s.MaxLength != nil {
		vs = append(vs, strings.Repeat("a", int(*s.MaxLength)+1), strings.Repeat("%C3%A9", int(*s.MaxLength)+1))
	}
	if s.Type.Is("boolean") {
		vs = append(vs, "maybe", "2", "")
	}
	if len(s.Enum) > 0 {
		vs = append(vs, "sideways", "ASC", "")
	}
	return vs
}

// wrongTypes returns JSON values of every type the property does not accept.
func wrongTypes(s *openapi3.Schema) []any {
	all := map[string]any{"string": "s", "boolean": true, "number": 1.5, "integer": 7, "array": []any{"a"}, "object": map[string]any{"a": 1}}
	var out []any
	for typ, v := range all {
		if !s.Type.Is(typ) {
			out = append(out, v)
		}
	}
	if s.Nullable { // null is a wrong type only where the schema refuses it
		return out
	}
	return append(out, nil)
}

func garbageBodies() []string {
	r := rand.New(rand.NewPCG(1, 2))
	out := []string{
		`{`, `{"name":`, `[]`, `[{"name":"n"}]`, `"string"`, `42`, `true`, `null`, `{}`,
		`{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"`, `{"name":"n",,}`, `{'name':'n'}`,
		`{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}{}`, `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"} x`,
		"\x00\x01\x02", "\xff\xfe{}", `{"name":"\ud800"}x`,
		`{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}` + strings.Repeat(" ", 70<<10),
		`{"name":"` + strings.Repeat("a", 70<<10) + `","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`,
	}
	for range 30 {
		b := make([]byte, 1+r.IntN(200))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		out = append(out, string(b))
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func trim(s string) string {
	if len(s) > 20 {
		return fmt.Sprintf("%q… (%d bytes)", s[:20], len(s))
	}
	return fmt.Sprintf("%q", s)
}

func TestInvalidRequests(t *testing.T) {
	t.Parallel()
	e := start(t)
	reqs := invalidRequests(t)
	if len(reqs) < 150 {
		t.Fatalf("only %d invalid requests derived from the spec", len(reqs))
	}
	// Each request goes out with every credential scheme its operation
	// accepts.
	var sent []badRequest
	for _, rq := range reqs {
		if rq.keyAuth {
			sent = append(sent, rq)
		}
	}
	keyFrom := len(reqs)
	sent = append(reqs, sent...)
	for i, rq := range sent {
		h := bearer(token)
		if i >= keyFrom {
			h = map[string]string{"X-Auth-Email": email, "X-Auth-Key": key}
		}
		if rq.contentType != "" {
			h["Content-Type"] = rq.contentType
		}
		status, _, body := e.do(t, rq.method, rq.path, rq.body, h)
		var env struct {
			Success *bool `json:"success"`
			Errors  []struct {
				Code    int      `json:"code"`
				Message string   `json:"message"`
				Path    []string `json:"path"`
			} `json:"errors"`
			Messages []any           `json:"messages"`
			Result   json.RawMessage `json:"result"`
		}
		// The route family's envelope: AI Search's has result {} and no
		// messages; the API token operations' messages [] and result null.
		aiSearch := strings.Contains(rq.path, "/ai-search/")
		if status != http.StatusBadRequest || json.Unmarshal(body, &env) != nil || env.Success == nil || *env.Success ||
			len(env.Errors) == 0 || (env.Messages == nil) != aiSearch || string(env.Result) != map[bool]string{true: "{}", false: "null"}[aiSearch] {
			t.Errorf("%s: %d %s, want a 400 envelope", rq.why, status, body)
			continue
		}
		for _, e := range env.Errors {
			if e.Code != emulator.CodeValidation || len(e.Path) == 0 || e.Message == "" {
				t.Errorf("%s: error %+v lacks code %d, path or message", rq.why, e, emulator.CodeValidation)
			}
			if strings.Contains(e.Message, `"k"`) {
				t.Errorf("%s: message quotes the request's secret: %s", rq.why, e.Message)
			}
		}
	}
	// The middleware validated every response against the spec; make sure
	// the requests really were the invalid ones the spec's contract sees.
	seen := e.seen()
	flagged := 0
	for _, x := range seen {
		if len(x.result.Request) > 0 {
			flagged++
		}
	}
	if len(seen) != len(sent) || flagged < len(seen)*9/10 {
		t.Errorf("%d exchanges, %d flagged by the contract validator, for %d requests", len(seen), flagged, len(sent))
	}
	t.Logf("%d invalid requests, all answered 400 with a valid envelope; %d flagged by the contract validator too", len(seen), flagged)
}

func TestQueryPathsNameTheParameter(t *testing.T) {
	t.Parallel()
	e := start(t)
	status, _, body := e.do(t, "GET", "/accounts/"+account+"/ai-search/tokens?per_page=101&page=0", "", bearer(token))
	if status != 400 || !strings.Contains(string(body), `"path":["query","per_page"]`) || !strings.Contains(string(body), `"path":["query","page"]`) {
		t.Errorf("%d %s", status, body)
	}
	status, _, body = e.do(t, "PUT", "/accounts/"+account+"/ai-search/tokens/"+uuid.NewString(), `{"name":1,"cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`, map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"})
	if status != 400 || !strings.Contains(string(body), `"path":["body","name"]`) {
		t.Errorf("%d %s", status, body)
	}
	status, _, body = e.do(t, "GET", "/accounts/"+account+"/ai-search/tokens/nope", "", bearer(token))
	if status != 400 || !strings.Contains(string(body), `"path":["path","id"]`) {
		t.Errorf("%d %s", status, body)
	}
}
