package cli_test

import (
	"encoding/json"
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
	t.Parallel()
	r := run(t, "", "verify", testdata)
	if r.code != 0 || r.err != "" {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	// Coverage only when asked: the summary alone.
	if !regexp.MustCompile(`^contract ok: \d+ files, \d+ interactions: 0 violations, 0 echoed secrets, 0 unredacted secrets\n$`).MatchString(r.out) {
		t.Errorf("output:\n%s", r.out)
	}
	r = run(t, "", "verify", "--coverage", testdata)
	if r.code != 0 {
		t.Fatalf("--coverage: exit %d\n%s%s", r.code, r.out, r.err)
	}
	for _, want := range []string{"ai-search-delete-tokens", "user-api-tokens-roll-token", "ai-search-move-instance", "  503\n", ", coverage 253/253\n"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("--coverage output lacks %q:\n%s", want, r.out)
		}
	}
	if !strings.HasPrefix(lastLine(r.out), "contract ok: ") {
		t.Errorf("the summary is not last:\n%s", r.out)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestVerifyInvalidFixtures(t *testing.T) {
	t.Parallel()
	r := run(t, "", "verify", filepath.Join(testdata, "invalid"))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.out)
	}
	for _, want := range []string{"VIOLATION ../../../../contract_test/testdata/invalid/missing-result-id.yaml: interaction 0", "response body.result.id",
		"api-token-get-leaks-value.yaml: interaction 0 (GET /user/tokens/ed17574386854bf78a67040be0a770b0 -> 200): response body.result:",
		"body-trailing-garbage-answered-200.yaml: interaction 0 (POST /user/tokens -> 200): request body: body is not exactly one JSON value",
		"ECHOED SECRET ../../../../contract_test/testdata/invalid/secret-echoed.yaml: interaction 0 (POST …/ai-search/tokens -> 201): response body: echoes the request's cf_api_key (a secret)"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("report lacks %q:\n%s", want, r.out)
		}
	}
	// Echoed secrets are counted as such in the summary, which comes last;
	// no coverage table unless asked.
	if !regexp.MustCompile(`^contract FAILED: \d+ files, \d+ interactions: \d+ violations, 2 echoed secrets, 0 unredacted secrets$`).MatchString(lastLine(r.out)) {
		t.Errorf("summary: %q", lastLine(r.out))
	}
	if strings.Contains(r.out, "not covered") || strings.Contains(r.out, "\noperation ") || r.err != "" {
		t.Errorf("coverage or stderr without being asked:\n%s\nstderr: %s", r.out, r.err)
	}
}

// --json holds the same findings under the same names, and says ok.
func TestVerifyJSON(t *testing.T) {
	t.Parallel()
	type doc struct {
		OK            bool              `json:"ok"`
		Files         []string          `json:"files"`
		Violations    []json.RawMessage `json:"violations"`
		EchoedSecrets []struct {
			File, Where, Message string
			Interaction          int
		} `json:"echoed_secrets"`
		UnredactedSecrets []json.RawMessage `json:"unredacted_secrets"`
		Coverage          *struct {
			Covered, Documented int
			Missing             []any
		} `json:"coverage"`
	}
	r := run(t, "", "verify", "--json", filepath.Join(testdata, "invalid"))
	var bad doc
	if err := json.Unmarshal([]byte(r.out), &bad); err != nil || r.code != 1 {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.out)
	}
	if bad.OK || len(bad.Violations) == 0 || len(bad.EchoedSecrets) != 2 || bad.EchoedSecrets[0].Where != "response body" ||
		!strings.HasSuffix(bad.EchoedSecrets[0].File, "secret-echoed.yaml") || bad.Coverage != nil || bad.UnredactedSecrets == nil {
		t.Errorf("invalid fixtures: %+v", bad)
	}
	r = run(t, "", "verify", "--json", "--require-coverage", testdata)
	var good doc
	if err := json.Unmarshal([]byte(r.out), &good); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v\n%s", r.code, err, r.out)
	}
	if !good.OK || len(good.Violations) != 0 || good.Coverage == nil || good.Coverage.Covered != good.Coverage.Documented || len(good.Coverage.Missing) != 0 {
		t.Errorf("valid fixtures: %+v", good)
	}
}

