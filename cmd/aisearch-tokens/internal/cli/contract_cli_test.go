package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
)

const testdata = "../../../../contract_test/testdata"

func TestVerifyValidFixtures(t *testing.T) {
	r := run(t, "", "verify", testdata)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{"coverage: 88/88", "contract ok:", "ai-search-delete-tokens", "user-api-tokens-roll-token", "  4XX   503\n"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
}

func TestVerifyInvalidFixtures(t *testing.T) {
	r := run(t, "", "verify", "--require-coverage", filepath.Join(testdata, "invalid"))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.out)
	}
	for _, want := range []string{"FAIL ../../../../contract_test/testdata/invalid/missing-result-id.yaml: interaction 0", "response body.result.id", "contract FAILED",
		"api-token-get-leaks-value.yaml: interaction 0 (GET /user/tokens/ed17574386854bf78a67040be0a770b0 -> 200): response body.result:",
		"body-trailing-garbage-answered-200.yaml: interaction 0 (POST /user/tokens -> 200): request body: body is not exactly one JSON value"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("report lacks %q:\n%s", want, r.out)
		}
	}
	if !strings.Contains(r.err, "contract violations") {
		t.Errorf("stderr: %q", r.err)
	}
}

// TestVerifyBrokenByHand removes result.id from a copy of a valid fixture
// and requires verify to fail naming the file and the field.
func TestVerifyBrokenByHand(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testdata, "documented-examples.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(data), `"id":"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",`, "", 1)
	if broken == string(data) {
		t.Fatal("documented example id not found")
	}
	file := filepath.Join(t.TempDir(), "broken.yaml")
	os.WriteFile(file, []byte(broken), 0o644)
	r := run(t, "", "verify", file)
	want := regexp.MustCompile(regexp.QuoteMeta(file) + `: interaction 0 \(POST .*-> 201\): response body\.result\.id: property "id" is missing`)
	if r.code != 1 || !want.MatchString(r.out) {
		t.Errorf("exit %d, report:\n%s", r.code, r.out)
	}
}

func TestVerifyUsage(t *testing.T) {
	if r := run(t, "", "verify", "--bogus"); r.code != 2 {
		t.Errorf("bad flag: exit %d", r.code)
	}
	if r := run(t, "", "verify", filepath.Join(t.TempDir(), "missing.yaml")); r.code != 1 || !strings.Contains(r.err, "missing.yaml") {
		t.Errorf("missing file: exit %d, %q", r.code, r.err)
	}
	empty := t.TempDir()
	if r := run(t, "", "verify", empty); r.code != 1 || !strings.Contains(r.err, "no *.yaml cassettes") {
		t.Errorf("empty dir: exit %d, %q", r.code, r.err)
	}
	garbage := filepath.Join(t.TempDir(), "garbage.yaml")
	os.WriteFile(garbage, []byte("{{{ not yaml"), 0o644)
	if r := run(t, "", "verify", garbage); r.code != 1 || !strings.Contains(r.err, "garbage.yaml") {
		t.Errorf("garbage: exit %d, %q", r.code, r.err)
	}
}

func TestVerifySecretsOnly(t *testing.T) {
	if r := run(t, "", "verify", "--secrets-only", testdata, filepath.Join(testdata, "invalid")); r.code != 0 || !strings.Contains(r.out, "secret scan ok") {
		t.Errorf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	ix := contract.Interaction{Method: "GET", URL: "https://api.cloudflare.com/client/v4/accounts/a/ai-search/tokens",
		RequestHeader: map[string][]string{"Authorization": {"Bearer " + cliAPIToken}}, Status: 200}
	file := filepath.Join(t.TempDir(), "leak.yaml")
	if err := contract.WriteCassette(file, []contract.Interaction{ix}); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "verify", "--secrets-only", file)
	if r.code != 1 || !strings.Contains(r.out, "Authorization is not redacted") {
		t.Errorf("exit %d\n%s", r.code, r.out)
	}
	assertNoSecrets(t, r.out, r.err)
	// After "--" everything is a path: "--secrets-only" there is not the flag.
	r = run(t, "", "verify", "--", file, "--secrets-only")
	if r.code != 1 || !strings.Contains(r.err, "--secrets-only") {
		t.Errorf("a flag after --: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

func TestRecordFromEmulator(t *testing.T) {
	srv := emulator.NewTestServer(t, emulator.WithAPITokens(cliAPIToken))
	if srv.AccountID != emulator.DefaultAccountID {
		t.Fatalf("test server account %s: want the default this test relies on", srv.AccountID)
	}
	useAPI(t, "", "", cliAPIToken) // no account: --emulator means the emulator's default, as in the README
	t.Setenv("CF_API_KEY", cliCfAPIKey)
	out := t.TempDir()
	r := run(t, "", "record", "--base-url", srv.BaseURL, "--out", out, "--emulator", "--scenarios", "lifecycle,rate-limited")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	assertNoSecrets(t, r.out, r.err)
	for _, name := range []string{"recorded-lifecycle.yaml", "recorded-rate-limited.yaml"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecrets(t, string(data))
	}
	if v := run(t, "", "verify", out); v.code != 0 {
		t.Errorf("the recording does not verify: exit %d\n%s", v.code, v.out)
	}
}

func TestRecordUsage(t *testing.T) {
	useAPI(t, "", cliAccount, "")
	cases := map[string][]string{
		"no base url":      {"record", "--out", t.TempDir()},
		"no out":           {"record", "--base-url", "http://127.0.0.1:1/client/v4"},
		"no credentials":   {"record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir()},
		"unknown scenario": {"record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir(), "--scenarios", "nope"},
		"positional":       {"record", "extra"},
	}
	for name, args := range cases {
		if r := run(t, "", args...); r.code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", name, r.code, r.err)
		}
	}
	useAPI(t, "", "", cliAPIToken) // without --emulator there is no default account
	if r := run(t, "", "record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir()); r.code != 2 || !strings.Contains(r.err, "no account") {
		t.Errorf("no account: exit %d, want 2 (%s)", r.code, r.err)
	}
}
