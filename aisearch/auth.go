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
// User-Agent too, unless a request hook set one.
type authTransport struct {
	next      http.RoundTripper
	scheme    string
	host      string
	creds     credentials
	bearer    string // "Bearer " + the API token, made once
	userAgent string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A RoundTripper must not change its request: send a copy.
	r := req.Clone(req.Context())
	if _, ok := r.Header["User-Agent"]; !ok {
		r.Header.Set("User-Agent", t.userAgent)
	}
	if r.URL.Scheme == t.scheme && r.URL.Host == t.host {
		switch b, ok := r.Context().Value(bearerKey{}).(Secret); {
		case ok:
			r.Header.Set(cfauth.Authorization, "Bearer "+b.Reveal())
		case !t.creds.token.IsZero():
			r.Header.Set(cfauth.Authorization, t.bearer)
		default:
			r.Header.Set(cfauth.AuthEmail, t.creds.email)
			r.Header.Set(cfauth.AuthKey, t.creds.key.Reveal())
		}
	}
	return t.next.RoundTrip(r)
}

type bearerKey struct{}

// withBearer makes the requests of ctx authenticate with the API token
// value instead of the client's credential (APITokens.VerifyValue).
func withBearer(ctx context.Context, value Secret) context.Context {
	return context.WithValue(ctx, bearerKey{}, value)
}
