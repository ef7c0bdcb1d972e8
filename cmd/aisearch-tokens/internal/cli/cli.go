// Package cli implements the aisearch-tokens command line. The commands
// table below lists every subcommand; each one's Run lives in its own file.
// Main dispatches.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes, stable for scripts.
const (
	ExitOK       = 0 // success
	ExitFailure  = 1 // API error, contract violation, or any other failure
	ExitUsage    = 2 // bad command line
	ExitNotFound = 3 // the token asked for does not exist (check: no registration at all)
	// ExitUnhealthy: check found a registration AI Search cannot rely on,
	// or provision found only broken ones (repair them with rotate).
	ExitUnhealthy = 4
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
	// Long, optional, is printed by --help after Short: what the command
	// does in more words, the permissions it needs, its exit codes.
	Long string
	// Run executes the command; c is the command itself, for its flag set's
	// usage. args are the arguments after the name. Return a UsageError for
	// a bad command line and an ExitError to choose another exit code; any
	// other error exits with ExitFailure.
	Run func(ctx context.Context, c *Command, stdio Stdio, args []string) error
}

// commands is every subcommand, in the order `help` lists them.
var commands = []*Command{
	{Name: "check", Run: runCheck, Long: checkLong,
		Usage: "[--expiring-within D] [--owner user|account] [--issuer-token-file F] [--permission-group ID]... [--json] [api flags]",
		Short: "check that every registered service token still works for AI Search (exit 0 only if so; for cron and CI)"},
	{Name: "create", Run: runCreate,
		Usage: "--name N --cf-api-id ID [--cf-api-key-file F] [--legacy=BOOL] [--json] [api flags]",
		Short: "register a service API token (see `register` for the idempotent form)"},
	{Name: "delete", Run: runDelete,
		Usage: "ID [--yes] [--json] [api flags]",
		Short: "delete a registered token, permanently (asks first unless --yes)"},
	{Name: "demo", Run: runDemo,
		Short: "run the token lifecycle against an in-process emulator, validating every exchange against openapi.yaml"},
	{Name: "get", Run: runGet,
		Usage: "ID [--json] [api flags]",
		Short: "show one registered service token"},
	{Name: "list", Run: runList,
		Usage: "[--search S] [--json] [api flags]",
		Short: "list the account's registered service tokens (every page)"},
	{Name: "load", Run: runLoad,
		Usage: "--base-url URL [--account-id ID] [--concurrency N] [--requests N] [--duration D] [--mix list=5,get=3,...] [--json]",
		Short: "send bounded mixed traffic to a local tokens API (loopback only) and report throughput and latency"},
	{Name: "provision", Run: runProvision, Long: provisionLong,
		Usage: "[--name N] [--owner user|account] [--issuer-token-file F] [--permission-group ID]... [--expires-in D | --expires-on T] [--legacy=BOOL] [--json] [api flags]",
		Short: "create the service API token and register it with AI Search, unless a healthy one is (idempotent)"},
	{Name: "record", Run: runRecord,
		Usage: "--base-url URL --out DIR [--force] [--account-id ID] [--cf-api-id ID] [--emulator] [--scenarios a,b]",
		Short: "run a scripted token lifecycle against an API and save redacted go-vcr cassettes"},
	{Name: "register", Run: runRegister,
		Usage: "--name N --cf-api-id ID [--cf-api-key-file F] [--legacy=BOOL] [--json] [api flags]",
		Short: "register a service token unless its cf_api_id already is (idempotent; safe in deploy scripts)"},
	{Name: "rotate", Run: runRotate, Long: rotateLong,
		Usage: "TOKEN_ID [--owner user|account] [--issuer-token-file F] [--permission-group ID]... [--expires-in D | --expires-on T] [--json] [api flags]",
		Short: "replace the Cloudflare token behind a registration without breaking its instances (same token_id)"},
	{Name: "serve", Run: runServe,
		Usage: "[--addr HOST:PORT] [--state FILE] [--seed FILE] [--api-token T]... [--api-key EMAIL:KEY]... [--fault-rate F] [--fault-seed N] [--latency D] [--validate=false] [--read-header-timeout D] [--read-timeout D] [--write-timeout D] [--idle-timeout D]",
		Short: "run the local emulator of the tokens API (base URL http://HOST:PORT/client/v4)"},
	{Name: "update", Run: runUpdate,
		Usage: "ID [--name N] [--cf-api-id ID] [--cf-api-key-file F] [--legacy=BOOL] [--json] [api flags]",
		Short: "replace a registered token's key (and optionally name, cf_api_id, legacy); other fields are kept"},
	{Name: "verify", Run: runVerify,
		Usage: "[--secrets-only] [--require-coverage] [--max-file-size SIZE] [PATH...]",
		Short: "check recorded go-vcr cassettes against the embedded contract (exit 1 on violations)"},
	{Name: "version", Run: runVersion,
		Short: "print the build and the embedded spec's version"},
}

// lookup returns the command called name, or nil.
func lookup(name string) *Command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
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
		if c.Long != "" {
			fmt.Fprintf(stdio.Err, "\n%s\n", strings.TrimSpace(c.Long))
		}
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(stdio.Err, "\nflags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// Run is the program: it runs the command line args on the process's
// standard streams and returns the exit code. Ctrl-C or SIGTERM ends ctx,
// which every command honours (reads from a terminal, a pipe or a FIFO
// included); a second signal kills the process at once.
func Run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop) // the next signal gets the default action: exit
	return Main(ctx, args, Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
}

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, args []string, stdio Stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				// The command's own flag set prints its usage and flags.
				return exitCode(ctx, stdio, c, c.Run(ctx, c, stdio, []string{"--help"}))
			}
		}
		printHelp(stdio.Out)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stdio.Err, "aisearch-tokens: unknown command %q\n\n", args[0])
		printHelp(stdio.Err)
		return ExitUsage
	}
	return exitCode(ctx, stdio, c, c.Run(ctx, c, stdio, args[1:]))
}

func exitCode(ctx context.Context, stdio Stdio, c *Command, err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if ctx.Err() != nil {
		// Whatever the command was doing, the user stopped it.
		fmt.Fprintf(stdio.Err, "aisearch-tokens %s: interrupted (%v)\n", c.Name, context.Cause(ctx))
		return ExitFailure
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
	width := 0
	for _, c := range commands {
		width = max(width, len(c.Name))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.Name, c.Short)
	}
	fmt.Fprintln(w, "\nRun `aisearch-tokens <command> --help` for a command's flags.")
	fmt.Fprintf(w, "Exit codes: %d ok, %d failure, %d usage, %d not found, %d unhealthy (check, provision).\n", ExitOK, ExitFailure, ExitUsage, ExitNotFound, ExitUnhealthy)
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
