package cli

import (
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/go-aisearch/tokens/aisearch"
)

// Env is everything a command takes from the world outside its arguments:
// its standard streams, its environment variables, whether a person is at
// a terminal, the clock and how long retries wait. Commands read nothing
// else (no os.Getenv, no os.Stdin), so tests give each run its own Env and
// run in parallel.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv returns an environment variable, "" when unset; nil: none set.
	Getenv func(string) string
	// StdinIsTerminal: questions (delete's) and the hidden key prompt need
	// a person. StderrIsTerminal: progress is shown to a person only.
	StdinIsTerminal, StderrIsTerminal bool
	// Now is the clock expiries are computed from; nil: time.Now.
	Now func() time.Time
	// Retry is the retry policy before --max-attempts sets its attempts;
	// zero (no MaxAttempts): aisearch.DefaultRetryPolicy. Tests pass
	// aisearch.NoWaitRetryPolicy().
	Retry aisearch.RetryPolicy
}

// osEnv is the process's own environment.
func osEnv() *Env {
	return &Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Getenv:           os.Getenv,
		StdinIsTerminal:  term.IsTerminal(int(os.Stdin.Fd())),
		StderrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Now:              time.Now,
	}
}

// withDefaults fills what the caller left out.
func (e *Env) withDefaults() *Env {
	c := *e
	if c.Stdin == nil {
		c.Stdin = eofReader{}
	}
	if c.Stdout == nil {
		c.Stdout = io.Discard
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	if c.Getenv == nil {
		c.Getenv = func(string) string { return "" }
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Retry.MaxAttempts == 0 { // RetryPolicy holds a func: not comparable
		c.Retry = aisearch.DefaultRetryPolicy()
	}
	return &c
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
