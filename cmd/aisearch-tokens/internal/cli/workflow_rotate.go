package cli

import (
	"context"
	"fmt"
)

const rotateLong = `
Replace the Cloudflare API token behind registration TOKEN_ID without
breaking the instances that use it: create a new token with the service
permission groups, point the registration at it (same TOKEN_ID, so
instances keep their token_id; AI Search's update invalidates the
credential it cached), and only then delete the old token, unless another
registration still holds it. A failure at any step leaves a working
registration and no stray token. It also repairs what check reports: a
token gone, disabled, expired, rolled in place, or missing a permission
group. The new value is never printed.

Never roll the token's value in place (PUT /user/tokens/ID/value): the old
value dies at once while AI Search still holds it, and its instances stop
indexing.

Permissions (credentials are never flags):
  updating the registration: a token allowed to edit AI Search (Account >
    AI Search:Edit), the main credential.
  creating the new token and deleting the old one: "API Tokens Write"
    (user) or "Account API Tokens Write" (--owner account), the issuer
    credential: --issuer-token-file or $CLOUDFLARE_ISSUER_API_TOKEN, else
    the main one.
  the new token gets "AI Search Index Engine" and "Workers R2 Storage
    Write" on the account (--permission-group to choose others).

Exit codes: 0 rotated, 1 failure (also when the rotation succeeded but the
old token could not be deleted: the message names it), 2 usage,
3 no registration TOKEN_ID.`

// rotateJSON is rotate's --json output.
type rotateJSON struct {
	serviceTokenJSON
	OldCfAPIID string `json:"old_cf_api_id"`
	// OldDeleted is false when the old token was already gone or another
	// registration still holds it.
	OldDeleted bool `json:"old_deleted"`
}

func runRotate(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	wf := addWorkflowFlags(fs, "creates the new token and deletes the old one")
	exp := addExpiryFlags(fs)
	pos, err := parseArgs(fs, args, "TOKEN_ID")
	if err != nil {
		return err
	}
	c, opts, err := wf.service(ctx, exp)
	if err != nil {
		return err
	}
	ctx, cancel := wf.api.bound(ctx)
	defer cancel()
	r, err := c.Rotate(ctx, pos[0], opts)
	if r.Registration.ID == "" {
		return apiError(err)
	}
	// Rotated, perhaps with an error about the old token: show the result,
	// then the error.
	if wf.api.json {
		if jerr := writeJSON(stdio.Out, rotateJSON{serviceToken(r.Registration, r.APIToken), r.OldCfAPIID, r.OldDeleted}); jerr != nil {
			return jerr
		}
		return err
	}
	fmt.Fprintf(stdio.Out, "rotated registration %s (%q): it now holds Cloudflare API token %s (%s)\n",
		r.Registration.ID, oneLine(r.Registration.Name), r.APIToken.ID, describeToken(r.APIToken))
	switch {
	case r.OldDeleted:
		fmt.Fprintf(stdio.Out, "deleted the old token %s\n", oneLine(r.OldCfAPIID))
	case err == nil:
		fmt.Fprintf(stdio.Out, "the old token %s was not deleted: it was already gone, or another registration holds it\n", oneLine(r.OldCfAPIID))
	}
	printTokenID(stdio.Out, r.Registration.ID, " (unchanged)")
	return err
}
