package aisearch_test

import (
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
)

// TestFromEnvBaseURLVariables: the official SDKs read CLOUDFLARE_BASE_URL,
// wrangler and this package CLOUDFLARE_API_BASE_URL; either works, and
// CLOUDFLARE_API_BASE_URL wins when both are set.
func TestFromEnvBaseURLVariables(t *testing.T) {
	const sdk, api = "http://127.0.0.1:8001/client/v4", "http://127.0.0.1:8002/client/v4"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"neither", nil, aisearch.DefaultBaseURL, ""},
		{"SDK variable", map[string]string{aisearch.EnvSDKBaseURL: sdk}, sdk, ""},
		{"API variable", map[string]string{aisearch.EnvBaseURL: api}, api, ""},
		{"both: API variable wins", map[string]string{aisearch.EnvBaseURL: api, aisearch.EnvSDKBaseURL: sdk}, api, ""},
		{"bad SDK variable", map[string]string{aisearch.EnvSDKBaseURL: "localhost:8080"}, "", "aisearch: CLOUDFLARE_BASE_URL:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{aisearch.EnvAPIKey, aisearch.EnvEmail, aisearch.EnvBaseURL, aisearch.EnvSDKBaseURL} {
				t.Setenv(k, "")
			}
			t.Setenv(aisearch.EnvAccountID, "c3dc5f0b34a14ff8e1b3ec04895e1b22")
			t.Setenv(aisearch.EnvAPIToken, "env-api-token")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, err := aisearch.FromEnv()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("FromEnv = %v, %v; want an error containing %q", c, err, tc.wantErr)
				}
				return
			}
			if err != nil || c.BaseURL() != tc.want {
				t.Fatalf("FromEnv = %v, %v; want base URL %s", c, err, tc.want)
			}
		})
	}
}

func TestFromEnvEmailWithoutKey(t *testing.T) {
	for _, k := range []string{aisearch.EnvAPIToken, aisearch.EnvAPIKey, aisearch.EnvBaseURL, aisearch.EnvSDKBaseURL} {
		t.Setenv(k, "")
	}
	t.Setenv(aisearch.EnvAccountID, "c3dc5f0b34a14ff8e1b3ec04895e1b22")
	t.Setenv(aisearch.EnvEmail, "me@example.com")
	if _, err := aisearch.FromEnv(); err == nil || !strings.Contains(err.Error(), "CLOUDFLARE_EMAIL is set but CLOUDFLARE_API_KEY is not") {
		t.Errorf("e-mail without key: %v", err)
	}
}
