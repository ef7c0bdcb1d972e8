package record

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// Credentials authenticate requests: an API token (preferred), or the
// legacy e-mail and Global API key pair.
type Credentials struct {
	APIToken string
	Email    string
	APIKey   string
}

// CredentialsFromEnv reads CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL and
// CLOUDFLARE_API_KEY, through getenv (os.Getenv in a program), as
// aisearch.FromEnv does. Credentials never come from flags: flags end up in
// shell history and process lists.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	c, err := cfauth.FromEnv(getenv)
	if err != nil {
		return Credentials{}, err
	}
	if c.IsZero() {
		return Credentials{}, fmt.Errorf("no credentials: set %s, or %s and %s", cfauth.EnvAPIToken, cfauth.EnvEmail, cfauth.EnvAPIKey)
	}
	return Credentials{APIToken: c.Token, Email: c.Email, APIKey: c.Key}, nil
}

// Apply adds the credentials to a request; its signature fits
// generated.RequestEditorFn.
func (c Credentials) Apply(_ context.Context, req *http.Request) error {
	cfauth.Credentials{Token: c.APIToken, Email: c.Email, Key: c.APIKey}.Set(req.Header)
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
