package cli_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

// childEnv makes the test binary the aisearch-tokens program (cli.Run, all
// that main does), so tests can run it as a real process and signal it.
const childEnv = "AISEARCH_TOKENS_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(cli.Run())
	}
	os.Exit(m.Run())
}

// childGORACE is the race detector's setting for the program's processes
// (the test binary, built with -race under make test): this process's
// GORACE, without the second a race-enabled binary otherwise sleeps on exit
// (atexit_sleep_ms defaults to 1000; a race is reported when it happens).
var childGORACE = "GORACE=" + strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")

// program returns a command that runs aisearch-tokens as a process, with
// args and the variables in env only. The program is this test binary
// itself (TestMain above): it is executed directly, never copied or
// wrapped in a script. Writing an executable file while parallel tests
// fork is what made exec fail with "text file busy" (golang/go#22315: a
// child forked in between inherits the file's write descriptor until it
// execs); nothing here writes one.
func program(t testing.TB, env map[string]string, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = []string{childEnv + "=1", childGORACE}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}
