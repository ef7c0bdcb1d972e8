package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// asBreaking makes this test binary the breaking program (main, through
// TestMain), so that the script's test need not build one each run: the
// script takes it as BREAKING_BIN.
const asBreaking = "SPECGOV_TEST_AS_BREAKING"

func TestMain(m *testing.M) {
	if os.Getenv(asBreaking) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// TestScriptChecksEveryLandedCommit runs scripts/breaking.sh in a scratch
// repository holding a push of two commits: the first changes the spec
// without a version bump, the second does not touch it. Comparing HEAD~1
// (what CI used to do) sees nothing; the default walk of the first-parent
// history must fail on the first commit. The script runs this test binary
// as the breaking program (BREAKING_BIN); `make breaking`, in CI, runs the
// script's own build of it.
func TestScriptChecksEveryLandedCommit(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	repo := t.TempDir()
	copyFile(t, filepath.Join("..", "..", "..", "scripts", "breaking.sh"), filepath.Join(repo, "scripts", "breaking.sh"))
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	commit := func(msg string, spec []byte) {
		t.Helper()
		if spec != nil {
			if err := os.WriteFile(filepath.Join(repo, "openapi.yaml"), spec, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(repo, "notes.txt"), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "-A")
		git("commit", "-q", "-m", msg)
	}
	git("init", "-q")
	commit("base", baseSpec(t))
	commit("spec changed, version not bumped", revise(t, "1.0.0", func(doc *openapi3.T) {
		doc.Paths.Find(listPath).Get.Description = "changed without a version bump"
	}))
	commit("unrelated", nil)

	script := func(args ...string) (string, error) {
		cmd := exec.Command("bash", append([]string{filepath.Join("scripts", "breaking.sh")}, args...)...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "BREAKING_BIN="+exe, asBreaking+"=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := script("HEAD~1"); err != nil || !strings.Contains(out, "the spec did not change") {
		t.Fatalf("HEAD~1 (the old CI check): %v\n%s", err, out)
	}
	out, err := script()
	if err == nil || !strings.Contains(out, "spec changed, version not bumped") || !strings.Contains(out, "FAIL") {
		t.Fatalf("default walk: %v, want a failure naming the commit\n%s", err, out)
	}

	commit("spec 1.0.1: the change, announced", revise(t, "1.0.1", func(doc *openapi3.T) {
		doc.Paths.Find(listPath).Get.Description = "changed again, with a version bump"
	}))
	if out, err := script(); err == nil || !strings.Contains(out, "2 spec change(s) checked") {
		t.Errorf("a later bump does not excuse the earlier commit: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
