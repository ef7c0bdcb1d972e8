package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// apiFlags are the flags every tokens command shares. Credentials are never
// flags (they would show in shell history and ps): they come from the
// environment or from a file.
type apiFlags struct {
	accountID    string
	baseURL      string
	apiTokenFile string
	json         bool
	timeout      time.Duration
	maxAttempts  int
}

func addAPIFlags(fs *flag.FlagSet) *apiFlags {
	f := &apiFlags{}
	fs.StringVar(&f.accountID, "account-id", "", "Cloudflare account ID (default $"+aisearch.EnvAccountID+")")
	fs.StringVar(&f.baseURL, "base-url", "", "API root, e.g. an emulator's http://127.0.0.1:8787/client/v4 (default $"+aisearch.EnvBaseURL+", else $"+aisearch.EnvSDKBaseURL+" as the official SDKs read it, else "+aisearch.DefaultBaseURL+")")
	fs.StringVar(&f.apiTokenFile, "api-token-file", "", "read the API token from this file (default $"+aisearch.EnvAPIToken+", or $"+aisearch.EnvAPIKey+" with $"+aisearch.EnvEmail+")")
	fs.BoolVar(&f.json, "json", false, "print JSON for scripts instead of text")
	fs.DurationVar(&f.timeout, "timeout", time.Minute, "give up after this long, retries included (0: no limit)")
	fs.IntVar(&f.maxAttempts, "max-attempts", aisearch.DefaultRetryPolicy().MaxAttempts, "send a request at most this many times on 429, 5xx and connection errors (1: no retries; creates are not retried once sent)")
	return f
}

// client builds the API client from the flags and the environment.
// Configuration problems are usage errors: the help lists the variables.
// ctx interrupts reading --api-token-file.
func (f *apiFlags) client(ctx context.Context) (*aisearch.Client, error) {
	opts, err := f.options(ctx)
	if err != nil {
		return nil, err
	}
	return fromEnv(opts...)
}

// options are the client options the flags give, the credential included
// when --api-token-file is set.
func (f *apiFlags) options(ctx context.Context) ([]aisearch.Option, error) {
	if f.timeout < 0 {
		return nil, Usagef("--timeout must not be negative")
	}
	policy := aisearch.DefaultRetryPolicy()
	policy.MaxAttempts = f.maxAttempts
	opts := []aisearch.Option{aisearch.WithUserAgent("aisearch-tokens-cli"), aisearch.WithRetryPolicy(policy)}
	if f.accountID != "" {
		opts = append(opts, aisearch.WithAccountID(f.accountID))
	}
	if f.baseURL != "" {
		opts = append(opts, aisearch.WithBaseURL(f.baseURL))
	}
	if f.apiTokenFile != "" {
		tok, err := readSecretFile(ctx, f.apiTokenFile, "--api-token-file")
		if err != nil {
			return nil, err
		}
		opts = append(opts, aisearch.WithAPIToken(tok.Reveal()))
	}
	return opts, nil
}

// fromEnv is aisearch.FromEnv with its errors as usage errors.
func fromEnv(opts ...aisearch.Option) (*aisearch.Client, error) {
	c, err := aisearch.FromEnv(opts...)
	if err != nil {
		return nil, Usagef("%s", strings.TrimPrefix(err.Error(), "aisearch: "))
	}
	return c, nil
}

// bound limits ctx by --timeout. Commands call it after reading stdin, so
// time spent typing a key or answering a prompt does not count.
func (f *apiFlags) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if f.timeout == 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, f.timeout)
}

