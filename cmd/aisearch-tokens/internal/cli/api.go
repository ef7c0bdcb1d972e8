package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// apiFlags are the flags every command that calls the API shares.
// Credentials are never flags (they would show in shell history and ps):
// they come from the environment or from a file.
type apiFlags struct {
	accountID    string
	baseURL      string
	apiTokenFile string
	json         bool
	timeout      time.Duration
	maxAttempts  int
}

func addAPIFlags(fs *pflag.FlagSet) *apiFlags {
	f := &apiFlags{}
	fs.StringVar(&f.accountID, "account-id", "", "Cloudflare account `ID` (default $"+cfauth.EnvAccountID+")")
	fs.StringVar(&f.baseURL, "base-url", "", "API root, e.g. an emulator's http://127.0.0.1:8787/client/v4 (default $"+cfauth.EnvBaseURL+", else $"+cfauth.EnvSDKBaseURL+", else "+aisearch.DefaultBaseURL+")")
	fs.StringVar(&f.apiTokenFile, "api-token-file", "", "read the API token from this `file` (default $"+cfauth.EnvAPIToken+", or $"+cfauth.EnvAPIKey+" with $"+cfauth.EnvEmail+")")
	fs.BoolVar(&f.json, "json", false, "print JSON for scripts instead of text")
	fs.DurationVar(&f.timeout, "timeout", time.Minute, "give up after this long, retries included (0: no limit)")
	fs.IntVar(&f.maxAttempts, "max-attempts", aisearch.DefaultRetryPolicy().MaxAttempts, "send a request at most this many times on 429, 5xx and connection errors (1 to 10; 1: no retries; creates are not retried once sent)")
	return f
}

// check finds the mistakes in the flags themselves, before anything is
// read or sent.
func (f *apiFlags) check() error {
	switch {
	case f.timeout < 0:
		return usagef("--timeout %s: must not be negative", f.timeout)
	case f.maxAttempts < 1 || f.maxAttempts > aisearch.MaxAttemptsLimit:
		return usagef("--max-attempts %d: want 1 to %d", f.maxAttempts, aisearch.MaxAttemptsLimit)
	}
	return nil
}

// credential is a resolved credential and where it came from.
type credential struct {
	opt  aisearch.Option
	from string // a variable or a flag and file, never the value
	// token is set for an API token (the token operations take no other).
	token bool
}

// connect builds the client from the flags and the environment, and notes
// in r where each setting came from, for the error messages. Every mistake
// is a usage error found before any request.
func (r *runner) connect(ctx context.Context, f *apiFlags) (*aisearch.Client, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	getenv := r.env.Getenv
	account, accountFrom := f.accountID, "--account-id"
	if account == "" {
		account, accountFrom = getenv(cfauth.EnvAccountID), cfauth.EnvAccountID
	}
	if account != "" { // none: aisearch.New says so (client)
		if err := checkOption(accountFrom, aisearch.WithAccountID(account)); err != nil {
			return nil, err
		}
	}
	opts := []aisearch.Option{aisearch.WithUserAgent("aisearch-tokens-cli"), aisearch.WithRetryPolicy(r.retryPolicy(f.maxAttempts))}
	base, baseFrom := f.baseURL, "--base-url"
	for _, name := range []string{cfauth.EnvBaseURL, cfauth.EnvSDKBaseURL} {
		if base == "" {
			base, baseFrom = getenv(name), name
		}
	}
	if base != "" {
		o := aisearch.WithBaseURL(base)
		if err := checkOption(baseFrom, o); err != nil {
			return nil, err
		}
		opts = append(opts, o)
		r.baseURLFrom = baseFrom
	}
	cred, err := r.mainCredential(ctx, f)
	if err != nil {
		return nil, err
	}
	if cred.opt != nil { // none: aisearch.New says so (client)
		r.mainCred = cred.from
		opts = append(opts, cred.opt)
	}
	if t := r.transport(); t != nil {
		opts = append(opts, aisearch.WithHTTPClient(&http.Client{Transport: t}))
	}
	r.account, r.clientOpts = account, opts
	return r.client()
}

