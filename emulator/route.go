package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/specval"
	"github.com/go-aisearch/tokens/spec"
)

// BasePath is where the API lives, as on api.cloudflare.com.
const BasePath = "/client/v4"

// apiSpec is what every server of the process shares: the routes of the
// embedded spec and the validation options, built once from
// spec.Shared (see sharedAPISpec). It is read-only once built, which
// is what makes sharing it between servers and requests safe.
type apiSpec struct {
	paths   []specPath   // in kin-openapi's matching order (literal segments first)
	ops     []*operation // every operation; ops[i].index == i
	opts    *openapi3filter.Options
	noBody  *openapi3filter.Options // opts, skipping the request body
	pattern map[string]int          // generated ServeMux pattern → index in ops
}

// specPath is one path of the spec, split into segments.
type specPath struct {
	segs  []string // "/client/v4/accounts/{account_id}" → "client", "v4", "accounts", "{account_id}"
	vars  []string // per segment: the variable's name, or "" for a literal
	ops   map[string]*operation
	allow []string // its methods, sorted: the Allow header of a 405
}

// operation is one method on one path.
type operation struct {
	index int
	route *routers.Route // what kin-openapi validates against
	body  bool           // the operation takes a request body
	// bearer and key are the credentials its security accepts: a bearer
	// token, and/or the legacy X-Auth-Email with X-Auth-Key (see authorize).
	bearer, key bool
	// whoami: the handler reads who called (verify answers for the bearer
	// token itself); only then does authorize put the caller in the context.
	whoami bool
}

var sharedAPISpec = sync.OnceValues(newAPISpec)

func newAPISpec() (*apiSpec, error) {
	doc, err := spec.Shared()
	if err != nil {
		return nil, err
	}
	// The routes' server: host-less, so any host matches, under BasePath.
	// The shared document itself is never changed.
	server := &openapi3.Server{URL: BasePath}
	as := &apiSpec{pattern: map[string]int{}}
	for _, tpl := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(tpl)
		p := specPath{ops: map[string]*operation{}}
		for seg := range strings.SplitSeq(strings.TrimPrefix(BasePath+tpl, "/"), "/") {
			name := ""
			if strings.HasPrefix(seg, "{") || strings.HasSuffix(seg, "}") {
				name = strings.TrimSuffix(strings.TrimPrefix(seg, "{"), "}")
				if name == "" || strings.ContainsAny(name, "{}:") {
					return nil, fmt.Errorf("emulator: path %s: only whole-segment {name} variables are supported", tpl)
				}
			}
			p.segs, p.vars = append(p.segs, seg), append(p.vars, name)
		}
		for method, op := range item.Operations() {
			// Credentials are checked before validation, against the
			// server's real list; kin-openapi's check of them could only
			// pass (NoopAuthenticationFunc) and costs allocations, so the
			// operation kin-openapi sees (a copy) requires none.
			unsecured := *op
			unsecured.Security = &openapi3.SecurityRequirements{}
			o := &operation{
				index: len(as.ops),
				route: &routers.Route{Spec: doc, Server: server, Path: tpl, PathItem: item, Method: method, Operation: &unsecured},
				body:  op.RequestBody != nil,
			}
			o.bearer, o.key = routeSchemes(doc, op)
			o.whoami = verifyOperations[op.OperationID]
			as.ops = append(as.ops, o)
			p.ops[method] = o
			p.allow = append(p.allow, method)
			as.pattern[method+" "+BasePath+tpl] = o.index
		}
		slices.Sort(p.allow)
		as.paths = append(as.paths, p)
	}
	as.opts = specval.Options()
	as.opts.AuthenticationFunc = openapi3filter.NoopAuthenticationFunc // see unsecured above
	// The body kin-openapi decoded and validated rides on r.Body, and the
	// generated handlers bind that value (oapi-codegen runtime's
	// BindJSONBody) instead of decoding the JSON a second time; member names
	// then match exactly, as the schema's do.
	as.opts.KeepValidatedValue = true
	noBody := *as.opts
	noBody.ExcludeRequestBody = true
	as.noBody = &noBody
	return as, nil
}

// verifyOperations answer for the request's own credential (callerFrom).
var verifyOperations = map[string]bool{"user-api-tokens-verify-token": true, "account-api-tokens-verify-token": true}