// parseArgs parses flags that may come before or after the positional
// arguments (`get ID --json` and `get --json ID` both work) and checks that
// exactly len(names) positionals were given.
func parseArgs(fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	pos, err := parseVariadic(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != len(names) {
		if len(names) == 0 {
			return nil, Usagef("unexpected arguments: %s", strings.Join(pos, " "))
		}
		return nil, Usagef("want %s, got %d argument(s)", strings.Join(names, " "), len(pos))
	}
	for i, p := range pos {
		if strings.TrimSpace(p) == "" {
			return nil, Usagef("empty %s", names[i])
		}
	}
	return pos, nil
}

// parseVariadic parses flags placed anywhere among positional arguments
// and returns the positionals; after "--" everything is positional, even
// "-x".
func parseVariadic(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos, afterDashes []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, afterDashes = args[:i], args[i+1:]
	}
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return append(pos, afterDashes...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// tokenFlags describe the service token that create, register and update
// send: its name, its cf_api_id, and where its secret value comes from.
type tokenFlags struct{ name, cfAPIID, keyFile *string }

func addTokenFlags(fs *flag.FlagSet, nameUsage, cfAPIIDUsage string) tokenFlags {
	return tokenFlags{
		name:    fs.String("name", "", nameUsage),
		cfAPIID: fs.String("cf-api-id", "", cfAPIIDUsage),
		keyFile: fs.String("cf-api-key-file", "", "read the service token's value (cf_api_key) from this file; otherwise from $"+envCfAPIKey+", otherwise from stdin. Never a plain flag."),
	}
}

// requireAll refuses a command line without --name or --cf-api-id (create
// and register need both; update keeps what is not given).
func (tf tokenFlags) requireAll() error {
	if *tf.name == "" || *tf.cfAPIID == "" {
		return Usagef("--name and --cf-api-id are required")
	}
	return nil
}

// clientAndKey builds the client, then reads the key: configuration errors
// are reported before anyone is asked for a secret.
func (f *apiFlags) clientAndKey(ctx context.Context, stdio Stdio, tf tokenFlags) (*aisearch.Client, aisearch.Secret, error) {
	c, err := f.client(ctx)
	if err != nil {
		return nil, "", err
	}
	key, err := readCfAPIKey(ctx, stdio, *tf.keyFile)
	if err != nil {
		return nil, "", err
	}
	return c, key, nil
}

// apiError gives not-found its own exit code; other errors exit 1.
func apiError(err error) error {
	if errors.Is(err, aisearch.ErrNotFound) {
		return &ExitError{Code: ExitNotFound, Err: err}
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printToken shows one token, as JSON or as aligned "field: value" lines.
func printToken(w io.Writer, t aisearch.Registration, asJSON bool) error {
	if asJSON {
		return writeJSON(w, t)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]string{
		{"id", t.ID},
		{"name", oneLine(t.Name)},
		{"cf_api_id", oneLine(t.CfAPIID)},
		{"enabled", fmt.Sprint(t.Enabled)},
		{"legacy", fmt.Sprint(t.Legacy)},
		{"created_at", formatTime(t.CreatedAt)},
		{"created_by", orDash(oneLine(t.CreatedBy))},
		{"modified_at", formatTime(t.ModifiedAt)},
		{"modified_by", orDash(oneLine(t.ModifiedBy))},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], kv[1])
	}
	return tw.Flush()
}

// printTokens shows a list as a table, or as a JSON array ([] when empty).
func printTokens(w io.Writer, tokens []aisearch.Registration, asJSON bool) error {
	if asJSON {
		if tokens == nil {
			tokens = []aisearch.Registration{}
		}
		return writeJSON(w, tokens)
	}
	if len(tokens) == 0 {
		_, err := fmt.Fprintln(w, "no tokens")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCF_API_ID\tENABLED\tLEGACY\tMODIFIED")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%t\t%s\n", t.ID, oneLine(t.Name), oneLine(t.CfAPIID), t.Enabled, t.Legacy, formatTime(t.ModifiedAt))
	}
	return tw.Flush()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps a server-supplied string with tabs, newlines or terminal
// escapes from breaking the output or driving the terminal.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// optBool is a boolean flag that remembers whether it was given, so an
// absent --legacy leaves the API's default or the current value alone.
type optBool struct{ v *bool }

func (o *optBool) String() string {
	if o == nil || o.v == nil {
		return ""
	}
	return strconv.FormatBool(*o.v)
}

func (o *optBool) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	o.v = &b
	return nil
}

func (o *optBool) IsBoolFlag() bool { return true }
