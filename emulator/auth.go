package emulator

import (
	"crypto/subtle"
	"net/http"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// authenticate decides a request's credentials the way Cloudflare does: an
// Authorization header decides alone when present (a bearer token); without
// it, X-Auth-Email and X-Auth-Key must both be present and match.
func (c *config) authenticate(h http.Header) bool {
	if auth := h.Get(cfauth.Authorization); auth != "" {
		token, ok := cfauth.BearerToken(auth)
		if !ok {
			return false
		}
		if c.openAuth() {
			return true
		}
		for _, t := range c.tokens {
			if equal(t, token) {
				return true
			}
		}
		return false
	}
	email, key := h.Get(cfauth.AuthEmail), h.Get(cfauth.AuthKey)
	if email == "" || key == "" {
		return false
	}
	if c.openAuth() {
		return true
	}
	for _, k := range c.keys {
		// Evaluate both comparisons so timing does not tell which one failed.
		if ctEqual(k.email, email)&ctEqual(k.key, key) == 1 {
			return true
		}
	}
	return false
}

func equal(a, b string) bool { return ctEqual(a, b) == 1 }

func ctEqual(a, b string) int { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) }

var errAuth = apiError{status: http.StatusForbidden, code: CodeAuth, message: "Authentication error"}
