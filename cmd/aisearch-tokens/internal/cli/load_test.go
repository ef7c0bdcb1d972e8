package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

func runLoadCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"load"}, args...), &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
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
		if code, _, stderr := runLoadCLI(t, nil, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, ExitUsage, stderr)
		}
	}
	// A loopback URL that is not an API root: refused before any request,
	// naming the root.
	if code, _, stderr := runLoadCLI(t, nil, "--base-url", "http://127.0.0.1:1", "--account-id", "a"); code != ExitUsage ||
		!strings.Contains(stderr, "the API root is http://127.0.0.1:1/client/v4") {
		t.Errorf("no /client/v4: exit %d, stderr %q", code, stderr)
	}
}

func TestLoadRunsAgainstEmulator(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	code, out, stderr := runLoadCLI(t, map[string]string{"CLOUDFLARE_API_TOKEN": ts.APIToken}, "--base-url", ts.BaseURL, "--account-id", ts.AccountID, "--concurrency", "4", "--requests", "200", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Requests   int                        `json:"requests"`
		Unexpected int                        `json:"unexpected"`
		Failed     int                        `json:"failed"`
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Requests != 200 || got.Unexpected != 0 || got.Failed != 0 || len(got.Operations) != 5 {
		t.Errorf("got %+v", got)
	}
	if len(ts.Tokens(ts.AccountID)) == 0 {
		t.Error("the default mix created no token")
	}
	if strings.Contains(out+stderr, ts.APIToken) {
		t.Error("the API token appears in the output")
	}
	// What the run leaves registered holds a token with the groups AI
	// Search needs, so check passes on the account afterwards.
	var checkOut, checkErr bytes.Buffer
	env := map[string]string{"CLOUDFLARE_API_TOKEN": ts.APIToken, "CLOUDFLARE_ACCOUNT_ID": ts.AccountID, "CLOUDFLARE_API_BASE_URL": ts.BaseURL}
	if code := Main(context.Background(), []string{"check"}, &Env{Stdout: &checkOut, Stderr: &checkErr, Getenv: func(k string) string { return env[k] }}); code != ExitOK {
		t.Errorf("check after load: exit %d\n%s%s", code, checkOut.String(), checkErr.String())
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
	code, _, stderr := runLoadCLI(t, map[string]string{"CLOUDFLARE_API_TOKEN": minter}, "--base-url", ts.BaseURL, "--account-id", ts.AccountID, "--concurrency", "2", "--requests", "20")
	if code != ExitFailure || !strings.Contains(stderr, "unexpected status") {
		t.Fatalf("exit %d, stderr %q; want exit %d naming the unexpected statuses", code, stderr, ExitFailure)
	}
}

// A token the server refuses cannot mint the service token the load
// registers: the run stops before any traffic, exit 1, naming the refusal.
func TestLoadFailsWhenTheServiceTokenCannotBeMinted(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	code, _, stderr := runLoadCLI(t, map[string]string{"CLOUDFLARE_API_TOKEN": "not-the-emulators-token"}, "--base-url", ts.BaseURL, "--account-id", ts.AccountID, "--concurrency", "2", "--requests", "20")
	if code != ExitFailure || !strings.Contains(stderr, "mint the service token: POST /user/tokens answered 401") {
		t.Fatalf("exit %d, stderr %q; want exit %d naming the refused mint", code, stderr, ExitFailure)
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
	if code, _, stderr := runLoadCLI(t, env, "--base-url", ts.BaseURL, "--requests", "20", "--mix", "create=1"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n, m := len(ts.Tokens(other)), len(ts.Tokens(ts.AccountID)); n != 20 || m != 0 {
		t.Errorf("%d registrations on $CLOUDFLARE_ACCOUNT_ID's account and %d on the default one, want 20 and 0", n, m)
	}
	if code, out, _ := runLoadCLI(t, env, "--help"); code != ExitOK || strings.Contains(out, other) {
		t.Errorf("load --help: exit %d, shows the environment's account:\n%s", code, out)
	}
}
