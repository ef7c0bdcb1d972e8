// Package cli is the aisearch-tokens command line, built on cobra: root.go
// assembles the command tree, each command lives in a file of its own,
// errors.go turns errors into what the user reads and the exit code.
// Commands take their environment as a value (Env), never from the process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, stable for scripts (docs/cli.md lists them).
const (
	ExitOK       = 0 // success
	ExitFailure  = 1 // API error, contract violation, or any other failure
	ExitUsage    = 2 // bad command line, or missing configuration; nothing was sent
	ExitNotFound = 3 // the token asked for does not exist (check: no registration at all)
	// ExitUnhealthy: check found a registration AI Search cannot rely on,
	// or provision found only broken ones (repair them with rotate).
	ExitUnhealthy = 4
	// ExitInterrupted is 128+SIGINT, the shell's code for Ctrl-C; SIGTERM
	// gives 128+15.
	ExitInterrupted = 130
)

// Run is the program: main calls it with nothing else. Ctrl-C or SIGTERM
// ends the context every command honours (reads from a terminal, a pipe or
// a FIFO included); a second signal kills the process at once.
func Run() int {
	ctx, stop := interruptible(context.Background())
	defer stop()
	return Main(ctx, os.Args[1:], osEnv())
}

// Main runs the command line args in env and returns the exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	env = env.withDefaults()
	r := &runner{env: env}
	root := newRoot(r)
	root.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	return r.report(ctx, cmd, err)
}

// interrupted is the cause of a context ended by a signal.
type interrupted struct{ Signal os.Signal }

func (e *interrupted) Error() string { return "interrupted by " + signalName(e.Signal) }

// ExitCode is the shell's convention: 128 plus the signal number.
func (e *interrupted) ExitCode() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitInterrupted
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT (Ctrl-C)"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// interruptible returns a context that the first SIGINT or SIGTERM ends,
// with *interrupted as its cause; after it, signals get their default
// action again, so a second Ctrl-C kills a command stuck somewhere.
func interruptible(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(&interrupted{Signal: sig})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(nil) }
}

// usageError reports a bad command line or missing configuration (exit 2):
// found before any request.
type usageError struct{ Msg string }

func (e *usageError) Error() string { return e.Msg }

// usagef builds a usageError.
func usagef(format string, args ...any) error {
	return &usageError{Msg: fmt.Sprintf(format, args...)}
}

// exitError carries an explicit exit code with its error. A nil Err means
// the command already said everything (its output holds the verdict).
type exitError struct {
	Code int
	Err  error
}

func (e *exitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}
func (e *exitError) Unwrap() error { return e.Err }

// exitCode is the code err asks for; 1 when it asks for none.
func exitCode(err error) int {
	var usage *usageError
	var exit *exitError
	var intr *interrupted
	switch {
	case errors.As(err, &intr):
		return intr.ExitCode()
	case errors.As(err, &usage):
		return ExitUsage
	case errors.As(err, &exit):
		return exit.Code
	}
	return ExitFailure
}
