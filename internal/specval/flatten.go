package specval

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Flatten turns what kin-openapi returns (MultiError, RequestError,
// ResponseError, SecurityRequirementsError, SchemaError) into a flat list of
// violations with Cloudflare-style paths. Messages never carry the offending
// value, so a secret in a bad request cannot leak through them.
func Flatten(side string, err error) []Violation {
	var out []Violation
	flatten(side, nil, err, &out)
	return out
}

func flatten(side string, prefix []string, err error, out *[]Violation) {
	add := func(path []string, msg string) {
		*out = append(*out, Violation{Side: side, Path: path, Message: msg})
	}
	switch e := err.(type) {
	case nil:
	case openapi3.MultiError:
		for _, inner := range e {
			flatten(side, prefix, inner, out)
		}
	case *openapi3filter.SecurityRequirementsError:
		add([]string{"security"}, "no accepted credentials: send Authorization: Bearer <token>, or X-Auth-Email and X-Auth-Key")
	case *openapi3filter.RequestError:
		switch {
		case e.Parameter != nil:
			p := []string{e.Parameter.In, e.Parameter.Name}
			if e.Err == nil {
				add(p, e.Reason)
				return
			}
			var se *openapi3.SchemaError
			if errors.As(e.Err, &se) {
				add(p, schemaReason(se))
				return
			}
			add(p, strings.TrimSpace(e.Reason+" "+reasonOf(e.Err)))
		case e.RequestBody != nil:
			if e.Err == nil {
				add([]string{"body"}, e.Reason)
				return
			}
			n := len(*out)
			flatten(side, []string{"body"}, e.Err, out)
			if len(*out) == n {
				add([]string{"body"}, e.Reason)
			}
		default:
			add(append(prefix, "request"), e.Error())
		}
	case *openapi3filter.ResponseError:
		switch {
		case e.Reason == "status is not supported":
			add([]string{"status"}, "status code not documented for this operation")
		case strings.HasPrefix(e.Reason, "response header"):
			add([]string{"header", headerName(e.Reason)}, e.Reason)
		case e.Err != nil:
			n := len(*out)
			flatten(side, []string{"body"}, e.Err, out)
			if len(*out) == n {
				add([]string{"body"}, e.Reason)
			}
		default:
			add([]string{"body"}, e.Reason)
		}
	case *openapi3.SchemaError:
		add(append(append([]string(nil), prefix...), e.JSONPointer()...), schemaReason(e))
	default:
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			flatten(side, prefix, se, out)
			return
		}
		p := prefix
		if len(p) == 0 {
			p = []string{side}
		}
		add(append([]string(nil), p...), reasonOf(err))
	}
}

// schemaReason is the reason of a schema error without schema or value.
func schemaReason(se *openapi3.SchemaError) string {
	if se.SchemaField == "format" && se.Schema != nil {
		// kin-openapi's own reason quotes the whole regular expression.
		return fmt.Sprintf("string doesn't match the format %q", se.Schema.Format)
	}
	if se.Reason != "" {
		return se.Reason
	}
	if se.SchemaField == "not" {
		return "matches a forbidden shape (a write-only secret in a response?)"
	}
	return "doesn't match schema " + se.SchemaField
}

// reasonOf returns err's text with kin-openapi's schema dump cut off.
func reasonOf(err error) string {
	s := err.Error()
	if i := strings.Index(s, "\nSchema:"); i >= 0 {
		s = s[:i]
	}
	return s
}

func headerName(reason string) string {
	if i := strings.IndexByte(reason, '"'); i >= 0 {
		if j := strings.IndexByte(reason[i+1:], '"'); j >= 0 {
			return reason[i+1 : i+1+j]
		}
	}
	return ""
}
