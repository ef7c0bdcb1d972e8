package cfauth_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

func TestBearerToken(t *testing.T) {
	for _, tc := range []struct {
		in, token string
		ok        bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer  abc ", "abc", true},
		{"BEARER abc", "abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer    ", "", false},
		{"Basic abc", "", false},
		{"", "", false},
		{"abc", "", false},
	} {
		token, ok := cfauth.BearerToken(tc.in)
		if token != tc.token || ok != tc.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v", tc.in, token, ok, tc.token, tc.ok)
		}
	}
	if scheme, cred, ok := cfauth.SplitAuthorization("Basic dXNlcg=="); scheme != "Basic" || cred != "dXNlcg==" || !ok {
		t.Errorf("SplitAuthorization(Basic) = %q, %q, %v", scheme, cred, ok)
	}
}

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name string
		env  map[string]string
		want cfauth.Credentials
		err  string
	}{
		{"token wins", map[string]string{cfauth.EnvAPIToken: "t", cfauth.EnvEmail: "e", cfauth.EnvAPIKey: "k"}, cfauth.Credentials{Token: "t"}, ""},
		{"key pair", map[string]string{cfauth.EnvEmail: "e", cfauth.EnvAPIKey: "k"}, cfauth.Credentials{Email: "e", Key: "k"}, ""},
		{"nothing", nil, cfauth.Credentials{}, ""},
		{"key alone", map[string]string{cfauth.EnvAPIKey: "k"}, cfauth.Credentials{}, "CLOUDFLARE_API_KEY is set but CLOUDFLARE_EMAIL is not"},
		{"email alone", map[string]string{cfauth.EnvEmail: "e"}, cfauth.Credentials{}, "CLOUDFLARE_EMAIL is set but CLOUDFLARE_API_KEY is not"},
	} {
		got, err := cfauth.FromEnv(env(tc.env))
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: FromEnv = %+v, %v; want %+v, %q", tc.name, got, err, tc.want, tc.err)
		}
	}
}

func TestSet(t *testing.T) {
	h := http.Header{}
	cfauth.Credentials{Token: "t", Email: "e", Key: "k"}.Set(h)
	if h.Get("Authorization") != "Bearer t" || h.Get("X-Auth-Key") != "" {
		t.Errorf("token: %v", h)
	}
	h = http.Header{}
	cfauth.Credentials{Email: "e", Key: "k"}.Set(h)
	if h.Get("X-Auth-Email") != "e" || h.Get("X-Auth-Key") != "k" || h.Get("Authorization") != "" {
		t.Errorf("key pair: %v", h)
	}
}
