package emulator

import (
	"context"
	"errors"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/specval"
)

// validate checks r (its body already buffered, unless withBody is false)
// against its operation and returns one ValidationError per violation.
func (as *apiSpec) validate(ctx context.Context, r *http.Request, rt routed, withBody bool) []generated.ValidationError {
	opts := as.opts
	if !withBody {
		opts = as.noBody
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: rt.params, Route: rt.route, Options: opts}
	err := openapi3filter.ValidateRequest(ctx, in)
	if err == nil {
		return nil
	}
	return validationErrors(specval.Flatten("request", err))
}

func validationErrors(vs []specval.Violation) []generated.ValidationError {
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
