package contract

import (
	"encoding/json"
	"mime"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/internal/specval"
)

// formViolations reports what kin-openapi lets through in a request that a
// server must refuse (and the emulator does, with these paths):
//
//   - for an operation that takes a body, a body sent without exactly one
//     Content-Type that parses as a media type, or sent as JSON but not
//     exactly one JSON value: kin-openapi accepts "application/json;;;"
//     and decodes only the first value of `{...} trailing garbage`, which a
//     server's decoder would obey too;
//   - a query string that does not decode (a bad escape such as name=%zz,
//     or a ';' separator): url.Values drops such a pair without a word, so
//     the filter it carried would silently not apply.
//
// Violations kin-openapi already reports at ["body"] are not repeated.
func formViolations(op *openapi3.Operation, ix Interaction, reported []Violation) []Violation {
	var out []Violation
	if op.RequestBody != nil && len(ix.RequestBody) > 0 && !slices.ContainsFunc(reported, isBodyViolation) {
		if problem := bodyProblem(ix); problem != "" {
			out = append(out, Violation{Side: "request", Path: []string{"body"}, Message: problem})
		}
	}
	if u, err := url.Parse(ix.URL); err == nil {
		out = append(out, specval.QueryProblems(u.RawQuery)...)
	}
	return out
}

func isBodyViolation(v Violation) bool { return slices.Equal(v.Path, []string{"body"}) }

// bodyProblem says why a non-empty request body is not usable JSON, or "".
func bodyProblem(ix Interaction) string {
	cts := ix.RequestHeader.Values("Content-Type")
	switch len(cts) {
	case 0:
		return "a body without a Content-Type; send application/json"
	case 1:
	default:
		return "more than one Content-Type header"
	}
	mt, _, err := mime.ParseMediaType(cts[0])
	switch {
	case err != nil:
		return "Content-Type is not a valid media type; send application/json"
	case (mt == "application/json" || strings.HasSuffix(mt, "+json")) && !json.Valid(ix.RequestBody):
		return "body is not exactly one JSON value"
	}
	return ""
}
