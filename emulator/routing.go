package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/specval"
	"github.com/go-aisearch/tokens/spec"
)

// BasePath is where the API lives, as on api.cloudflare.com.
const BasePath = "/client/v4"

// apiSpec is what every server of the process shares, built once from
// spec.Shared (sharedAPISpec): kin-openapi's router over the spec, what
// the emulator needs to know of each operation, and the validation
// options. It is read-only once built, which is what makes sharing it
// between servers and requests safe.
type apiSpec struct {
	router  routers.Router
	ops     map[*openapi3.Operation]*operation
	pattern map[string]*operation // generated ServeMux pattern → operation
	count   int
	methods []string // every method of the spec, sorted: the candidates of a 405's Allow
	opts    *openapi3filter.Options
	noBody  *openapi3filter.Options // opts, skipping the request body
}

// operation is what the emulator needs to know of one operation.
type operation struct {
	index int  // in the server's generated handlers
	body  bool // the operation takes a request body
	// bearer and key are the credentials its security accepts: a bearer
	// token, and/or the legacy X-Auth-Email with X-Auth-Key (see authorize).
	bearer, key bool
	// whoami: the handler reads who called (verify answers for the bearer
	// token itself); only then does serveHTTP put the caller in the context.
	whoami bool
	// family is the operation's route family (families.go); need the
	// permission groups, any one of which lets an API token run it (none
	// for whoami operations).
	family *family
	need   []string
}

var sharedAPISpec = sync.OnceValues(newAPISpec)

func newAPISpec() (*apiSpec, error) {
	shared, err := spec.Shared()
	if err != nil {
		return nil, err
	}
	// The router's server is host-less, so any host matches, under
	// BasePath. The shared document itself is never changed: the router
	// gets a shallow copy with its own servers.
	doc := *shared
	doc.Servers = openapi3.Servers{{URL: BasePath}}
	router, err := gorillamux.NewRouter(&doc)
	if err != nil {
		return nil, fmt.Errorf("emulator: router: %w", err)
	}
	as := &apiSpec{router: router, ops: map[*openapi3.Operation]*operation{}, pattern: map[string]*operation{}}
	for _, tpl := range doc.Paths.InMatchingOrder() {
		for method, op := range doc.Paths.Value(tpl).Operations() {
			o := &operation{index: as.count, body: op.RequestBody != nil, whoami: verifyOperations[op.OperationID]}
			o.bearer, o.key = routeSchemes(&doc, op)
			if o.family, o.need, err = requirement(tpl, method, o.whoami); err != nil {
				return nil, err
			}
			as.ops[op] = o
			as.pattern[method+" "+BasePath+tpl] = o
			as.count++
			if !slices.Contains(as.methods, method) {
				as.methods = append(as.methods, method)
			}
		}
	}
	slices.Sort(as.methods)
	as.opts = specval.Options()
	// Credentials are checked before validation (authorize), against the
	// server's real list; kin-openapi's check of them could only pass.
	as.opts.AuthenticationFunc = openapi3filter.NoopAuthenticationFunc
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

// routed is a request's route and operation, with its path parameters as
// kin-openapi gives them: still percent-encoded.
type routed struct {
	route  *routers.Route
	op     *operation
	params map[string]string
}

// find returns r's operation, as kin-openapi's router decides it, or the
// 404 (code 7000) or 405 (code 10008, with Allow) to answer.
func (as *apiSpec) find(r *http.Request) (routed, *apiError) {
	route, params, err := as.router.FindRoute(r)
	switch {
	case err == nil:
		return routed{route: route, op: as.ops[route.Operation], params: params}, nil
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return routed{}, &apiError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllow,
			message: fmt.Sprintf("method %s not allowed on this path", r.Method), allow: as.allowed(r)}
	default:
		return routed{}, &errNoRoute
	}
}

var errNoRoute = apiError{status: http.StatusNotFound, code: CodeNoRoute, message: "No route for that URI"}

// allowed lists the methods the spec has for r's path (the Allow header of
// a 405), by asking the router about each.
func (as *apiSpec) allowed(r *http.Request) []string {
	var out []string
	for _, m := range as.methods {
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, _, err := as.router.FindRoute(probe); err == nil {
			out = append(out, m)
		}
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
	rec := &patternRecorder{as: as, handlers: make([]http.HandlerFunc, as.count)}
	generated.HandlerWithOptions(strict, generated.StdHTTPServerOptions{BaseURL: BasePath, BaseRouter: rec, ErrorHandlerFunc: onParamError})
	if rec.err != nil {
		return nil, rec.err
	}
	for pattern, o := range as.pattern {
		if rec.handlers[o.index] == nil {
			return nil, fmt.Errorf("emulator: %s is in openapi.yaml but has no generated handler (run go generate)", pattern)
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
	o, ok := p.as.pattern[pattern]
	if !ok {
		p.err = fmt.Errorf("emulator: the generated server has %q, which openapi.yaml does not (run go generate)", pattern)
		return
	}
	p.handlers[o.index] = h
}

// ServeHTTP is never called: the recorder only collects handlers.
func (p *patternRecorder) ServeHTTP(w http.ResponseWriter, _ *http.Request) { errNoRoute.write(w) }
