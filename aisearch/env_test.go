package aisearch_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
)

// env is a set of environment variables, read as FromEnv reads them.
type env map[string]string

func (e env) get(k string) string { return e[k] }

func TestFromEnv(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	ts.Seed(ts.AccountID, namedTokens("t", 1)...)
	const sdk, api = "http://127.0.0.1:8001/client/v4", "http://127.0.0.1:8002/client/v4"
	for _, tt := range []struct {
		name string
		env  env
		opts []aisearch.Option
		// base is the base URL wanted; "" means the emulator's, and that
		// the client must list its registrations with the credential.
		base string
	}{
		{name: "token wins over key", env: env{aisearch.EnvAPIToken: fakeAPIToken, aisearch.EnvAPIKey: "wrong", aisearch.EnvEmail: fakeEmail}},
		{name: "key and e-mail", env: env{aisearch.EnvAPIKey: fakeAPIKey, aisearch.EnvEmail: fakeEmail}},
		{name: "a credential option ignores the credential variables", env: env{aisearch.EnvAPIKey: "stray-key-without-email"},
			opts: []aisearch.Option{aisearch.WithAPIToken(fakeAPIToken)}},
		{name: "options override", env: env{aisearch.EnvAccountID: "other", aisearch.EnvAPIToken: fakeAPIToken},
			opts: []aisearch.Option{aisearch.WithAccountID(fakeAccount)}},
		// The official SDKs read CLOUDFLARE_BASE_URL, wrangler and this
		// package CLOUDFLARE_API_BASE_URL, which wins when both are set.
		{name: "no base URL variable", env: env{aisearch.EnvAPIToken: fakeAPIToken, aisearch.EnvBaseURL: ""}, base: aisearch.DefaultBaseURL},
		{name: "SDK base URL variable", env: env{aisearch.EnvAPIToken: fakeAPIToken, aisearch.EnvBaseURL: "", aisearch.EnvSDKBaseURL: sdk}, base: sdk},
		{name: "both base URL variables", env: env{aisearch.EnvAPIToken: fakeAPIToken, aisearch.EnvBaseURL: api, aisearch.EnvSDKBaseURL: sdk}, base: api},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := env{aisearch.EnvAccountID: fakeAccount, aisearch.EnvBaseURL: ts.BaseURL}
			for k, v := range tt.env {
				e[k] = v
			}
			c, err := aisearch.FromEnvWith(e.get, tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if tt.base != "" {
				if c.BaseURL() != tt.base {
					t.Errorf("base URL %s, want %s", c.BaseURL(), tt.base)
				}
				return
			}
			if c.AccountID() != fakeAccount || c.BaseURL() != ts.BaseURL {
				t.Errorf("client = %v", c)
			}
			if _, err := c.Registrations.List(context.Background(), aisearch.RegistrationListOptions{}); err != nil {
				t.Errorf("List: %v", err)
			}
		})
	}
}

// What is missing or wrong is named by its variable, and typed where the
// CLI maps it to its own words.
func TestFromEnvRefusesIncompleteConfiguration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		env  env
		want string
		is   error
	}{
		{"nothing", nil, "CLOUDFLARE_ACCOUNT_ID", aisearch.ErrNoAccountID},
		{"no credential", env{aisearch.EnvAccountID: fakeAccount}, "CLOUDFLARE_API_TOKEN", aisearch.ErrNoCredential},
		{"key without e-mail", env{aisearch.EnvAccountID: fakeAccount, aisearch.EnvAPIKey: fakeAPIKey}, "CLOUDFLARE_API_KEY is set but CLOUDFLARE_EMAIL is not", aisearch.ErrNoCredential},
		{"e-mail without key", env{aisearch.EnvAccountID: fakeAccount, aisearch.EnvEmail: fakeEmail}, "CLOUDFLARE_EMAIL is set but CLOUDFLARE_API_KEY is not", aisearch.ErrNoCredential},
		{"bad API base URL", env{aisearch.EnvAccountID: fakeAccount, aisearch.EnvAPIToken: fakeAPIToken, aisearch.EnvBaseURL: "localhost:8080"}, "aisearch: CLOUDFLARE_API_BASE_URL:", nil},
		{"bad SDK base URL", env{aisearch.EnvAccountID: fakeAccount, aisearch.EnvAPIToken: fakeAPIToken, aisearch.EnvSDKBaseURL: "localhost:8080"}, "aisearch: CLOUDFLARE_BASE_URL:", nil},
		{"bad token", env{aisearch.EnvAccountID: fakeAccount, aisearch.EnvAPIToken: fakeAPIToken + "\n"}, "aisearch: CLOUDFLARE_API_TOKEN: API token has leading or trailing whitespace", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := aisearch.FromEnvWith(tt.env.get)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.is)
			}
			assertNoSecrets(t, err.Error())
		})
	}
}

// FromEnv reads the process's environment (the tests above read maps).
func TestFromEnvReadsTheProcessEnvironment(t *testing.T) {
	for _, k := range []string{aisearch.EnvAPIKey, aisearch.EnvEmail, aisearch.EnvBaseURL, aisearch.EnvSDKBaseURL} {
		t.Setenv(k, "")
	}
	t.Setenv(aisearch.EnvAccountID, fakeAccount)
	t.Setenv(aisearch.EnvAPIToken, fakeAPIToken)
	t.Setenv(aisearch.EnvSDKBaseURL, "http://127.0.0.1:8003/client/v4")
	c, err := aisearch.FromEnv()
	if err != nil || c.AccountID() != fakeAccount || c.BaseURL() != "http://127.0.0.1:8003/client/v4" {
		t.Fatalf("FromEnv = %v, %v", c, err)
	}
}
