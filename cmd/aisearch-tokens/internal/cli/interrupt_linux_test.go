package cli_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/go-aisearch/tokens/emulator"
)

// The tests here run the CLI as a process blocked where a user would press
// Ctrl-C (a terminal prompt, a pipe nobody writes to, a FIFO), signal it,
// and require it to exit promptly with a clear message. Linux only: they
// use FIONREAD, ptys and termios to know the process is blocked.

const deadline = 10 * time.Second

type child struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan struct{}
	err    error // of Wait, once exited is closed
}

// startCLI runs `aisearch-tokens args...` with stdin and the variables in
// env only.
func startCLI(t *testing.T, stdin *os.File, env map[string]string, args ...string) *child {
	t.Helper()
	cmd := program(t, env, args...)
	c := &child{cmd: cmd, stderr: &lockedBuffer{}, exited: make(chan struct{})}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &lockedBuffer{}, c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			cmd.Process.Kill()
			<-c.exited
		}
	})
	return c
}

// waitUntil polls cond until it holds, failing the test after deadline.
func (c *child) waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(deadline); !cond(); time.Sleep(10 * time.Millisecond) {
		select {
		case <-c.exited:
			t.Fatalf("exited (%v) before %s; stderr:\n%s", c.err, what, c.stderr)
		default:
		}
		if time.Now().After(end) {
			t.Fatalf("not %s after %s; stderr:\n%s", what, deadline, c.stderr)
		}
	}
}

// signalAndWait sends sig and requires an exit, with code 128+sig (130
// for Ctrl-C) and stderr saying it was interrupted, within deadline.
func (c *child) signalAndWait(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(deadline):
		t.Fatalf("still running %s after %v; stderr:\n%s", deadline, sig, c.stderr)
	}
	var exit *exec.ExitError
	want := 128 + int(sig.(syscall.Signal))
	if !errors.As(c.err, &exit) || exit.ExitCode() != want || !strings.Contains(c.stderr.String(), "Error: interrupted by SIG") {
		t.Errorf("after %v: %v, want exit status %d saying it was interrupted; stderr:\n%s", sig, c.err, want, c.stderr)
	}
}

// apiEnv points the CLI at a local emulator (nothing is sent before the
// key is read, but the client is built first).
func apiEnv(url string) map[string]string {
	return map[string]string{"CLOUDFLARE_ACCOUNT_ID": cliAccount, "CLOUDFLARE_API_TOKEN": cliAPIToken, "CLOUDFLARE_API_BASE_URL": url}
}

// pipeDrained writes a partial key into w and reports when the reader side
// has taken it out of the pipe (TIOCINQ, alias FIONREAD, on r is 0): the CLI is then in its
// read, with its signal handling in place.
func pipeDrained(t *testing.T, r, w *os.File) func() bool {
	t.Helper()
	if _, err := w.WriteString("partial-key-without-end"); err != nil {
		t.Fatal(err)
	}
	return func() bool {
		n, err := unix.IoctlGetInt(int(r.Fd()), unix.TIOCINQ) // FIONREAD
		return err == nil && n == 0
	}
}

func TestInterruptWhileReadingStdin(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close() // never closed before the signal: the read would block forever
	c := startCLI(t, r, apiEnv("http://127.0.0.1:1/client/v4"), "create", "--name", "n", "--cf-api-id", "c")
	c.waitUntil(t, "reading stdin", pipeDrained(t, r, w))
	c.signalAndWait(t, os.Interrupt)
}

func TestInterruptWhileOpeningAFIFOKeyFile(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "key.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	c := startCLI(t, nil, apiEnv("http://127.0.0.1:1/client/v4"), "register", "--name", "n", "--cf-api-id", "c", "--cf-api-key-file", fifo)
	// Opening the write end without blocking succeeds once a reader has
	// the FIFO open: then the CLI waits for data that never comes.
	var writer *os.File
	c.waitUntil(t, "opening the FIFO", func() bool {
		f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		writer = f
		return err == nil
	})
	defer writer.Close()
	c.signalAndWait(t, syscall.SIGTERM)
}

func TestInterruptAtDeleteConfirmation(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t, emulator.WithAPITokens(cliAPIToken))
	ts.Seed(ts.AccountID, emulator.SeedToken{ID: cliTokenID, Name: "keep-me", CfAPIID: "cf", CfAPIKey: "k"})
	_, tty := openPTY(t) // delete asks only a person at a terminal
	c := startCLI(t, tty, apiEnv(ts.BaseURL), "delete", cliTokenID)
	c.waitUntil(t, "asking for confirmation", func() bool { return strings.Contains(c.stderr.String(), "Type yes to confirm:") })
	c.signalAndWait(t, os.Interrupt)
	if len(ts.Tokens(ts.AccountID)) != 1 {
		t.Error("the token was deleted although the question was interrupted")
	}
}

// openPTY returns a new pseudo-terminal's two ends.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pty: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// TestInterruptAtTerminalPrompt: the cf_api_key prompt turns echo off;
// Ctrl-C there must end the command and give the terminal its echo back.
func TestInterruptAtTerminalPrompt(t *testing.T) {
	t.Parallel()
	_, tty := openPTY(t)
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if before.Lflag&unix.ECHO == 0 {
		t.Fatal("a new pty does not echo")
	}
	c := startCLI(t, tty, apiEnv("http://127.0.0.1:1/client/v4"), "create", "--name", "n", "--cf-api-id", "c")
	c.waitUntil(t, "prompting with echo off", func() bool {
		now, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		return strings.Contains(c.stderr.String(), "cf_api_key (") && err == nil && now.Lflag&unix.ECHO == 0
	})
	c.signalAndWait(t, os.Interrupt)
	after, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if *after != *before {
		t.Errorf("terminal state not restored: lflag %#x, was %#x", after.Lflag, before.Lflag)
	}
}

// Ctrl-C while a request is waiting on the API: exit 130 and one line
// saying so.
func TestInterruptWhileWaitingOnTheAPI(t *testing.T) {
	t.Parallel()
	asked := make(chan struct{}, 1)
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	c := startCLI(t, nil, apiEnv(srv.URL+"/client/v4"), "get", cliTokenID)
	c.waitUntil(t, "waiting on the API", func() bool {
		select {
		case <-asked:
			return true
		default:
			return false
		}
	})
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(deadline):
		t.Fatalf("still running %s after SIGINT", deadline)
	}
	var exit *exec.ExitError
	if !errors.As(c.err, &exit) || exit.ExitCode() != 130 || c.stderr.String() != "Error: interrupted by SIGINT (Ctrl-C)\n" {
		t.Errorf("%v, stderr %q; want exit 130 and one line", c.err, c.stderr)
	}
}
