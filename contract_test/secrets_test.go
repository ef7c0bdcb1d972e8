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
			file := filepath.Join(t.TempDir(), "leak.yaml")
			if err := contract.WriteCassette(file, []contract.Interaction{ix}); err != nil {
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
			all := strings.Join(got, "\n")
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
