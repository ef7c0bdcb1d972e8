package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-aisearch/tokens/aisearch"
)

const provisionLong = `
Steps 2 to 4 of Cloudflare's AI Search API guide in one command: create a
Cloudflare API token with the service permission groups on the account,
register its id and value with AI Search, and print the registration's id,
the token_id to give AI Search instances. The value goes from one API to
the other and is never printed.

Idempotent: when the account already has a healthy registration (one named
--name first), it is printed and nothing is created. When it has
registrations but none is healthy, nothing is created and provision exits 4
naming them: repair one with ` + "`aisearch-tokens rotate TOKEN_ID`" + `. If registering
fails, the new Cloudflare token is deleted again.

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

func runProvision(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	wf := addWorkflowFlags(fs, "creates the service token")
	name := fs.String("name", aisearch.DefaultServiceTokenName, "name of the registration, and of its Cloudflare token (with the time of its creation appended)")
	exp := addExpiryFlags(fs)
	var legacy optBool
	fs.Var(&legacy, "legacy", "the registration's legacy flag, when it is created now (default: the API's, true)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return Usagef("empty --name")
	}
	c, opts, err := wf.service(ctx, exp)
	if err != nil {
		return err
	}
	opts.Name, opts.Legacy = *name, legacy.v
	ctx, cancel := wf.api.bound(ctx)
	defer cancel()
	p, err := c.Provision(ctx, opts)
	var broken *aisearch.BrokenRegistrationError
	if errors.As(err, &broken) {
		return &ExitError{Code: ExitUnhealthy, Err: brokenError(broken)}
	}
	if err != nil {
		return err
	}
	if wf.api.json {
		return writeJSON(stdio.Out, provisionJSON{serviceToken(p.Registration, p.APIToken), p.Created})
	}
	if p.Created {
		fmt.Fprintf(stdio.Out, "created Cloudflare API token %s (%s)\nregistered it with AI Search as %s (%q)\n",
			p.APIToken.ID, describeToken(p.APIToken), p.Registration.ID, oneLine(p.Registration.Name))
	} else {
		fmt.Fprintf(stdio.Out, "already provisioned, nothing created: registration %s (%q) holds Cloudflare API token %s (%s)\n",
			p.Registration.ID, oneLine(p.Registration.Name), p.APIToken.ID, describeToken(p.APIToken))
	}
	printTokenID(stdio.Out, p.Registration.ID, "")
	return nil
}

// brokenError says what is wrong with each registration and how to
// repair it.
func brokenError(e *aisearch.BrokenRegistrationError) error {
	var b strings.Builder
	b.WriteString("the account's registered service token is broken, so nothing was created (a second registration would not repair the instances using the first):")
	for _, h := range e.Found {
		fmt.Fprintf(&b, "\n  registration %s (%q, cf_api_id %s):", h.Registration.ID, oneLine(h.Registration.Name), oneLine(h.Registration.CfAPIID))
		for _, p := range h.Problems {
			fmt.Fprintf(&b, "\n    %s", problemLine(p))
		}
		fmt.Fprintf(&b, "\n  repair it: aisearch-tokens rotate %s", h.Registration.ID)
	}
	return errors.New(b.String())
}

// problemLine is one problem, for text output.
func problemLine(p aisearch.Problem) string {
	s := string(p.Kind) + ": " + oneLine(p.Detail)
	if p.Heuristic {
		s += " (heuristic)"
	}
	return s
}