// Several files: progress on a terminal's stderr, none otherwise. Two
// small fixtures are several (the whole testdata/ would check 60 files
// twice for it).
func TestVerifyProgress(t *testing.T) {
	t.Parallel()
	files := []string{filepath.Join(testdata, "documented-examples.yaml"), filepath.Join(testdata, "refused-input.yaml")}
	h := newHarness(t)
	r := h.run("", append([]string{"verify"}, files...)...)
	if r.code != 0 || r.err != "" || !strings.Contains(r.out, "contract ok: 2 files") {
		t.Errorf("no terminal: exit %d, stderr %q, stdout %q", r.code, r.err, r.out)
	}
	h.stderrTerminal = true
	r = h.run("", append([]string{"verify"}, files...)...)
	if r.code != 0 || !strings.Contains(r.err, "· [1/2] ") || !strings.Contains(r.err, "· [2/2] ") || !strings.Contains(r.err, "documented-examples.yaml") {
		t.Errorf("terminal: exit %d, stderr %q", r.code, r.err)
	}
}

// TestVerifyBrokenByHand removes result.id from a copy of a valid fixture
// and requires verify to fail naming the file and the field.
func TestVerifyBrokenByHand(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	srv := emulator.NewTestServer(t, emulator.WithAPITokens(cliAPIToken))
	if srv.AccountID != emulator.DefaultAccountID {
		t.Fatalf("test server account %s: want the default this test relies on", srv.AccountID)
	}
	h := useAPI(t, "", "", cliAPIToken) // no account: --emulator means the emulator's default, as in the README
	out := t.TempDir()
	// The instance scenarios too: the registration's made-up service token
	// ends each job at once, so their cancels are recorded refused.
	r := h.run("", "record", "--base-url", srv.BaseURL, "--out", out, "--emulator", "--scenarios", "lifecycle,rate-limited,instances,instances-refused")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.out, r.err)
	}
	assertNoSecrets(t, r.out, r.err)
	for _, name := range []string{"recorded-lifecycle.yaml", "recorded-rate-limited.yaml", "recorded-instances.yaml", "recorded-instances-refused.yaml"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecrets(t, string(data))
	}
	if v := h.run("", "verify", out); v.code != 0 {
		t.Errorf("the recording does not verify: exit %d\n%s", v.code, v.out)
	}
}

func TestRecordUsage(t *testing.T) {
	t.Parallel()
	h := useAPI(t, "", cliAccount, "")
	cases := map[string][]string{
		"no base url":      {"record", "--out", t.TempDir()},
		"no out":           {"record", "--base-url", "http://127.0.0.1:1/client/v4"},
		"no credentials":   {"record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir()},
		"unknown scenario": {"record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir(), "--scenarios", "nope"},
		"positional":       {"record", "extra"},
	}
	for name, args := range cases {
		if r := h.run("", args...); r.code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", name, r.code, r.err)
		}
	}
	// The service token to register is --cf-api-id with $CF_API_KEY, or
	// neither (record mints one).
	withToken := useAPI(t, "", cliAccount, cliAPIToken)
	if r := withToken.run("", "record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir(), "--cf-api-id", "a1b2c3d4e5f6"); r.code != 2 ||
		!strings.Contains(r.err, "--cf-api-id and $CF_API_KEY go together") {
		t.Errorf("--cf-api-id without $CF_API_KEY: exit %d, want 2 (%s)", r.code, r.err)
	}
	// The base URL is held to the client's rule for an API root, which
	// names the right one.
	if r := h.run("", "record", "--base-url", "http://127.0.0.1:1/", "--out", t.TempDir()); r.code != 2 ||
		!strings.Contains(r.err, "--base-url: ") || !strings.Contains(r.err, "the API root is http://127.0.0.1:1/client/v4") {
		t.Errorf("base URL without /client/v4: exit %d, want 2 (%s)", r.code, r.err)
	}
	h = useAPI(t, "", "", cliAPIToken) // without --emulator there is no default account
	if r := h.run("", "record", "--base-url", "http://127.0.0.1:1/client/v4", "--out", t.TempDir()); r.code != 2 || !strings.Contains(r.err, "no account") {
		t.Errorf("no account: exit %d, want 2 (%s)", r.code, r.err)
	}
}
