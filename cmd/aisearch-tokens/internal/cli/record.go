package cli

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/contract/record"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// runRecord records record.Record's scenarios. Credentials come from
// $CLOUDFLARE_API_TOKEN, or $CLOUDFLARE_EMAIL and $CLOUDFLARE_API_KEY, and
// the registered service token's value from $CF_API_KEY: never from flags.
func runRecord(ctx context.Context, c *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(c, stdio)
	baseURL := fs.String("base-url", "", "API root ending in /client/v4: https://api.cloudflare.com/client/v4 or an emulator's (required)")
	out := fs.String("out", "", "directory for the cassettes (required)")
	force := fs.Bool("force", false, "overwrite cassettes that exist in --out (without it, record refuses to start)")
	account := fs.String("account-id", "", "account to record in (default $"+aisearch.EnvAccountID+", else with --emulator the emulator's default account); normalised to "+contract.NormalAccountID+" in the cassettes")
	cfAPIID := fs.String("cf-api-id", "", "id of a real service API token to register (the real API refuses made-up ones); its value comes from $"+envCfAPIKey)
	emu := fs.Bool("emulator", false, "the server is aisearch-tokens serve: also record 429s with its "+emulator.FaultHeader+" header")
	scenarios := fs.String("scenarios", "", "comma-separated subset of: "+strings.Join(record.Scenarios, ", ")+
		" (in-use needs the Go API, rate-limited and api-tokens-rate-limited --emulator, api-tokens-* $"+cfauth.EnvAPIToken+": they create and delete real API tokens)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *baseURL == "" || *out == "" {
		return Usagef("--base-url and --out are required")
	}
	if *account == "" {
		*account = os.Getenv(aisearch.EnvAccountID)
	}
	if *account == "" && *emu {
		*account = emulator.DefaultAccountID // as `load` does
	}
	if *account == "" {
		return Usagef("no account: use --account-id or $%s", aisearch.EnvAccountID)
	}
	var only []string
	for _, sc := range strings.Split(*scenarios, ",") {
		if sc == "" {
			continue
		}
		if !slices.Contains(record.Scenarios, sc) {
			return Usagef("unknown scenario %q (have %s)", sc, strings.Join(record.Scenarios, ", "))
		}
		only = append(only, sc)
	}
	creds, err := record.CredentialsFromEnv(os.Getenv)
	if err != nil {
		return Usagef("%s", err)
	}
	opts := record.Options{BaseURL: *baseURL, AccountID: *account, Credentials: creds, OutDir: *out,
		ServiceTokenID: *cfAPIID, ServiceTokenKey: os.Getenv(envCfAPIKey), Only: only, Overwrite: *force}
	if *emu {
		opts.RateLimit = func(_ context.Context, req *http.Request) error {
			req.Header.Set(emulator.FaultHeader, "429,retry-after=30")
			return nil
		}
	}
	files, err := record.Record(ctx, opts)
	for _, f := range files {
		fmt.Fprintln(stdio.Out, "recorded", f)
	}
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("%w (use --force to overwrite)", err)
	}
	if err != nil {
		return err
	}
	// Belt and braces: the credentials must not be in what was written.
	secrets := append(creds.Secrets(), opts.ServiceTokenKey)
	for _, f := range files {
		found, err := contract.ScanFile(f, secrets...)
		if err != nil {
			return err
		}
		if len(found) > 0 {
			// The recorder's own hook should have stopped this; never leave it on disk.
			if rerr := os.Remove(f); rerr != nil {
				return fmt.Errorf("%s holds an unredacted secret (%s) and could not be removed: %v; delete it", f, found[0].Where, rerr)
			}
			return fmt.Errorf("%s held an unredacted secret (%s); removed it", f, found[0].Where)
		}
	}
	fmt.Fprintf(stdio.Out, "%d cassettes in %s, redacted; check them with: aisearch-tokens verify %s\n", len(files), *out, *out)
	return nil
}
