package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

// runLoad runs `load args...` with the variables in env.
func runLoad(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	h := newHarness(t)
	for k, v := range env {
		h.set(k, v)
	}
	return h.run("", append([]string{"load"}, args...)...)
}

func TestLoadRefusesBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--account-id", "a"},
		{"--base-url", "https://api.cloudflare.com/client/v4", "--account-id", "a"},
		{"--base-url", "http://10.1.2.3/client/v4", "--account-id", "a"},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account-id", ""},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account-id", "a", "--mix", "list=x"},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account-id", "a", "--requests", "0"},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account-id", "a", "--concurrency", "-1"},
	} {
		if r := runLoad(t, nil, args...); r.code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, r.code, cli.ExitUsage, r.err)
		}
	}
	// A loopback URL that is not an API root: refused before any request,
	// naming the root.
	if r := runLoad(t, nil, "--base-url", "http://127.0.0.1:1", "--account-id", "a"); r.code != cli.ExitUsage ||
		!strings.Contains(r.err, "the API root is http://127.0.0.1:1/client/v4") {
		t.Errorf("no /client/v4: exit %d, stderr %q", r.code, r.err)
	}
}

func TestLoadRunsAgainstEmulator(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	r := runLoad(t, map[string]string{"CLOUDFLARE_API_TOKEN": ts.APIToken}, "--base-url", ts.BaseURL, "--account-id", ts.AccountID, "--concurrency", "4", "--requests", "200", "--json")
	if r.code != cli.ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	var got struct {
		Requests   int                        `json:"requests"`
		Unexpected int                        `json:"unexpected"`
		Failed     int                        `json:"failed"`
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.out)
	}
	if got.Requests != 200 || got.Unexpected != 0 || got.Failed != 0 || len(got.Operations) != 5 {
		t.Errorf("got %+v", got)
	}
	if len(ts.Tokens(ts.AccountID)) == 0 {
		t.Error("the default mix created no token")
	}
	if strings.Contains(r.out+r.err, ts.APIToken) {
		t.Error("the API token appears in the output")
	}
	// What the run leaves registered holds a token with the groups AI
	// Search needs, so check passes on the account afterwards.
	if c := useAPI(t, ts.BaseURL, ts.AccountID, ts.APIToken).run("", "check"); c.code != cli.ExitOK {
		t.Errorf("check after load: exit %d\n%s%s", c.code, c.out, c.err)
	}
}

// A run whose every answer is unexpected (here all 403: the token may mint
// the service token but not manage AI Search) measured nothing useful: it
// fails instead of reporting throughput.
func TestLoadFailsWhenEveryAnswerIsUnexpected(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	const minter = "load-token-that-may-only-mint-tokens"
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "0123456789abcdef0123456789abcdef", Name: "minter", Value: minter,
		Policies: []generated.Policy{{Effect: generated.Allow, PermissionGroups: []generated.PolicyPermissionGroup{{ID: emulator.APITokensWriteGroupID}},
			Resources: generated.APITokenResources{"com.cloudflare.api.user." + emulator.UserID: "*"}}}})
	r := runLoad(t, map[string]string{"CLOUDFLARE_API_TOKEN": minter}, "--base-url", ts.BaseURL, "--account-id", ts.AccountID, "--concurrency", "2", "--requests", "20")
	if r.code != cli.ExitFailure || !strings.Contains(r.err, "unexpected status") {
		t.Fatalf("exit %d, stderr %q; want exit %d naming the unexpected statuses", r.code, r.err, cli.ExitFailure)
	}
}

// A token the server refuses cannot mint the service token the load
// registers: the run stops before any traffic, exit 1, naming the refusal.
func TestLoadFailsWhenTheServiceTokenCannotBeMinted(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	r := runLoad(t, map[string]string{"CLOUDFLARE_API_TOKEN": "not-the-emulators-token"}, "--base-url", ts.BaseURL, "--account-id", ts.AccountID, "--concurrency", "2", "--requests", "20")
	if r.code != cli.ExitFailure || !strings.Contains(r.err, "mint the service token: POST /user/tokens answered 401") {
		t.Fatalf("exit %d, stderr %q; want exit %d naming the refused mint", r.code, r.err, cli.ExitFailure)
	}
	if n := len(ts.Tokens(ts.AccountID)); n != 0 {
		t.Errorf("%d registrations after a refused mint", n)
	}
}

// Without --account-id, load works on $CLOUDFLARE_ACCOUNT_ID, read when it
// runs: the help names the variable, never its value.
func TestLoadTakesTheAccountFromTheEnvironment(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	const other = "0123456789abcdef0123456789abcdef" // not the emulator's default account
	env := map[string]string{"CLOUDFLARE_API_TOKEN": ts.APIToken, "CLOUDFLARE_ACCOUNT_ID": other}
	if r := runLoad(t, env, "--base-url", ts.BaseURL, "--requests", "20", "--mix", "create=1"); r.code != cli.ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if n, m := len(ts.Tokens(other)), len(ts.Tokens(ts.AccountID)); n != 20 || m != 0 {
		t.Errorf("%d registrations on $CLOUDFLARE_ACCOUNT_ID's account and %d on the default one, want 20 and 0", n, m)
	}
	if r := runLoad(t, env, "--help"); r.code != cli.ExitOK || strings.Contains(r.out, other) {
		t.Errorf("load --help: exit %d, shows the environment's account:\n%s", r.code, r.out)
	}
}
