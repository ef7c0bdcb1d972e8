package cli_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/spec"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the output")

// golden compares got with testdata/golden/name, or rewrites it with
// -update. The spec's version is written as {spec} so that a spec change
// does not break the files.
func golden(t *testing.T, name, got string) {
	t.Helper()
	doc, err := spec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	got = strings.ReplaceAll(got, "spec "+doc.Info.Version, "spec {spec}")
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", t.Name(), path, got, want)
	}
}

// The conventions Go CLI users expect (cobra's, as kubectl, gh and hugo
// follow them), held with golden output.
func TestConventions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file   string
		args   []string
		code   int
		stderr bool // the golden output is stderr, and stdout is empty
	}{
		// A mistyped command: one line with the suggestion, then the help hint.
		{"unknown-command.txt", []string{"lsit"}, cli.ExitUsage, true},
		// A bad flag: one line, the flag as it is spelt, the command's help hint.
		{"unknown-flag.txt", []string{"list", "--nope"}, cli.ExitUsage, true},
		{"bad-flag-value.txt", []string{"check", "--expiring-within", "soon"}, cli.ExitUsage, true},
		{"version.txt", []string{"--version"}, cli.ExitOK, false},
		{"version.txt", []string{"version"}, cli.ExitOK, false},
		// The command tree: grouped, flags as --flag, exit codes.
		{"help.txt", []string{"--help"}, cli.ExitOK, false},
		{"help.txt", []string{"help"}, cli.ExitOK, false},
		// No command at all: the help, on stderr, and exit 2.
		{"help.txt", nil, cli.ExitUsage, true},
		{"help-get.txt", []string{"get", "--help"}, cli.ExitOK, false},
	} {
		r := run(t, "", tc.args...)
		got, other := r.out, r.err
		if tc.stderr {
			got, other = r.err, r.out
		}
		if r.code != tc.code || other != "" {
			t.Errorf("%v: exit %d, want %d; the other stream holds %q", tc.args, r.code, tc.code, other)
		}
		golden(t, tc.file, got)
	}
}

// completion bash is a script that completes the commands: run through
// bash, it offers every command (it asks the program, found on PATH, as a
// user's shell would).
func TestCompletionBash(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	r := run(t, "", "completion", "bash")
	if r.code != 0 || !strings.HasPrefix(r.out, "# bash completion V2 for aisearch-tokens") {
		t.Fatalf("exit %d\n%.300s", r.code, r.out)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "completion.bash")
	if err := os.WriteFile(script, []byte(r.out), 0o600); err != nil { // sourced, not executed
		t.Fatal(err)
	}
	// The program on PATH is this test binary, by a symlink: nothing
	// executable is written.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, filepath.Join(dir, "aisearch-tokens")); err != nil {
		t.Fatal(err)
	}
	// _get_comp_words_by_ref comes with the bash-completion package, which
	// may not be installed: a minimal one.
	const complete = `
_get_comp_words_by_ref() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
source "$1"
COMP_WORDS=(aisearch-tokens "$2"); COMP_CWORD=1; COMP_LINE="aisearch-tokens $2"; COMP_POINT=${#COMP_LINE}
__start_aisearch-tokens
printf '%s\n' "${COMPREPLY[@]}"
`
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", complete, "bash", script, "")
	cmd.Env = []string{childEnv + "=1", childGORACE, "PATH=" + dir}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("bash: %v\n%s", err, errb.String())
	}
	offered := strings.Fields(out.String())
	slices.Sort(offered)
	golden(t, "completion-bash.txt", strings.Join(offered, "\n")+"\n")
	for _, c := range []string{"provision", "rotate", "check", "list", "verify", "completion"} {
		if !slices.Contains(offered, c) {
			t.Errorf("completion offers no %q: %v", c, offered)
		}
	}
}

// Every shell cobra supports gets a script that names the program.
func TestCompletionShells(t *testing.T) {
	t.Parallel()
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := run(t, "", "completion", sh)
		if r.code != 0 || !strings.Contains(r.out, "aisearch-tokens") || len(r.out) < 500 {
			t.Errorf("completion %s: exit %d, %d bytes", sh, r.code, len(r.out))
		}
	}
	if r := run(t, "", "completion", "tcsh"); r.code == 0 {
		t.Errorf("completion tcsh: exit 0")
	}
}
