package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

const rotateLong = `Replace the Cloudflare API token behind registration TOKEN_ID without
breaking the instances that use it: create a new token with the service
permission groups, point the registration at it (same TOKEN_ID, so
instances keep their token_id; AI Search's update invalidates the
credential it cached), and only then delete the old token, unless another
registration still holds it. A failure at any step leaves a working
registration and no stray token. While AI Search does not know the new
token yet, the update is retried for up to 30s, as provision does; the
expiry must be at least 1m30s away. It also repairs what check reports: a
token gone, disabled, expired, rolled in place, or missing a permission
group. The new value is never printed.

The AI Search instances that use the registration keep naming it (their
token_id does not change) and their next indexing job uses the new token.
--prove shows it: once rotated, it starts one indexing job on one instance
that uses the registration (the first that indexes, the namespace default
first) and waits for it to end, waiting out the 30s AI Search keeps between
two jobs of an instance. Jobs cost (each one re-indexes the instance's
source), so rotate runs none unless asked. --timeout covers the job too:
give one long enough for an indexing pass (--timeout 15m, say).

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

Exit codes: 0 rotated (with --prove: and the job ended well, or no
instance that indexes uses the registration), 1 failure (also when the
rotation succeeded but the old token could not be deleted, or the --prove
job did not end well: the message names it), 2 usage,
3 no registration TOKEN_ID.`

// rotateJSON is rotate's --json output.
type rotateJSON struct {
	serviceTokenJSON
	OldCfAPIID string `json:"old_cf_api_id"`
	// OldDeleted is false when the old token was already gone or another
	// registration still holds it.
	OldDeleted bool `json:"old_deleted"`
	// Proof is the job --prove ran; absent without --prove, or when no
	// instance that indexes uses the registration.
	Proof *proofJSON `json:"proof,omitempty"`
}

type proofJSON struct {
	Namespace string   `json:"namespace"`
	Instance  string   `json:"instance"`
	Job       *jobJSON `json:"job"`
}

func newRotateCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rotate TOKEN_ID",
		Short: "Replace the token behind a registration, keeping its token_id",
		Long:  rotateLong,
		Args:  registrationID("TOKEN_ID"),
	}
	wf := addWorkflowFlags(cmd.Flags(), "creates the new token and deletes the old one")
	exp := addExpiryFlags(cmd.Flags())
	prove := cmd.Flags().Bool("prove", false, "then run one indexing job on an instance that uses the registration and wait for it to end well (jobs cost: off by default)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c, opts, err := r.service(cmd.Context(), wf, exp)
		if err != nil {
			return err
		}
		opts.ProveWithJob = *prove
		ctx, cancel := r.bound(cmd.Context(), wf.api)
		defer cancel()
		rot, err := c.Rotate(ctx, args[0], opts)
		if rot.Registration.ID == "" {
			return notFound(err)
		}
		// Rotated, perhaps with an error about the old token: show the
		// result, then the error.
		out := r.env.Stdout
		if wf.api.json {
			doc := rotateJSON{serviceToken(rot.Registration, rot.APIToken), rot.OldCfAPIID, rot.OldDeleted, nil}
			if p := rot.Proof; p != nil {
				doc.Proof = &proofJSON{p.Instance.Namespace, p.Instance.ID, jobEntry(p.Job, p.Failure)}
			}
			if jerr := writeJSON(out, doc); jerr != nil {
				return jerr
			}
			return err
		}
		fmt.Fprintf(out, "rotated registration %s (%q): it now holds Cloudflare API token %s (%s)\n",
			rot.Registration.ID, oneLine(rot.Registration.Name), rot.APIToken.ID, describeToken(rot.APIToken))
		switch {
		case rot.OldDeleted:
			fmt.Fprintf(out, "deleted the old token %s\n", oneLine(rot.OldCfAPIID))
		case err == nil:
			fmt.Fprintf(out, "the old token %s was not deleted: it was already gone, or another registration holds it\n", oneLine(rot.OldCfAPIID))
		}
		switch p := rot.Proof; {
		case p != nil:
			fmt.Fprintf(out, "proof: job %s on instance %s %s\n", oneLine(p.Job.ID), oneLine(p.Instance.Name()), jobOutcome(p.Job, p.Failure))
		case *prove && err == nil:
			fmt.Fprintln(out, "proof: no instance that indexes uses the registration, so no job was run")
		}
		printTokenID(out, rot.Registration.ID, " (unchanged)")
		return err
	}
	return cmd
}
