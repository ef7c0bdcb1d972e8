package contract

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// Placeholders that replace credentials in recordings. The bearer keeps its
// scheme so a redacted recording still satisfies the spec's security.
const (
	RedactedAuthorization = "Bearer REDACTED"
	RedactedAPIKey        = "REDACTED"
	RedactedEmail         = "redacted@example.com"
	RedactedCFAPIKey      = "REDACTED"
	// RedactedAPITokenValue replaces a Cloudflare API token's secret value
	// where create and roll answer it. It has a valid length (40 to 80
	// characters) so a redacted answer still satisfies the spec, and not
	// the 40 of a real value, which the secret scan looks for.
	RedactedAPITokenValue = "REDACTED-cloudflare-api-token-value-placeholder"
	// NormalAccountID replaces the recorded account id: Cloudflare's
	// documentation example, so recordings from any account look alike.
	NormalAccountID = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
)

// secretHeaders maps each credential header to its placeholder.
var secretHeaders = map[string]string{
	cfauth.Authorization: RedactedAuthorization,
	cfauth.AuthKey:       RedactedAPIKey,
	cfauth.AuthEmail:     RedactedEmail,
}

// droppedHeaders are response headers a recording never needs and that may
// identify the user.
var droppedHeaders = []string{"Set-Cookie"}

// Redact replaces every credential in a recorded interaction with its
// placeholder (credential headers, cf_api_key fields, the API token values
// that create and roll answer), drops cookies, replaces accountID with
// NormalAccountID and fixes the content lengths. It clones the header maps first: go-vcr shares
// them with the live request.
func Redact(i *cassette.Interaction, accountID string) {
	req, resp := &i.Request, &i.Response
	req.Headers = redactHeaders(req.Headers)
	resp.Headers = resp.Headers.Clone()
	for _, h := range droppedHeaders {
		resp.Headers.Del(h)
	}
	req.Body = redactCFAPIKey(req.Body)
	resp.Body = redactAPITokenValues(redactCFAPIKey(resp.Body))
	if accountID != "" && accountID != NormalAccountID {
		r := strings.NewReplacer(accountID, NormalAccountID)
		req.URL = r.Replace(req.URL)
		req.RequestURI = r.Replace(req.RequestURI)
		req.Body = r.Replace(req.Body)
		resp.Body = r.Replace(resp.Body)
	}
	// Form holds the parsed query (and form body); rebuild it from nothing
	// secret: the query only.
	req.Form = nil
	if req.ContentLength > 0 || req.Body != "" {
		req.ContentLength = int64(len(req.Body))
	}
	if resp.ContentLength >= 0 {
		resp.ContentLength = int64(len(resp.Body))
	}
	if resp.Headers.Get("Content-Length") != "" {
		resp.Headers.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
}

func redactHeaders(h http.Header) http.Header {
	h = h.Clone()
	for name, placeholder := range secretHeaders {
		if _, ok := h[http.CanonicalHeaderKey(name)]; ok {
			h.Set(name, placeholder)
		}
	}
	return h
}

// redactCFAPIKey replaces the value of every cf_api_key field in a JSON body,
// at any depth. A body that is not JSON is returned unchanged; the secret
// scan still looks at it.
func redactCFAPIKey(body string) string {
	if !strings.Contains(body, "cf_api_key") {
		return body
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber() // keep numbers exactly as sent
	var v any
	if dec.Decode(&v) != nil {
		return body
	}
	if !replaceKey(v, "cf_api_key", RedactedCFAPIKey) {
		return body
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return string(b)
}

// redactAPITokenValues replaces every API token value a response body
// carries (see tokenValues) with RedactedAPITokenValue. A body that is not
// JSON, or carries none, is returned unchanged.
func redactAPITokenValues(body string) string {
	if !strings.Contains(body, `"result"`) {
		return body
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return body
	}
	changed := false
	tokenValues(v, func(_, val string, set func(string)) {
		if val != RedactedAPITokenValue {
			set(RedactedAPITokenValue)
			changed = true
		}
	})
	if !changed {
		return body
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return string(b)
}

// APITokenValues returns the Cloudflare API token values a response body
// carries (see tokenValues): a create's or a roll's, or one leaked by a
// get or a list. A recorder remembers them to redact them wherever they
// appear later (a verify's bearer, an echo).
func APITokenValues(body []byte) []string {
	var env any
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	var out []string
	tokenValues(env, func(_, val string, _ func(string)) { out = append(out, val) })
	return out
}

// tokenValues calls fn for each place of a decoded response envelope that
// holds a Cloudflare API token value: result.value (a create's token, or a
// token that leaks it), result[i].value (a list that leaks them), and a
// string result (a roll's new value). where names the place; set replaces
// the value in root. No other answer of these APIs has a string there.
func tokenValues(root any, fn func(where, val string, set func(string))) {
	env, ok := root.(map[string]any)
	if !ok {
		return
	}
	inToken := func(where string, tok any) {
		if m, ok := tok.(map[string]any); ok {
			if s, ok := m["value"].(string); ok {
				fn(where+".value", s, func(v string) { m["value"] = v })
			}
		}
	}
	switch r := env["result"].(type) {
	case string:
		fn("result", r, func(v string) { env["result"] = v })
	case map[string]any:
		inToken("result", r)
	case []any:
		for i, tok := range r {
			inToken("result."+strconv.Itoa(i), tok)
		}
	}
}

func replaceKey(v any, key, with string) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if k == key {
				t[k] = with
				changed = true
				continue
			}
			changed = replaceKey(child, key, with) || changed
		}
	case []any:
		for _, child := range t {
			changed = replaceKey(child, key, with) || changed
		}
	}
	return changed
}