// client builds a client with the settings connect resolved, and extra
// options (another credential) after them. The library finds a missing
// account or credential; the message names the flags and variables that
// give one.
func (r *runner) client(extra ...aisearch.Option) (*aisearch.Client, error) {
	c, err := aisearch.New(r.account, append(slices.Clone(r.clientOpts), extra...)...)
	switch {
	case errors.Is(err, aisearch.ErrNoAccountID):
		return nil, usagef("no account: pass --account-id or set %s", cfauth.EnvAccountID)
	case errors.Is(err, aisearch.ErrNoCredential):
		return nil, usagef("no credential: set %s (or %s with %s), or pass --api-token-file", cfauth.EnvAPIToken, cfauth.EnvAPIKey, cfauth.EnvEmail)
	case err != nil:
		return nil, &usageError{Msg: libraryPrefix.ReplaceAllString(err.Error(), "")}
	}
	return c, nil
}

// mainCredential is --api-token-file, else $CLOUDFLARE_API_TOKEN, else
// $CLOUDFLARE_API_KEY with $CLOUDFLARE_EMAIL; a zero credential when none
// is set.
func (r *runner) mainCredential(ctx context.Context, f *apiFlags) (credential, error) {
	if f.apiTokenFile != "" {
		tok, err := readSecretFile(ctx, f.apiTokenFile, "--api-token-file")
		if err != nil {
			return credential{}, err
		}
		return credential{aisearch.WithAPIToken(tok.Reveal()), "--api-token-file " + f.apiTokenFile, true}, nil
	}
	creds, err := cfauth.FromEnv(r.env.Getenv)
	if err != nil {
		return credential{}, usagef("%v", err)
	}
	switch {
	case creds.Token != "":
		tok, err := checkSecret(creds.Token, cfauth.EnvAPIToken)
		if err != nil {
			return credential{}, err
		}
		return credential{aisearch.WithAPIToken(tok.Reveal()), cfauth.EnvAPIToken, true}, nil
	case creds.Key != "":
		from := cfauth.EnvAPIKey + " and " + cfauth.EnvEmail
		o := aisearch.WithAPIKey(creds.Email, creds.Key)
		if err := checkOption(from, o); err != nil {
			return credential{}, err
		}
		return credential{o, from, false}, nil
	}
	return credential{}, nil
}

// checkOption tries one option on a throwaway client, so that a bad value
// is reported with where it came from.
func checkOption(from string, o aisearch.Option) error {
	if _, err := aisearch.New("checking-an-option", aisearch.WithAPIToken("checking-an-option"), o); err != nil {
		return usagef("%s: %s", from, libraryPrefix.ReplaceAllString(err.Error(), ""))
	}
	return nil
}

// retryPolicy is the environment's policy with --max-attempts.
func (r *runner) retryPolicy(attempts int) aisearch.RetryPolicy {
	p := r.env.Retry
	p.MaxAttempts = attempts
	return r.tellWaits(p)
}

// bound limits ctx by --timeout and remembers it, so that a timeout is
// reported as one. Commands call it after reading stdin, so time spent
// typing a key or answering a question does not count.
func (r *runner) bound(ctx context.Context, f *apiFlags) (context.Context, context.CancelFunc) {
	var cancel context.CancelFunc
	if f.timeout == 0 {
		ctx, cancel = context.WithCancel(ctx)
	} else {
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
	}
	r.bounded, r.timeout = ctx, f.timeout
	return ctx, cancel
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
		return fmt.Errorf("want true or false")
	}
	o.v = &b
	return nil
}

func (o *optBool) Type() string { return "bool" }

// boolVar adds an optBool as --name, which alone means true.
func boolVar(fs *pflag.FlagSet, o *optBool, name, usage string) {
	fs.Var(o, name, usage)
	fs.Lookup(name).NoOptDefVal = "true"
}

// The permission groups the registry commands need, for their help.
const (
	aiSearchRead = `"AI Search Read" (or "AI Search Edit")`
	aiSearchEdit = `"AI Search Edit" (Account > AI Search > Edit)`
)

// apiPermissions is the paragraph of a registry command's help that says
// which credential it uses and what that credential must be allowed.
func apiPermissions(group string) string {
	return "\n\n" + wrap("Credential (never a flag): $"+cfauth.EnvAPIToken+" or --api-token-file, or $"+cfauth.EnvAPIKey+
		" with $"+cfauth.EnvEmail+". It needs the "+group+" permission group on the account (--account-id or $"+cfauth.EnvAccountID+").", 76)
}

// wrap breaks s into lines of at most width characters, between words.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
