package aisearch

import (
	"context"
	"net/http"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// authTransport adds the credentials to each attempt, as late as possible:
// request hooks never see them, and it adds them only for the API's own
// scheme and host, so a redirect elsewhere does not carry them (net/http
// strips Authorization on such redirects, but not X-Auth-Key). It adds the
// User-Agent too, unless a request hook set one, in the same copy of the
// headers: one copy per attempt is all the client's headers cost.
type authTransport struct {
	next      http.RoundTripper
	scheme    string
	host      string
	creds     credentials
	bearer    string // "Bearer " + the API token, made once
	userAgent string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var kv [6]string // header, value pairs to set
	n := 0
	if _, ok := req.Header["User-Agent"]; !ok {
		kv[0], kv[1], n = "User-Agent", t.userAgent, 2
	}
	if req.URL.Scheme == t.scheme && req.URL.Host == t.host {
		if b, ok := req.Context().Value(bearerKey{}).(Secret); ok {
			kv[n], kv[n+1], n = cfauth.Authorization, "Bearer "+b.Reveal(), n+2
		} else if !t.creds.token.IsZero() {
			kv[n], kv[n+1], n = cfauth.Authorization, t.bearer, n+2
		} else {
			kv[n], kv[n+1], kv[n+2], kv[n+3], n = cfauth.AuthEmail, t.creds.email, cfauth.AuthKey, t.creds.key.Reveal(), n+4
		}
	}
	if n == 0 {
		return t.next.RoundTrip(req)
	}
	// A RoundTripper must not change its request: send a copy with headers
	// of its own (nothing else is changed, so a shallow copy does).
	r := new(http.Request)
	*r = *req
	r.Header = cloneWith(req.Header, kv[:n]...)
	return t.next.RoundTrip(r)
}

// cloneWith is h.Clone() with each canonical key of kv set to the value
// after it, as Set would, in two allocations however many headers there
// are: the map and one array behind every value.
func cloneWith(h http.Header, kv ...string) http.Header {
	n := len(kv) / 2
	for _, vs := range h {
		n += len(vs)
	}
	values := make([]string, 0, n)
	out := make(http.Header, len(h)+len(kv)/2)
	for k, vs := range h {
		if vs == nil {
			out[k] = nil // Clone keeps a nil value nil
			continue
		}
		values = append(values, vs...)
		out[k] = values[len(values)-len(vs) : len(values) : len(values)]
	}
	for i := 0; i+1 < len(kv); i += 2 {
		values = append(values, kv[i+1])
		out[kv[i]] = values[len(values)-1 : len(values) : len(values)]
	}
	return out
}

type bearerKey struct{}

// withBearer makes the requests of ctx authenticate with the API token
// value instead of the client's credential (APITokens.VerifyValue).
func withBearer(ctx context.Context, value Secret) context.Context {
	return context.WithValue(ctx, bearerKey{}, value)
}
