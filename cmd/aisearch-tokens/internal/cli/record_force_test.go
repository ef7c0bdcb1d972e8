package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
)

// TestRecordRefusesToOverwrite: record used to replace the cassettes in
// --out silently. It must refuse, naming the file, before recording
// anything, unless --force.
func TestRecordRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	srv := emulator.NewTestServer(t, emulator.WithAPITokens(cliAPIToken))
	h := useAPI(t, "", "", cliAPIToken)
	out := t.TempDir()
	existing := filepath.Join(out, "recorded-rate-limited.yaml")
	const mine = "my own hand-made cassette\n"
	if err := os.WriteFile(existing, []byte(mine), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"record", "--base-url", srv.BaseURL, "--out", out, "--emulator", "--scenarios", "lifecycle,rate-limited"}
	r := h.run("", args...)
	if r.code != 1 || !strings.Contains(r.err, existing+": file already exists; refusing to overwrite it (use --force to overwrite)") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
	if data, _ := os.ReadFile(existing); string(data) != mine {
		t.Errorf("the cassette was overwritten:\n%.200s", data)
	}
	if _, err := os.Stat(filepath.Join(out, "recorded-lifecycle.yaml")); err == nil {
		t.Error("record refused, but recorded the lifecycle first")
	}
	if r := h.run("", append(args, "--force")...); r.code != 0 {
		t.Fatalf("--force: exit %d\n%s%s", r.code, r.out, r.err)
	}
	if data, _ := os.ReadFile(existing); string(data) == mine || !strings.Contains(string(data), "interactions:") {
		t.Errorf("--force did not replace the cassette:\n%.200s", data)
	}
}