// routed is a request's operation and its path parameters, as kin-openapi
// gives them: still percent-encoded.
type routed struct {
	op     *operation
	params map[string]string
}

// find returns r's operation, or the 404/405 envelope to answer. It decides
// as kin-openapi's gorillamux router over the same spec does (a test holds
// the two to it): the first path, in matching order, whose segments match
// r's escaped path decides, a {variable} matching any non-empty segment;
// that path's methods decide between the operation and a 405.
func (as *apiSpec) find(r *http.Request) (routed, *apiError) {
	path := r.URL.EscapedPath()
	for i := range as.paths {
		p := &as.paths[i]
		if !p.match(path) {
			continue
		}
		op := p.ops[r.Method]
		if op == nil {
			return routed{}, &apiError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllow,
				message: fmt.Sprintf("method %s not allowed on this path", r.Method), allow: p.allow}
		}
		return routed{op: op, params: p.params(path)}, nil
	}
	return routed{}, &apiError{status: http.StatusNotFound, code: CodeNoRoute, message: "No route for that URI"}
}

// match reports whether an escaped path fits p, segment by segment.
func (p *specPath) match(path string) bool {
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return false
	}
	for i, want := range p.segs {
		seg, tail, more := strings.Cut(rest, "/")
		if more != (i < len(p.segs)-1) {
			return false // too few or too many segments
		}
		if p.vars[i] == "" && seg != want || p.vars[i] != "" && seg == "" {
			return false
		}
		rest = tail
	}
	return true
}

// params returns the variables of a path that matched p.
func (p *specPath) params(path string) map[string]string {
	out := make(map[string]string, 2)
	segs := strings.TrimPrefix(path, "/")
	for i := range p.segs {
		seg, tail, _ := strings.Cut(segs, "/")
		if p.vars[i] != "" {
			out[p.vars[i]] = seg
		}
		segs = tail
	}
	return out
}

// dispatch sets the request's path values (unescaped, as net/http's
// ServeMux would) and calls the generated handler of its operation, which
// binds the parameters and calls the strict handler.
func (rt routed) dispatch(ops []http.HandlerFunc, w http.ResponseWriter, r *http.Request) {
	for name, raw := range rt.params {
		v, err := url.PathUnescape(raw)
		if err != nil {
			v = raw // cannot happen: net/url refused such a path already
		}
		r.SetPathValue(name, v)
	}
	ops[rt.op.index](w, r)
}

// operationHandlers returns, per operation index, the generated handler that
// binds the operation's parameters and calls strict. They are collected
// from generated.HandlerWithOptions itself, which registers each one under
// its ServeMux pattern, so nothing is listed by hand; an operation without
// a handler, or a handler without an operation, is an error (generated/
// and openapi.yaml disagree: regenerate).
func (as *apiSpec) operationHandlers(strict generated.ServerInterface, onParamError func(http.ResponseWriter, *http.Request, error)) ([]http.HandlerFunc, error) {
	rec := &patternRecorder{as: as, handlers: make([]http.HandlerFunc, len(as.ops))}
	generated.HandlerWithOptions(strict, generated.StdHTTPServerOptions{BaseURL: BasePath, BaseRouter: rec, ErrorHandlerFunc: onParamError})
	if rec.err != nil {
		return nil, rec.err
	}
	for i, h := range rec.handlers {
		if h == nil {
			route := as.ops[i].route
			return nil, fmt.Errorf("emulator: %s %s is in openapi.yaml but has no generated handler (run go generate)", route.Method, route.Path)
		}
	}
	return rec.handlers, nil
}

// patternRecorder is the generated.ServeMux that operationHandlers hands
// to HandlerWithOptions: it files each handler under its operation.
type patternRecorder struct {
	as       *apiSpec
	handlers []http.HandlerFunc
	err      error
}

func (p *patternRecorder) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	i, ok := p.as.pattern[pattern]
	if !ok {
		p.err = fmt.Errorf("emulator: the generated server has %q, which openapi.yaml does not (run go generate)", pattern)
		return
	}
	p.handlers[i] = h
}

// ServeHTTP is never called: the recorder only collects handlers.
func (p *patternRecorder) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	apiError{status: http.StatusNotFound, code: CodeNoRoute, message: "No route for that URI"}.write(w)
}
