package emulator

import (
	"crypto/subtle"
)

// bearerAccepted reports whether token, an Authorization bearer's, is a
// configured API token (any is, with open auth).
func (c *config) bearerAccepted(token string) bool {
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

// keyAccepted reports whether X-Auth-Email and X-Auth-Key are both present
// and a configured pair (any is, with open auth).
func (c *config) keyAccepted(email, key string) bool {
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
