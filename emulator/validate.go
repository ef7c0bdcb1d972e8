package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	tokens "github.com/go-aisearch/tokens"
	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/generated"
)

// BasePath is where the API lives, as on api.cloudflare.com.
const BasePath = "/client/v4"

// specRouter routes requests with the spec itself, so the emulator's idea
// of which paths and methods exist is openapi.yaml's.
type specRouter struct {
	router  routers.Router
	opts    *openapi3filter.Options
	noBody  *openapi3filter.Options // opts, skipping the request body
	methods []string                // every method of the spec, sorted
}

func newSpecRouter() (*specRouter, error) {
	doc, err := tokens.LoadSpec()
	if err != nil {
		return nil, err
	}
	// A host-less server: match any host, under BasePath.
	doc.Servers = openapi3.Servers{{URL: BasePath}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("emulator: router: %w", err)
	}
	opts := contract.Options()
	// Credentials were checked before validation, against the real list.
	opts.AuthenticationFunc = openapi3filter.NoopAuthenticationFunc
	noBody := *opts
	noBody.ExcludeRequestBody = true
	var methods []string
	for _, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			if !slices.Contains(methods, m) {
				methods = append(methods, m)
			}
		}
	}
	slices.Sort(methods)
	return &specRouter{router: router, opts: opts, noBody: &noBody, methods: methods}, nil
}

type routeKey struct{}

type routed struct {
	route  *routers.Route
	params map[string]string
}

// find returns the operation for r, or the 404/405 envelope to answer.
func (sr *specRouter) find(r *http.Request) (routed, *apiError) {
	route, params, err := sr.router.FindRoute(r)
	switch {
	case err == nil:
		return routed{route: route, params: params}, nil
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return routed{}, &apiError{status: http.StatusMethodNotAllowed, code: CodeMethodNotAllow,
			message: fmt.Sprintf("method %s not allowed on this path", r.Method), allow: sr.allowed(r)}
	default:
		return routed{}, &apiError{status: http.StatusNotFound, code: CodeNoRoute, message: "No route for that URI"}
	}
}

// allowed lists the methods the spec has for r's path (for the Allow
// header of a 405), by asking the router about each.
func (sr *specRouter) allowed(r *http.Request) []string {
	var out []string
	for _, m := range sr.methods {
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, _, err := sr.router.FindRoute(probe); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// validate checks r (its body already buffered, unless withBody is false)
// against its operation and returns one ValidationError per violation.
func (sr *specRouter) validate(ctx context.Context, r *http.Request, rt routed, withBody bool) []generated.ValidationError {
	opts := sr.opts
	if !withBody {
		opts = sr.noBody
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: rt.params, Route: rt.route, Options: opts}
	err := openapi3filter.ValidateRequest(ctx, in)
	if err == nil {
		return nil
	}
	return validationErrors(contract.Flatten("request", err))
}

func validationErrors(vs []contract.Violation) []generated.ValidationError {
	out := make([]generated.ValidationError, 0, len(vs))
	for _, v := range vs {
		out = append(out, validationError(v.Path, v.Message))
	}
	return out
}

// validationError names the field first, as Cloudflare's messages do:
// "per_page: number must be at most 100".
func validationError(path []string, msg string) generated.ValidationError {
	if len(path) == 0 {
		path = []string{"request"}
	}
	return generated.ValidationError{Code: CodeValidation, Message: path[len(path)-1] + ": " + msg, Path: path}
}

// paramError answers the generated router's own binding errors, which only
// happen with validation off (a page that is not a number, say).
func paramError(w http.ResponseWriter, _ *http.Request, err error) {
	name, in := "request", "query"
	var format *generated.InvalidParamFormatError
	var required *generated.RequiredParamError
	var many *generated.TooManyValuesForParamError
	switch {
	case errors.As(err, &format):
		name = format.ParamName
	case errors.As(err, &required):
		name = required.ParamName
	case errors.As(err, &many):
		name = many.ParamName
	}
	if name == "id" || name == "account_id" {
		in = "path"
	}
	writeValidation(w, []generated.ValidationError{validationError([]string{in, name}, "invalid value")})
}

// bodyError answers a body the strict handler could not decode (only
// reachable with validation off; kin-openapi catches it first otherwise).
func bodyError(w http.ResponseWriter, _ *http.Request, _ error) {
	writeValidation(w, []generated.ValidationError{validationError([]string{"body"}, "not a JSON object of the expected shape")})
}
