package tokens_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckGeneratedCatchesStaleCode copies the tracked tree into a fresh git
// repository, edits openapi.yaml there without regenerating, and shows that
// scripts/check-generated.sh fails on it, naming the stale file.
//
// It runs where its cost is paid anyway: scripts/check-generated.sh (make
// check-generated, which CI runs) calls it right after passing on the real
// tree, which is the other half of the proof, with the generator already
// compiled. Elsewhere (make test, go test ./...) it skips, so a test run
// does not compile oapi-codegen and regenerate a copy of the repo.
func TestCheckGeneratedCatchesStaleCode(t *testing.T) {
	if os.Getenv("CHECK_GENERATED_SELFTEST") != "1" {
		t.Skip("run by scripts/check-generated.sh (make check-generated) after it passes on the real tree")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(name)
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		var buf bytes.Buffer
		cmd.Stdout, cmd.Stderr = &buf, &buf
		err := cmd.Run()
		return buf.String(), err
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A"},
		{"-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "copy"},
	} {
		if out, err := run("git", args...); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}

	spec := filepath.Join(dir, "openapi.yaml")
	data, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "    TokenInput:\n      type: object\n      description: The body of create and update (update is a full replacement).\n      required: [name, cf_api_id, cf_api_key]\n      properties:\n"
	if !bytes.Contains(data, []byte(anchor)) {
		t.Fatal("anchor for the edit not found in openapi.yaml; update this test")
	}
	edited := bytes.Replace(data, []byte(anchor), []byte(anchor+"        note:\n          description: An added field.\n          type: string\n"), 1)
	if err := os.WriteFile(spec, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	out2, err := run("bash", "scripts/check-generated.sh")
	if err == nil {
		t.Fatalf("check-generated passed although openapi.yaml changed without regenerating:\n%s", out2)
	}
	if !strings.Contains(out2, "generated/tokens.gen.go") || !strings.Contains(out2, "stale") {
		t.Fatalf("check-generated failed without naming the stale file:\n%s", out2)
	}
}
