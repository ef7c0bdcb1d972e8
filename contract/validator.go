package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/go-aisearch/tokens/internal/specval"
	"github.com/go-aisearch/tokens/spec"
)

// Interaction is one recorded HTTP exchange.
type Interaction struct {
	Method         string
	URL            string // absolute; any host, path under /client/v4
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte
}

// Violation is one way an interaction breaks the contract: its Side
// ("request" or "response"), Path (["query","per_page"],
// ["body","result","id"], ["status"], ["security"]) and Message, which
// never includes the offending value.
type Violation = specval.Violation

// Flatten turns what kin-openapi returns (MultiError, RequestError,
// ResponseError, SecurityRequirementsError, SchemaError) into a flat list of
// violations with Cloudflare-style paths. Messages never carry the offending
// value, so a secret in a bad request cannot leak through them.
func Flatten(side string, err error) []Violation { return specval.Flatten(side, err) }

// Result is what Validate found.
type Result struct {
	OperationID string // the official operationId, "" when the route is unknown
	Request     []Violation
	Response    []Violation
}

// OK reports whether the interaction satisfies the contract on both sides.
func (r Result) OK() bool { return len(r.Request) == 0 && len(r.Response) == 0 }

// All returns request and response violations together.
func (r Result) All() []Violation {
	return append(append([]Violation(nil), r.Request...), r.Response...)
}

// apiBase is the spec's server; recorded URLs are rebased onto it so that
// traffic from the emulator (http://127.0.0.1:PORT/client/v4) routes too.
const apiBase = "https://api.cloudflare.com/client/v4"

// Validator validates interactions against the embedded spec. It is safe for
// concurrent use; build it once and reuse it.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	opts   *openapi3filter.Options
}

// NewValidator returns a validator of the embedded spec. Validators share
// the spec and its router, parsed once per process (spec.Shared), so
// a new one costs next to nothing.
func NewValidator() (*Validator, error) {
	doc, err := spec.Shared()
	if err != nil {
		return nil, err
	}
	router, err := specval.Router()
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	return &Validator{doc: doc, router: router, opts: Options()}, nil
}

// Doc returns the spec. It is shared by every validator and emulator of the
// process: treat it as read-only (spec.Load gives a copy to change).
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Options are the kin-openapi settings the project validates with: every
// error reported, undocumented statuses rejected, uuids checked, defaults
// not written into recorded requests, credentials checked for presence.
func Options() *openapi3filter.Options { return specval.Options() }

// Validate checks the request and the response of one interaction.
func (v *Validator) Validate(ctx context.Context, ix Interaction) Result {
	res, reqIn := v.validateRequest(ctx, ix)
	if reqIn == nil {
		return res
	}
	respIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn,
		Status:                 ix.Status,
		Header:                 ix.ResponseHeader,
		Body:                   io.NopCloser(bytes.NewReader(ix.ResponseBody)),
		Options:                v.opts,
	}
	if respIn.Header == nil {
		respIn.Header = http.Header{}
	}
	if err := openapi3filter.ValidateResponse(ctx, respIn); err != nil {
		res.Response = Flatten("response", err)
	}
	return res
}

// ValidateRequest checks only the request side (the response is ignored).
func (v *Validator) ValidateRequest(ctx context.Context, ix Interaction) Result {
	res, _ := v.validateRequest(ctx, ix)
	return res
}

// validateRequest routes and validates the request. The returned input is
// nil when the route is unknown (res then holds that violation).
func (v *Validator) validateRequest(ctx context.Context, ix Interaction) (Result, *openapi3filter.RequestValidationInput) {
	req, route, pathParams, res := v.route(ix)
	if route == nil {
		return res, nil
	}
	res.OperationID = route.Operation.OperationID
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: v.opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		res.Request = Flatten("request", err)
	}
	res.Request = append(res.Request, formViolations(route.Operation, ix, res.Request)...)
	return res, in
}

// route builds the request to validate and finds its operation. When the
// route is unknown, res already holds the violation.
func (v *Validator) route(ix Interaction) (*http.Request, *routers.Route, map[string]string, Result) {
	var res Result
	u, err := rebase(ix.URL)
	if err != nil {
		res.Request = []Violation{{Side: "request", Path: []string{"url"}, Message: err.Error()}}
		return nil, nil, nil, res
	}
	req, err := http.NewRequest(ix.Method, u.String(), bytes.NewReader(ix.RequestBody))
	if err != nil {
		res.Request = []Violation{{Side: "request", Path: []string{"method"}, Message: "invalid method"}}
		return nil, nil, nil, res
	}
	req.Header = ix.RequestHeader.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	route, pathParams, err := v.router.FindRoute(req)
	if err != nil {
		msg := "no such operation in the spec"
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			msg = "method not allowed on this path"
		}
		res.Request = []Violation{{Side: "request", Path: []string{"route"}, Message: fmt.Sprintf("%s %s: %s", ix.Method, u.Path, msg)}}
		return nil, nil, nil, res
	}
	return req, route, pathParams, res
}

// rebase moves a recorded URL onto the spec's server, keeping the path
// below /client/v4 and the query.
func rebase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("unparsable URL")
	}
	const prefix = "/client/v4"
	if !strings.HasPrefix(u.Path, prefix+"/") {
		return nil, fmt.Errorf("path %q is not under %s", u.Path, prefix)
	}
	base, _ := url.Parse(apiBase)
	base.Path = u.Path
	base.RawPath = u.RawPath
	base.RawQuery = u.RawQuery
	return base, nil
}
