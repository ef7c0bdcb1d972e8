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

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/contract/record"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// newRecordCmd records record.Record's scenarios. Credentials come from
// $CLOUDFLARE_API_TOKEN, or $CLOUDFLARE_EMAIL and $CLOUDFLARE_API_KEY, and
// the registered service token's value from $CF_API_KEY: never from flags.
func newRecordCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record --base-url URL --out DIR",
		Short: "Record a scripted lifecycle as redacted go-vcr cassettes",
		Long: `Run scripted scenarios of the token lifecycle against an API (Cloudflare's
or an emulator's) and save each as a go-vcr cassette, with every credential
and secret redacted; check them with ` + "`aisearch-tokens verify DIR`" + `.

Credentials (never flags): $` + cfauth.EnvAPIToken + `, or $` + cfauth.EnvAPIKey + ` with $` + cfauth.EnvEmail + `; the
registered service token's value: $` + envCfAPIKey + ` (with --cf-api-id; without
both, record mints one with $` + cfauth.EnvAPIToken + ` and deletes it at the end:
AI Search registers only a live token). Against the real API the credential
needs "AI Search Edit", and for minting and the api-tokens-* scenarios
"API Tokens Write".

Exit codes: 0 recorded, 1 failure (also: a cassette exists, without
--force), 2 usage.`,
		Args: positional(),
	}
	fs := cmd.Flags()
	baseURL := fs.String("base-url", "", "API root ending in /client/v4: https://api.cloudflare.com/client/v4 or an emulator's (required)")
	out := fs.String("out", "", "`directory` for the cassettes (required)")
	force := fs.Bool("force", false, "overwrite cassettes that exist in --out (without it, record refuses to start)")
	account := fs.String("account-id", "", "account to record in (default $"+cfauth.EnvAccountID+", else with --emulator the emulator's default account); normalised to "+contract.NormalAccountID+" in the cassettes")
	cfAPIID := fs.String("cf-api-id", "", "id of a live service API token to register, its value from $"+envCfAPIKey+" (AI Search refuses any other); without both, record mints one with $"+cfauth.EnvAPIToken+" and deletes it at the end")
	emu := fs.Bool("emulator", false, "the server is aisearch-tokens serve: also record 429s with its "+emulator.FaultHeader+" header")
	scenarios := fs.String("scenarios", "", "comma-separated subset of: "+strings.Join(record.Scenarios, ", ")+
		" (in-use and instances-limits need the Go API, rate-limited, instances-rate-limited and api-tokens-rate-limited --emulator, api-tokens-* $"+cfauth.EnvAPIToken+": they create and delete real API tokens)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return r.record(cmd.Context(), recordFlags{*baseURL, *out, *account, *cfAPIID, *scenarios, *force, *emu})
	}
	return cmd
}

type recordFlags struct {
	baseURL, out, account, cfAPIID, scenarios string
	force, emulator                           bool
}

func (r *runner) record(ctx context.Context, f recordFlags) error {
	if f.baseURL == "" || f.out == "" {
		return usagef("--base-url and --out are required")
	}
	if err := checkOption("--base-url", aisearch.WithBaseURL(f.baseURL)); err != nil {
		return err // the client's rule for an API root: it names the right one
	}
	if f.account == "" {
		f.account = r.env.Getenv(cfauth.EnvAccountID)
	}
	if f.account == "" && f.emulator {
		f.account = emulator.DefaultAccountID // as `load` does
	}
	if f.account == "" {
		return usagef("no account: pass --account-id or set %s (or --emulator for the emulator's default account)", cfauth.EnvAccountID)
	}
	var only []string
	for _, sc := range strings.Split(f.scenarios, ",") {
		if sc == "" {
			continue
		}
		if !slices.Contains(record.Scenarios, sc) {
			return usagef("unknown scenario %q (have %s)", sc, strings.Join(record.Scenarios, ", "))
		}
		only = append(only, sc)
	}
	creds, err := record.CredentialsFromEnv(r.env.Getenv)
	if err != nil {
		return usagef("%s", libraryPrefix.ReplaceAllString(err.Error(), ""))
	}
	if (f.cfAPIID == "") != (r.env.Getenv(envCfAPIKey) == "") {
		return usagef("--cf-api-id and $%s go together: the service token to register, or neither (then record mints one)", envCfAPIKey)
	}
	opts := record.Options{BaseURL: f.baseURL, AccountID: f.account, Credentials: creds, OutDir: f.out,
		ServiceTokenID: f.cfAPIID, ServiceTokenKey: r.env.Getenv(envCfAPIKey), Only: only, Overwrite: f.force,
		Transport: r.transport()}
	r.mainCred = cfauth.EnvAPIToken
	if creds.APIToken == "" {
		r.mainCred = cfauth.EnvAPIKey + " and " + cfauth.EnvEmail
	}
	if f.emulator {
		opts.RateLimit = func(_ context.Context, req *http.Request) error {
			req.Header.Set(emulator.FaultHeader, "429,retry-after=30")
			return nil
		}
	}
	files, err := record.Record(ctx, opts)
	for _, f := range files {
		fmt.Fprintln(r.env.Stdout, "recorded", f)
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
	fmt.Fprintf(r.env.Stdout, "%d cassettes in %s, redacted; check them with: aisearch-tokens verify %s\n", len(files), f.out, f.out)
	return nil
}
