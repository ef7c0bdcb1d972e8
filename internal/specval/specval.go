// Package specval holds what the emulator and the contract checker share to
// validate traffic against openapi.yaml: the kin-openapi options, the
// flattening of kin-openapi's errors into Cloudflare-style violations and
// the query-string checks; and the contract checker's router over the
// shared parsed spec (the emulator routes with its own). It imports the
// spec, kin-openapi and internal/cfauth only, so the emulator can validate
// requests without importing contract (and go-vcr and YAML with it).
package specval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/go-aisearch/tokens/internal/cfauth"
	"github.com/go-aisearch/tokens/spec"
)

// Violation is one way an interaction breaks the contract.
type Violation struct {
	Side    string   // "request" or "response"
	Path    []string // where: ["query","per_page"], ["body","result","id"], ["status"], ["security"]
	Message string   // what; never includes the offending value
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s: %s", v.Side, strings.Join(v.Path, "."), v.Message)
}

// Options are the kin-openapi settings the project validates with: every
// error reported, undocumented statuses rejected, uuids checked, defaults
// not written into recorded requests, credentials checked for presence.
// Each call returns new options, which the caller may change. The string
// formats are one map, read by every validation made with these options:
// to add a format, add it to that map before validating, or replace it
// with openapi3.WithStringFormatValidators; appending
// openapi3.WithStringFormatValidator would write to it on every validation.
//
// A readOnly field in a request body is accepted (and ignored by servers):
// OpenAPI says clients SHOULD NOT send one, not MUST NOT, and clients that
// read a Cloudflare API token and write it back send its policies' ids, as
// Cloudflare's own Terraform provider does (x-stainless-terraform-always-send).
func Options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:                 true,
		IncludeResponseStatus:      true,
		SkipSettingDefaults:        true,
		ExcludeReadOnlyValidations: true,
		AuthenticationFunc:         RequireCredentials,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			// One map per call of Options, not WithStringFormatValidator,
			// which makes a map on every validation (~1 µs a request).
			openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{"uuid": uuidFormat}),
			openapi3.DisableSchemaErrorDetails(),
		},
	}
}

// uuidFormat is the uuid format of RFC 4122, which openapi3 checks only
// when asked.
var uuidFormat = openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122)

// RequireCredentials is an openapi3filter.AuthenticationFunc that accepts a
// security scheme when its credential is present and well-formed. It cannot
// know whether the credential is valid; that is the server's business.
func RequireCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	h := in.RequestValidationInput.Request.Header
	switch {
	case s.Type == "http" && strings.EqualFold(s.Scheme, "bearer"):
		if _, ok := cfauth.BearerToken(h.Get(cfauth.Authorization)); !ok {
			return errors.New("missing bearer token")
		}
	case s.Type == "apiKey" && s.In == "header":
		if strings.TrimSpace(h.Get(s.Name)) == "" {
			return fmt.Errorf("missing %s header", s.Name)
		}
	default:
		return fmt.Errorf("unsupported security scheme %q", in.SecuritySchemeName)
	}
	return nil
}

// Router routes absolute URLs on the spec's server
// (https://api.cloudflare.com/client/v4/...) to their operations. It is
// built once per process over spec.Shared and is safe for concurrent
// use: gorillamux only reads its routes and the document after NewRouter.
func Router() (routers.Router, error) { return sharedRouter() }

var sharedRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := spec.Shared()
	if err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return router, nil
})
