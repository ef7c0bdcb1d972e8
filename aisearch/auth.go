package aisearch

import (
	"context"
	"net/http"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// authTransport adds the credentials to each attempt, as late as possible:
// request hooks never see them, and it adds them only for the API's own
// scheme and host, so a redirect elsewhere does not carry them (net/http
// strips Authorization on such redirects, but not X-Auth-Key).
type authTransport struct {
	next   http.RoundTripper
	scheme string
	host   string
	creds  credentials
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != t.scheme || req.URL.Host != t.host {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context()) // a RoundTripper must not change its request
	creds := cfauth.Credentials{Token: t.creds.token.Reveal(), Email: t.creds.email, Key: t.creds.key.Reveal()}
	if b, ok := req.Context().Value(bearerKey{}).(Secret); ok {
		creds = cfauth.Credentials{Token: b.Reveal()}
	}
	creds.Set(r.Header)
	return t.next.RoundTrip(r)
}

type bearerKey struct{}

// withBearer makes the requests of ctx authenticate with the API token
// value instead of the client's credential (APITokens.VerifyValue).
func withBearer(ctx context.Context, value Secret) context.Context {
	return context.WithValue(ctx, bearerKey{}, value)
}
