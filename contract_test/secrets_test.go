package contract_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

// TestNoSecretsInTestdata scans every committed cassette, valid and
// invalid, for credentials that are not the redaction placeholders.
func TestNoSecretsInTestdata(t *testing.T) {
	files, err := contract.CassetteFiles([]string{validDir, invalidDir})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		found, err := contract.ScanFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range found {
			t.Errorf("secret: %s", s)
		}
	}
	t.Logf("secret scan: %d cassettes clean", len(files))
}

// TestSecretScanFindsSecrets plants each kind of secret in a cassette and
// requires the scan to find it, without printing it.
func TestSecretScanFindsSecrets(t *testing.T) {
	cases := map[string]struct {
		edit func(*hx)
		want string
	}{
		"bearer token":       {func(h *hx) { h.auth = "raw-bearer" }, "request header Authorization is not redacted"},
		"legacy key":         {func(h *hx) { h.auth = "raw-legacy" }, "request header X-Auth-Key is not redacted"},
		"legacy email":       {func(h *hx) { h.auth = "raw-legacy" }, "request header X-Auth-Email is not redacted"},
		"cf_api_key in body": {func(h *hx) { h.reqBody = strings.Replace(input, "REDACTED", "plain-service-key", 1) }, "request body cf_api_key is not redacted"},
		"cf_api_key echoed": {func(h *hx) {
			h.respBody = ok(strings.Replace(tok(exID, "n", "null", ""), "{", `{"cf_api_key":"plain-service-key",`, 1))
		}, "response body cf_api_key is not redacted"},
		"token-shaped":      {func(h *hx) { h.respBody = fail(1000, secretToken) }, "shaped like a Cloudflare API token"},
		"global-key-shaped": {func(h *hx) { h.respBody = fail(1000, "key "+secretKey) }, "shaped like a Global API key"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := hx{method: "POST", auth: "bearer", reqBody: input, status: 201, respBody: ok(tok(exID, "n", "null", ""))}
			tc.edit(&h)
			ix := h.interaction()
			switch h.auth {
			case "raw-bearer":
				ix.RequestHeader.Set("Authorization", "Bearer "+secretToken)
			case "raw-legacy":
				ix.RequestHeader.Set("X-Auth-Email", secretEmail)
				ix.RequestHeader.Set("X-Auth-Key", secretKey)
			}
			_, all := scanCassette(t, ix)
			if !strings.Contains(all, tc.want) {
				t.Errorf("findings %q, want one containing %q", all, tc.want)
			}
			for _, s := range []string{secretToken, secretKey, secretEmail, "plain-service-key"} {
				if strings.Contains(all, s) {
					t.Errorf("a finding prints the secret")
				}
			}
		})
	}
}

// TestSecretScanFindsAPITokenValues plants a real-looking Cloudflare API
// token value in each place a recording may hold one (a create's
// result.value, a roll's result, the bearer of a verify made with it, an
// echo) and requires the scan to report it with its file and interaction,
// without printing it. The leak is the second interaction of its cassette,
// after a clean one. A value of another length than 40 is caught in the
// places the API answers one too: there, only the placeholder passes.
func TestSecretScanFindsAPITokenValues(t *testing.T) {
	value50 := strings.Repeat("v", 25) + strings.Repeat("W", 25)
	user := func(h hx) hx { h.base = userTokensURL; return h }
	create := func(value string) hx {
		return user(hx{method: "POST", auth: "bearer", reqBody: docCreate, status: 200,
			respBody: ok(strings.Replace(withValue(docToken), contract.RedactedAPITokenValue, value, 1))})
	}
	roll := func(value string) hx {
		return user(hx{method: "PUT", path: "/" + apiTokenID + "/value", auth: "bearer", reqBody: `{}`, status: 200, respBody: ok(`"` + value + `"`)})
	}
	cases := map[string]struct {
		h      hx
		bearer string // the request's bearer, when not the placeholder
		want   []string
	}{
		"create result.value":  {create(secretToken), "", []string{"response body result.value is not redacted", "shaped like a Cloudflare API token in the response body"}},
		"create, 50 chars":     {create(value50), "", []string{"response body result.value is not redacted"}},
		"roll result":          {roll(secretToken), "", []string{"response body result is not redacted", "shaped like a Cloudflare API token in the response body"}},
		"roll, 50 chars":       {roll(value50), "", []string{"response body result is not redacted"}},
		"bearer of a verify":   {user(hx{method: "GET", path: "/verify", auth: "bearer", status: 200, respBody: ok(`{"id":"` + apiTokenID + `","status":"active"}`)}), secretToken, []string{"request header Authorization is not redacted", "shaped like a Cloudflare API token in the request header Authorization"}},
		"echoed in a failure":  {user(hx{method: "GET", path: "/verify", auth: "bearer", status: 401, respBody: strings.Replace(invalidToken, "Invalid API Token", "Invalid API Token "+secretToken, 1)}), "", []string{"shaped like a Cloudflare API token in the response body"}},
		"leaked by a list":     {user(hx{method: "GET", auth: "bearer", status: 200, respBody: `{"success":true,"errors":[],"messages":[],"result":[` + strings.Replace(withValue(docToken), contract.RedactedAPITokenValue, value50, 1) + `],"result_info":{"page":1,"per_page":20,"count":1,"total_count":1}}`}), "", []string{"response body result.0.value is not redacted"}},
		"the placeholder only": {create(contract.RedactedAPITokenValue), "", nil},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			clean := user(hx{method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 200, respBody: ok(docToken)}).interaction()
			leak := tc.h.interaction()
			if tc.bearer != "" {
				leak.RequestHeader.Set("Authorization", "Bearer "+tc.bearer)
			}
			file, all := scanCassette(t, clean, leak)
			for _, w := range tc.want {
				if !strings.Contains(all, file+": interaction 1: "+w) && !strings.Contains(all, file+": interaction 1: a string "+w) {
					t.Errorf("findings:\n%s\nwant %q naming the file and interaction 1", all, w)
				}
			}
			if len(tc.want) == 0 && all != "" {
				t.Errorf("the placeholder is reported:\n%s", all)
			}
			if strings.Contains(all, "interaction 0") || strings.Contains(all, secretToken) || strings.Contains(all, value50) {
				t.Errorf("a finding names the clean interaction or prints the secret:\n%s", all)
			}
		})
	}
}

// scanCassette writes ixs as a cassette and returns its file and the
// secret scan's findings, one per line.
func scanCassette(t *testing.T, ixs ...contract.Interaction) (file, findings string) {
	t.Helper()
	file = filepath.Join(t.TempDir(), "leak.yaml")
	if err := contract.WriteCassette(file, ixs); err != nil {
		t.Fatal(err)
	}
	found, err := contract.ScanFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range found {
		got = append(got, f.String())
	}
	return file, strings.Join(got, "\n")
}
