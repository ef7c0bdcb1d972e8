package cli_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/aisearchtest"
	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// TestCLILifecycleAgainstTheEmulator runs the commands a person or a deploy
// script would, in order, and checks every output for secrets.
func TestCLILifecycleAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	clock := testsupport.NewClock(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	srv := aisearchtest.NewServer(t, emulator.WithClock(clock.Now))
	ts := srv.TestServer
	h := useAPI(t, ts.BaseURL, ts.AccountID, ts.APIToken)
	// register checks the key of an existing registration with Cloudflare:
	// the service token is a real one.
	cfID, cfKey := mintServiceToken(t, ts)
	keyFile := filepath.Join(t.TempDir(), "cf_api_key")
	if err := os.WriteFile(keyFile, []byte(cfKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	step := func(stdin string, wantCode int, args ...string) result {
		t.Helper()
		r := h.run(stdin, args...)
		outputs = append(outputs, r.out, r.err)
		if r.code != wantCode {
			t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, wantCode, r.out, r.err)
		}
		return r
	}
	decode := func(r result, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(r.out), v); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, r.out)
		}
	}

	// register twice: created, then found.
	var reg struct {
		Created bool `json:"created"`
		Token   struct {
			ID string `json:"id"`
		} `json:"token"`
	}
	decode(step("", 0, "register", "--name", "ai-search-service", "--cf-api-id", cfID, "--cf-api-key-file", keyFile, "--json"), &reg)
	id := reg.Token.ID
	if !reg.Created || id == "" || !ts.KeyMatches(ts.AccountID, id, cfKey) {
		t.Fatalf("register: %+v", reg)
	}
	if r := step(cfKey+"\n", 0, "register", "--name", "ai-search-service", "--cf-api-id", cfID); !strings.HasPrefix(r.out, "already registered as token "+id) {
		t.Errorf("second register: %q", r.out)
	}
	// A different key for the same cf_api_id would be dropped without a
	// word: register refuses and points to update; nothing changes.
	r := step(cliCfAPIKey+"-other\n", cli.ExitFailure, "register", "--name", "ai-search-service", "--cf-api-id", cfID)
	if !strings.Contains(r.err, "the key given is not that token's value: it is not a live Cloudflare API token") || !strings.Contains(r.err, "aisearch-tokens update "+id) {
		t.Errorf("register with another key: %q", r.err)
	}
	if !ts.KeyMatches(ts.AccountID, id, cfKey) {
		t.Error("register with another key changed the registration")
	}
	// The token's value rolled in place: register with the new value
	// refuses too (the registration holds the old one), and update fixes it.
	clock.Advance(time.Hour)
	rolled := rollAPIToken(t, srv.Client(), cfID)
	r = step(rolled+"\n", cli.ExitFailure, "register", "--name", "ai-search-service", "--cf-api-id", cfID)
	if !strings.Contains(r.err, "the key given is that token's live value, but the token was modified") || !strings.Contains(r.err, "aisearch-tokens update "+id) {
		t.Errorf("register with the rolled value: %q", r.err)
	}
	clock.Advance(time.Hour)
	step(rolled+"\n", 0, "update", id)
	step(rolled+"\n", 0, "register", "--name", "ai-search-service", "--cf-api-id", cfID)

	// create a second one, key from the environment; list shows both.
	cf2ID, cf2Key := mintServiceToken(t, ts)
	h.set("CF_API_KEY", cf2Key)
	var second struct{ ID string }
	decode(step("", 0, "create", "--name", "backup", "--cf-api-id", cf2ID, "--legacy=false", "--json"), &second)
	h.set("CF_API_KEY", "")
	var list []struct {
		ID     string `json:"id"`
		Legacy bool   `json:"legacy"`
	}
	decode(step("", 0, "list", "--json"), &list)
	if len(list) != 2 || list[0].ID != id || list[1].ID != second.ID || list[1].Legacy {
		t.Errorf("list = %+v", list)
	}
	if r := step("", 0, "list", "--search", "BACK"); !strings.Contains(r.out, second.ID) || strings.Contains(r.out, id) {
		t.Errorf("list --search:\n%s", r.out)
	}

	// update the key from stdin (the token's value rolled), keeping the
	// rest; legacy false survives.
	rolled2 := rollAPIToken(t, srv.Client(), cf2ID)
	step(rolled2+"\n", 0, "update", second.ID, "--name", "backup-2")
	toks := ts.Tokens(ts.AccountID)
	if toks[1].Name != "backup-2" || toks[1].CfAPIID != cf2ID || toks[1].Legacy || !ts.KeyMatches(ts.AccountID, second.ID, rolled2) {
		t.Errorf("after update: %+v", toks[1])
	}

	// delete: refused when in use, asked for otherwise, then gone (exit 3).
	ts.MarkInUse(ts.AccountID, id, "my-instance")
	if r := step("", cli.ExitFailure, "delete", "--yes", id); !strings.Contains(r.err, "409 Conflict") {
		t.Errorf("delete in use: %q", r.err)
	}
	h.stdinTerminal = true // a person answers the question
	step("n\n", cli.ExitFailure, "delete", second.ID)
	step("yes\n", 0, "delete", second.ID)
	h.stdinTerminal = false
	if r := step("", cli.ExitNotFound, "get", second.ID); !strings.Contains(r.err, "404") {
		t.Errorf("get deleted: %q", r.err)
	}
	step("", cli.ExitNotFound, "delete", "--yes", second.ID)
	step("", cli.ExitUsage, "get", second.ID, "--base-url", "ftp://x")
	// A base URL without /client/v4 is a usage error naming the flag and
	// the API root, found before any request.
	if r := step("", cli.ExitUsage, "get", id, "--base-url", strings.TrimSuffix(ts.BaseURL, "/client/v4")); !strings.Contains(r.err, "--base-url: ") ||
		!strings.Contains(r.err, "the API root is "+ts.BaseURL) {
		t.Errorf("wrong base URL: %q", r.err)
	}

	// wrong credentials: exit 1, and the bad token is not echoed either.
	h.set("CLOUDFLARE_API_TOKEN", cliAPIToken)
	if r := step("", cli.ExitFailure, "list"); !strings.Contains(r.err, "The credential from CLOUDFLARE_API_TOKEN was refused") {
		t.Errorf("wrong token: %q", r.err)
	}

	for _, o := range outputs {
		assertNoSecrets(t, o)
		if strings.Contains(o, ts.APIToken) || strings.Contains(o, rolled) || strings.Contains(o, rolled2) {
			t.Errorf("the emulator's API token or the rolled value leaked:\n%s", o)
		}
	}
}

// mintServiceToken seeds a Cloudflare API token into ts and returns its id
// and value, a secret the leak checks look for.
func mintServiceToken(t *testing.T, ts *emulator.TestServer) (id, value string) {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	id = hex.EncodeToString(b)
	value = cliCfAPIKey + "-" + id[:8]
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: id, Name: "service " + id[:8], Value: value})
	return id, value
}

// rollAPIToken rolls a user token's value through the API with c, as
// someone would by hand, and returns the new value.
func rollAPIToken(t *testing.T, c *aisearch.Client, id string) string {
	t.Helper()
	v, err := c.APITokens(aisearch.OwnerUser).Roll(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Reveal()
}
