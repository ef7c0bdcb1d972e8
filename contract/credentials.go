package contract

import (
	"context"
	"errors"
	"net/http"
)

// Credentials authenticate requests: an API token (preferred), or the
// legacy e-mail and Global API key pair.
type Credentials struct {
	APIToken string
	Email    string
	APIKey   string
}

// CredentialsFromEnv reads CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and
// CLOUDFLARE_API_KEY, through getenv (os.Getenv in a program). Credentials
// never come from flags: flags end up in shell history and process lists.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	c := Credentials{APIToken: getenv("CLOUDFLARE_API_TOKEN"), Email: getenv("CLOUDFLARE_EMAIL"), APIKey: getenv("CLOUDFLARE_API_KEY")}
	if c.APIToken != "" {
		return Credentials{APIToken: c.APIToken}, nil
	}
	if c.Email != "" && c.APIKey != "" {
		return Credentials{Email: c.Email, APIKey: c.APIKey}, nil
	}
	return Credentials{}, errors.New("no credentials: set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY")
}

// Apply adds the credentials to a request; its signature fits
// generated.RequestEditorFn.
func (c Credentials) Apply(_ context.Context, req *http.Request) error {
	if c.APIToken != "" {
		req.Header.Set("Authorization", "Bearer "+c.APIToken)
		return nil
	}
	req.Header.Set("X-Auth-Email", c.Email)
	req.Header.Set("X-Auth-Key", c.APIKey)
	return nil
}

// Secrets returns the values that must never reach a recording.
func (c Credentials) Secrets() []string {
	var out []string
	for _, s := range []string{c.APIToken, c.Email, c.APIKey} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
