package emulator

import (
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/go-aisearch/tokens/spec"
)

// The emulator's router must decide every request as kin-openapi's
// gorillamux router over the same spec does (it did the routing before,
// and contract still does): same operation, same path parameters, 404 and
// 405 alike, and for a 405 the methods gorillamux would accept.
func TestRouterAgreesWithGorillamux(t *testing.T) {
	as, err := sharedAPISpec()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := spec.Load() // a copy: its servers are changed below
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: BasePath}}
	ref, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	// Every path of the spec with its variables filled in many ways, and
	// mangled: trailing slashes, extra, empty and missing segments,
	// encodings, other prefixes.
	values := []string{"c3dc5f0b34a14ff8e1b3ec04895e1b22", "62af0db3-c410-40b2-9ee3-0e93f6dd1de0", "verify",
		"permission_groups", "value", "a%2Fb", "%2E%2E", "..", "%E2%9C%93", "{id}"}
	var paths []string
	for _, tpl := range doc.Paths.InMatchingOrder() {
		for i, v := range values {
			w := values[(i+3)%len(values)]
			p := BasePath + fillVars(tpl, v, w)
			paths = append(paths, p, p+"/", p+"//", p+"/extra", strings.TrimSuffix(p, "/"+lastSegment(p)),
				strings.Replace(p, "/client/v4", "/client/v4/", 1), strings.Replace(p, "/client/v4", "", 1),
				strings.Replace(p, "/client/v4", "/client/v5", 1), strings.ToUpper(p), p+"?per_page=5")
		}
	}
	paths = append(paths, "/", "", "/client", "/client/v4", "/client/v4/", "/client/v4/accounts", "/client/v4/user",
		"/client/v4/user/tokens/verify/x", "/client/v4/accounts//ai-search/tokens", "/client/v4/accounts/a/ai-search//tokens")
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get"}

	checked := 0
	for _, p := range paths {
		for _, m := range methods {
			req := httptest.NewRequest("GET", "http://emulator.test/", nil)
			req.Method = m
			if !setPath(req, p) {
				continue
			}
			checked++
			rt, aerr := as.find(req)
			route, params, rerr := ref.FindRoute(req)
			switch {
			case rerr == nil:
				if aerr != nil || rt.op.route.Path != route.Path || rt.op.route.Method != route.Method {
					t.Errorf("%s %s: gorillamux finds %s %s, the emulator %+v %v", m, p, route.Method, route.Path, rt.op, aerr)
				} else if !maps.Equal(rt.params, params) {
					t.Errorf("%s %s: params %v, gorillamux %v", m, p, rt.params, params)
				}
			case errors.Is(rerr, routers.ErrMethodNotAllowed):
				if aerr == nil || aerr.status != 405 {
					t.Errorf("%s %s: gorillamux says 405, the emulator %+v %v", m, p, rt.op, aerr)
				} else if want := allowedByProbing(ref, doc, req); !slices.Equal(aerr.allow, want) {
					t.Errorf("%s %s: Allow %v, gorillamux accepts %v", m, p, aerr.allow, want)
				}
			default:
				if aerr == nil || aerr.status != 404 {
					t.Errorf("%s %s: gorillamux says %v, the emulator %+v %v", m, p, rerr, rt.op, aerr)
				}
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d requests checked", checked)
	}
}

// allowedByProbing asks the reference router about each of the spec's
// methods, as the emulator's 405 used to.
func allowedByProbing(ref routers.Router, doc *openapi3.T, r *http.Request) []string {
	var all []string
	for _, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			if !slices.Contains(all, m) {
				all = append(all, m)
			}
		}
	}
	slices.Sort(all)
	var out []string
	for _, m := range all {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, _, err := ref.FindRoute(probe); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// setPath points r at p (a path and maybe a query), reporting false when
// p is no valid request target.
func setPath(r *http.Request, p string) bool {
	u, err := url.Parse("http://emulator.test" + p)
	if err != nil {
		return false
	}
	r.URL = u
	return true
}

func fillVars(tpl, first, rest string) string {
	n := 0
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		j := strings.IndexByte(tpl[i:], '}')
		b.WriteString(tpl[:i])
		if n == 0 {
			b.WriteString(first)
		} else {
			b.WriteString(rest)
		}
		n++
		tpl = tpl[i+j+1:]
	}
}

func lastSegment(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }
