package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// CheckResult is what Check found.
type CheckResult struct {
	// Result holds the violations that break the contract.
	Result
	// Provoked holds the request's violations that the response rejected
	// as it should (a deliberate bad request answered by the right 4xx):
	// they are the point of the interaction, not a failure.
	Provoked []Violation
}

// Check validates ix like Validate and adds the rules a schema cannot
// express:
//
//   - A request the spec rejects must be answered by the 4xx that reports
//     it: 400 with error code 9106 (no credential), 6003 (a malformed
//     Authorization header) or 1001 (no Authorization header where only a
//     bearer token is accepted) when no usable credential was sent,
//     otherwise 400 whose errors[].path names one of the request's
//     violations. A 401 (the credential does not work: code 10000 or
//     1000), a 403 with code 9109 (it may not do this) or a 429 is also
//     accepted for a request with bad input, because Cloudflare
//     authenticates, authorizes and rate-limits before it looks at the
//     input. A 2xx answer to a rejected request is always a violation. When
//     the answer is right, the request's violations move to Provoked.
//   - A response never carries a credential the request sent (bearer token,
//     X-Auth-Key, cf_api_key), anywhere in its headers or body.
func (v *Validator) Check(ctx context.Context, ix Interaction) CheckResult {
	res := CheckResult{Result: v.Validate(ctx, ix)}
	if res.OperationID == "" {
		return res
	}
	if len(res.Request) > 0 {
		if wrong := provokedRule(ix, res.Request); len(wrong) > 0 {
			res.Response = append(res.Response, wrong...)
		} else {
			res.Provoked, res.Request = res.Request, nil
		}
	}
	res.Response = append(res.Response, echoedSecrets(ix)...)
	return res
}

// Cloudflare's error codes for a request without a usable credential
// (400) and for one that may not do what it asks (403).
const (
	codeMissingAuthorization = 1001 // `Missing "Authorization" header`
	codeInvalidHeaders       = 6003 // "Invalid request headers" (a malformed Authorization header)
	codeNoCredential         = 9106 // "Missing X-Auth-Key, X-Auth-Email or Authorization headers"
	codePermissionDenied     = 9109 // "Unauthorized to access requested resource"
)

// credentialCodes are the codes of a 400 for a request without a usable
// credential.
var credentialCodes = []int{codeNoCredential, codeInvalidHeaders, codeMissingAuthorization}

type apiError struct {
	Code int      `json:"code"`
	Path []string `json:"path"`
}

// responseErrors decodes errors[] of a response envelope, nil when absent
// or malformed (the schema check reports malformed bodies already).
func responseErrors(body []byte) []apiError {
	var env struct {
		Errors []apiError `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	return env.Errors
}

// hasCode reports whether one of errs carries one of codes.
func hasCode(errs []apiError, codes ...int) bool {
	return slices.ContainsFunc(errs, func(e apiError) bool { return slices.Contains(codes, e.Code) })
}

// authAnswer reports whether ix's answer is one Cloudflare gives before it
// looks at the request's input: the credential refused (401), missing (a
// 400 with a credential code) or without the permission (403, code 9109),
// or the rate limited (429). Other 403s (a create past the account's
// limit: 7013, 7062) come after the input is read, as provokedRule has it.
func authAnswer(ix Interaction) bool {
	switch ix.Status {
	case 401, 429:
		return true
	case 403:
		return hasCode(responseErrors(ix.ResponseBody), codePermissionDenied)
	case 400:
		return hasCode(responseErrors(ix.ResponseBody), credentialCodes...)
	}
	return false
}

func provokedRule(ix Interaction, reqViolations []Violation) []Violation {
	if len(reqViolations) == 0 {
		return nil
	}
	viol := func(path []string, format string, args ...any) []Violation {
		return []Violation{{Side: "response", Path: path, Message: fmt.Sprintf(format, args...)}}
	}
	var noCreds bool
	var paths []string
	for _, rv := range reqViolations {
		if slices.Equal(rv.Path, []string{"security"}) {
			noCreds = true
			continue
		}
		paths = append(paths, strings.Join(rv.Path, "."))
	}
	errs := responseErrors(ix.ResponseBody)
	switch {
	case ix.Status >= 200 && ix.Status < 300:
		return viol([]string{"status"}, "%d answers a request the spec rejects (%s); want the 4xx that reports it", ix.Status, describe(noCreds, paths))
	case ix.Status == 429:
		return nil
	case ix.Status == 400 && hasCode(errs, credentialCodes...):
		return nil
	case noCreds:
		if ix.Status == 400 {
			return viol([]string{"body", "errors"}, "400 to a request without a usable credential must carry error code %d, %d or %d", codeNoCredential, codeInvalidHeaders, codeMissingAuthorization)
		}
		return viol([]string{"status"}, "%d answers a request without a usable credential; want 400 with error code %d (or %d, %d)", ix.Status, codeNoCredential, codeInvalidHeaders, codeMissingAuthorization)
	case ix.Status == 401, ix.Status == 403 && hasCode(errs, codePermissionDenied):
		return nil
	case ix.Status == 400:
		for _, e := range errs {
			if slices.Contains(paths, strings.Join(e.Path, ".")) {
				return nil
			}
		}
		return viol([]string{"body", "errors"}, "400 does not report the request's violation: no errors[].path equals %s", strings.Join(paths, " or "))
	default:
		return viol([]string{"status"}, "%d answers a request the spec rejects (%s); want 400 reporting it", ix.Status, describe(noCreds, paths))
	}
}

func describe(noCreds bool, paths []string) string {
	var parts []string
	if noCreds {
		parts = append(parts, "no credentials")
	}
	return strings.Join(append(parts, paths...), ", ")
}

// sentBody is what a create or update request body carries: the public
// values a response may echo, and the secret it must not.
type sentBody struct {
	Name    string `json:"name"`
	CfAPIID string `json:"cf_api_id"`
	Key     string `json:"cf_api_key"`
}

// withoutPublicEchoes returns body without the request's public values
// (name, cf_api_id) that happen to contain secret: a response may echo
// those, and a key that is a substring of the name is not a leak.
func withoutPublicEchoes(body string, sent sentBody, secret string) string {
	for _, v := range []string{sent.Name, sent.CfAPIID} {
		if v == "" || v == secret || !strings.Contains(v, secret) {
			continue
		}
		if quoted, err := json.Marshal(v); err == nil {
			body = strings.ReplaceAll(body, string(quoted), `""`)
		}
	}
	return body
}

// requestSecrets returns the credentials a request carries, by name.
func requestSecrets(ix Interaction, sent sentBody) map[string]string {
	out := map[string]string{cfauth.AuthKey: ix.RequestHeader.Get(cfauth.AuthKey), "cf_api_key": sent.Key}
	// Whatever the scheme, what follows it is a credential.
	if _, cred, ok := cfauth.SplitAuthorization(ix.RequestHeader.Get(cfauth.Authorization)); ok {
		out[cfauth.Authorization] = cred
	}
	return out
}

// parseSent reads the request body; no body, or not JSON, sent nothing.
func parseSent(ix Interaction) sentBody {
	var sent sentBody
	_ = json.Unmarshal(ix.RequestBody, &sent)
	return sent
}

// echoPrefix starts the message of a violation that echoes a secret.
const echoPrefix = "echoes the request's "

// EchoesSecret is whether f is a response that echoes one of the request's
// secrets, as opposed to a breach of the spec.
func (f Failure) EchoesSecret() bool {
	return f.Violation.Side == "response" && strings.HasPrefix(f.Violation.Message, echoPrefix)
}

func echoedSecrets(ix Interaction) []Violation {
	var out []Violation
	sent := parseSent(ix)
	secrets := requestSecrets(ix, sent)
	// A redacted recording's API token value holds "REDACTED", as does its
	// redacted bearer: that is no echo.
	body := strings.ReplaceAll(string(ix.ResponseBody), RedactedAPITokenValue, "")
	for _, name := range []string{cfauth.Authorization, cfauth.AuthKey, "cf_api_key"} {
		s := secrets[name]
		if len(s) < cfauth.MinSecretLen {
			continue
		}
		if strings.Contains(withoutPublicEchoes(body, sent, s), s) {
			out = append(out, Violation{Side: "response", Path: []string{"body"}, Message: echoPrefix + name + " (a secret)"})
		}
		for _, h := range slices.Sorted(maps.Keys(ix.ResponseHeader)) {
			if slices.ContainsFunc(ix.ResponseHeader[h], func(val string) bool { return strings.Contains(val, s) }) {
				out = append(out, Violation{Side: "response", Path: []string{"header", h}, Message: echoPrefix + name + " (a secret)"})
			}
		}
	}
	return out
}
