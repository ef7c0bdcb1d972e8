// Package cli implements the aisearch-tokens command line. Each subcommand
// lives in its own file and registers itself in init; Main dispatches.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit codes, stable for scripts.
const (
	ExitOK       = 0 // success
	ExitFailure  = 1 // API error, contract violation, or any other failure
	ExitUsage    = 2 // bad command line
	ExitNotFound = 3 // the token asked for does not exist
)

// Stdio is where a command reads and writes; tests pass buffers.
type Stdio struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Command is one subcommand.
type Command struct {
	Name  string // as typed: "list"
	Usage string // arguments after the name: "[--search S] [--json]"
	Short string // one line for `help`
	// Run executes the command. args are the arguments after the name.
	// Return a UsageError for a bad command line and an ExitError to choose
	// another exit code; any other error exits with ExitFailure.
	Run func(ctx context.Context, io Stdio, args []string) error
}

var commands = map[string]*Command{}

// register adds a command; call it from init in the command's file.
func register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: duplicate command " + c.Name)
	}
	commands[c.Name] = c
}

// UsageError reports a bad command line (exit 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitError carries an explicit exit code with its error.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// NewFlagSet returns a flag set for a command whose errors come back to the
// caller (never os.Exit) and whose -h/--help prints the command's usage.
func NewFlagSet(c *Command, stdio Stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(c.Name, flag.ContinueOnError)
	fs.SetOutput(stdio.Err)
	fs.Usage = func() {
		fmt.Fprintf(stdio.Err, "usage: aisearch-tokens %s %s\n\n%s\n", c.Name, c.Usage, c.Short)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(stdio.Err, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, args []string, stdio Stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				// The command's own flag set prints its usage and flags.
				return exitCode(stdio, c, c.Run(ctx, stdio, []string{"--help"}))
			}
		}
		printHelp(stdio.Out)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stdio.Err, "aisearch-tokens: unknown command %q\n\n", args[0])
		printHelp(stdio.Err)
		return ExitUsage
	}
	err := c.Run(ctx, stdio, args[1:])
	return exitCode(stdio, c, err)
}

func exitCode(stdio Stdio, c *Command, err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	var usage *UsageError
	if errors.As(err, &usage) {
		fmt.Fprintf(stdio.Err, "aisearch-tokens %s: %s\n(run `aisearch-tokens %s --help`)\n", c.Name, usage.Msg, c.Name)
		return ExitUsage
	}
	fmt.Fprintf(stdio.Err, "aisearch-tokens %s: %s\n", c.Name, err)
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	return ExitFailure
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "aisearch-tokens: Cloudflare AI Search service tokens, a local emulator, and contract checks.")
	fmt.Fprintln(w, "\nusage: aisearch-tokens <command> [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].Short)
	}
	fmt.Fprintln(w, "\nRun `aisearch-tokens <command> --help` for a command's flags.")
	fmt.Fprintf(w, "Exit codes: %d ok, %d failure, %d usage, %d not found.\n", ExitOK, ExitFailure, ExitUsage, ExitNotFound)
}

// parseFlags parses args with fs, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{Msg: strings.TrimSpace(err.Error())}
	}
	return nil
}
