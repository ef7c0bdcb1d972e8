package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

const provisionLong = `Steps 2 and 3 of Cloudflare's AI Search API guide in one command: create a
Cloudflare API token with the service permission groups on the account
(step 2), register its id and value with AI Search (step 3), and print the
registration's id, the token_id that step 4 gives AI Search instances. The
value goes from one API to the other and is never printed.

Idempotent: when the account already has a healthy registration (one named
--name first), it is printed and nothing is created. When it has
registrations but none is healthy, nothing is created and provision exits 4
naming them (with --json, also on stdout): repair one with
` + "`aisearch-tokens rotate TOKEN_ID`" + `. While AI Search does not know the new
token yet (Cloudflare takes seconds to spread it), registering is retried
for up to 30s; if it still fails, the new Cloudflare token is deleted again.
The expiry must be at least 1m30s away. An expiry within check's default
window (7d) is warned about: check would report the new token as
expiring_soon at once.

Permissions (credentials are never flags):
  registering the token with AI Search: a token allowed to edit AI Search
    (Account > AI Search:Edit, as Cloudflare's AI Search API guide asks),
    the main credential: $CLOUDFLARE_API_TOKEN or --api-token-file (or
    $CLOUDFLARE_API_KEY with $CLOUDFLARE_EMAIL).
  creating the Cloudflare token: "API Tokens Write" (User > API Tokens:
    Edit) for --owner user, "Account API Tokens Write" for --owner account,
    the issuer credential: --issuer-token-file or $CLOUDFLARE_ISSUER_API_TOKEN,
    else the main one (which must then be an API token).
  the service token itself gets "AI Search Index Engine" and "Workers R2
    Storage Write" on the account (--permission-group to choose others).

Exit codes: 0 provisioned (or already was), 1 failure, 2 usage,
4 the account's registrations are all broken (nothing was created).`

// provisionJSON is provision's --json output.
type provisionJSON struct {
	serviceTokenJSON
	// Created is false when a healthy registration existed.
	Created bool `json:"created"`
}

// provisionBrokenJSON is provision's --json output when it exits 4.
type provisionBrokenJSON struct {
	Created bool         `json:"created"` // always false
	Broken  []healthJSON `json:"broken"`
}

func newProvisionCmd(r *runner) *cobra.Command {
	var name string
	var legacy optBool
	cmd := &cobra.Command{
		Use:   "provision",
		Short: "Create the service token and register it, unless a healthy one is",
		Long:  provisionLong,
		Args:  positional(),
	}
	fs := cmd.Flags()
	wf := addWorkflowFlags(fs, "creates the service token")
	fs.StringVar(&name, "name", aisearch.DefaultServiceTokenName, "name of the registration, and of its Cloudflare token (with the time of its creation appended)")
	exp := addExpiryFlags(fs)
	boolVar(fs, &legacy, "legacy", "the registration's legacy flag, when it is created now (default: the API's, true)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if strings.TrimSpace(name) == "" {
			return usagef("empty --name")
		}
		c, opts, err := r.service(cmd.Context(), wf, exp)
		if err != nil {
			return err
		}
		opts.Name, opts.Legacy = name, legacy.v
		if left := opts.ExpiresOn.Sub(r.env.Now()); !opts.ExpiresOn.IsZero() && left <= aisearch.DefaultExpiryWarning {
			fmt.Fprintf(r.env.Stderr, "Warning: the token will expire in %s, within check's window of %s: `aisearch-tokens check` will report it as expiring_soon (exit 4) at once. Give a longer --expires-in, or run check with a shorter --expiring-within.\n",
				roughly(left), (&days{d: aisearch.DefaultExpiryWarning}).String())
		}
		ctx, cancel := r.bound(cmd.Context(), wf.api)
		defer cancel()
		p, err := c.Provision(ctx, opts)
		var broken *aisearch.BrokenRegistrationError
		if errors.As(err, &broken) {
			if wf.api.json {
				if jerr := writeJSON(r.env.Stdout, provisionBrokenJSON{Broken: healthEntries(broken.Found)}); jerr != nil {
					return jerr
				}
			}
			return &exitError{Code: ExitUnhealthy, Err: brokenError(broken)}
		}
		if err != nil {
			return err
		}
		if wf.api.json {
			return writeJSON(r.env.Stdout, provisionJSON{serviceToken(p.Registration, p.APIToken), p.Created})
		}
		out := r.env.Stdout
		if p.Created {
			fmt.Fprintf(out, "created Cloudflare API token %s (%s)\nregistered it with AI Search as %s (%q)\n",
				p.APIToken.ID, describeToken(p.APIToken), p.Registration.ID, oneLine(p.Registration.Name))
		} else {
			fmt.Fprintf(out, "already provisioned, nothing created: registration %s (%q) holds Cloudflare API token %s (%s)\n",
				p.Registration.ID, oneLine(p.Registration.Name), p.APIToken.ID, describeToken(p.APIToken))
		}
		printTokenID(out, p.Registration.ID, "")
		return nil
	}
	return cmd
}

// brokenError says what is wrong with each registration and how to
// repair it.
func brokenError(e *aisearch.BrokenRegistrationError) error {
	var b strings.Builder
	b.WriteString("the account's registered service token is broken, so nothing was created (a second registration would not repair the instances using the first):")
	for _, h := range e.Found {
		fmt.Fprintf(&b, "\n  registration %s (%q, cf_api_id %s):", h.Registration.ID, oneLine(h.Registration.Name), oneLine(h.Registration.CfAPIID))
		for _, p := range h.Problems {
			fmt.Fprintf(&b, "\n    %s", p)
		}
		fmt.Fprintf(&b, "\n  repair it: aisearch-tokens rotate %s", h.Registration.ID)
	}
	return errors.New(b.String())
}

// roughly is d to the hour ("3d", "5h0m0s"), or to the minute when shorter.
func roughly(d time.Duration) string {
	r := d.Round(time.Hour)
	if r == 0 {
		r = d.Round(time.Minute)
	}
	return (&days{d: r}).String()
}
