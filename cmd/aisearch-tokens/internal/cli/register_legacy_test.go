package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
)

// TestRegisterLegacyFlag: register passes --legacy to the create it may
// make, and leaves an existing registration as it is.
func TestRegisterLegacyFlag(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t, emulator.WithAPITokens(cliAPIToken))
	h := useAPI(t, ts.BaseURL, ts.AccountID, cliAPIToken)
	cfID, cfKey := mintServiceToken(t, ts)
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(cfKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	register := func(legacy string) (created, isLegacy bool) {
		t.Helper()
		r := h.run("", "register", "--name", "svc", "--cf-api-id", cfID, "--cf-api-key-file", keyFile, "--legacy="+legacy, "--json")
		var out struct {
			Created bool `json:"created"`
			Token   struct {
				Legacy bool `json:"legacy"`
			} `json:"token"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.out), &out) != nil {
			t.Fatalf("register --legacy=%s: exit %d\n%s%s", legacy, r.code, r.out, r.err)
		}
		assertNoSecrets(t, r.out, r.err)
		return out.Created, out.Token.Legacy
	}
	if created, legacy := register("false"); !created || legacy {
		t.Errorf("first register --legacy=false: created %v, legacy %v; want a new non-legacy token", created, legacy)
	}
	if created, legacy := register("true"); created || legacy {
		t.Errorf("second register --legacy=true: created %v, legacy %v; want the existing registration unchanged", created, legacy)
	}
}
