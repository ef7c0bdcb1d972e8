// Package cfauth holds the facts of Cloudflare's API authentication that
// the client (aisearch), the emulator and the contract checker share, so
// that each is written once: the credential headers, the environment
// variables Cloudflare's tools read, how an Authorization header is parsed,
// and how long a value must be before it is searched for as a secret.
package cfauth

import (
	"fmt"
	"net/http"
	"strings"
)

// The credential headers: an API token as a bearer (preferred), or the
// legacy pair of an account e-mail and a Global API key. When a request
// carries both, the bearer decides.
const (
	Authorization = "Authorization"
	AuthEmail     = "X-Auth-Email"
	AuthKey       = "X-Auth-Key"
)

// Headers returns every credential header, in a fixed order.
func Headers() []string { return []string{Authorization, AuthEmail, AuthKey} }

// The environment variables Cloudflare's tools read.
const (
	EnvAPIToken  = "CLOUDFLARE_API_TOKEN"
	EnvAPIKey    = "CLOUDFLARE_API_KEY"
	EnvEmail     = "CLOUDFLARE_EMAIL"
	EnvAccountID = "CLOUDFLARE_ACCOUNT_ID"
	// EnvBaseURL is wrangler's name for the API root (and this project's
	// first); EnvSDKBaseURL the official SDKs'. EnvBaseURL wins when both
	// are set.
	EnvBaseURL    = "CLOUDFLARE_API_BASE_URL"
	EnvSDKBaseURL = "CLOUDFLARE_BASE_URL"
)

// MinSecretLen is the shortest credential that is searched for in text
// (to scrub it, or to report it echoed). Shorter throwaway values, an open
// emulator's "x", would match ordinary text; real Cloudflare tokens and keys
// are 37 to 40 characters.
const MinSecretLen = 8

// Credentials are what a request authenticates with: Token, or Email and
// Key.
type Credentials struct {
	Token, Email, Key string
}

// IsZero reports whether no credential is set.
func (c Credentials) IsZero() bool { return c == Credentials{} }

// Set puts the credentials on h: the token as a bearer when there is one,
// otherwise the e-mail and key pair.
func (c Credentials) Set(h http.Header) {
	if c.Token != "" {
		h.Set(Authorization, "Bearer "+c.Token)
		return
	}
	h.Set(AuthEmail, c.Email)
	h.Set(AuthKey, c.Key)
}

// FromEnv reads the credentials through getenv (os.Getenv in a program):
// EnvAPIToken when set (it wins), otherwise EnvEmail with EnvAPIKey. Only
// one of those two is an error; nothing set gives zero Credentials and no
// error, for the caller to decide.
func FromEnv(getenv func(string) string) (Credentials, error) {
	c := Credentials{Token: getenv(EnvAPIToken), Email: getenv(EnvEmail), Key: getenv(EnvAPIKey)}
	switch {
	case c.Token != "":
		return Credentials{Token: c.Token}, nil
	case c.Key != "" && c.Email == "":
		return Credentials{}, fmt.Errorf("%s is set but %s is not", EnvAPIKey, EnvEmail)
	case c.Email != "" && c.Key == "":
		return Credentials{}, fmt.Errorf("%s is set but %s is not", EnvEmail, EnvAPIKey)
	}
	return c, nil
}

// SplitAuthorization splits an Authorization value into its scheme and its
// credential ("Bearer", "abc"), spaces trimmed; ok is false when there is
// no space-separated credential.
func SplitAuthorization(v string) (scheme, credential string, ok bool) {
	scheme, credential, ok = strings.Cut(v, " ")
	credential = strings.TrimSpace(credential)
	return scheme, credential, ok && credential != ""
}

// BearerToken returns the token of an Authorization value "Bearer <token>"
// (the scheme in any case); ok is false for any other value.
func BearerToken(v string) (token string, ok bool) {
	scheme, token, ok := SplitAuthorization(v)
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return token, true
}
