package aisearch

import (
	"context"
	"net/http"
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
	if b, ok := req.Context().Value(bearerKey{}).(Secret); ok {
		r.Header.Set("Authorization", "Bearer "+b.Reveal())
	} else if !t.creds.token.IsZero() {
		r.Header.Set("Authorization", "Bearer "+t.creds.token.Reveal())
	} else {
		r.Header.Set("X-Auth-Email", t.creds.email)
		r.Header.Set("X-Auth-Key", t.creds.key.Reveal())
	}
	return t.next.RoundTrip(r)
}

type bearerKey struct{}

// withBearer makes the requests of ctx authenticate with the API token
// value instead of the client's credential (APITokens.VerifyValue).
func withBearer(ctx context.Context, value Secret) context.Context {
	return context.WithValue(ctx, bearerKey{}, value)
}
