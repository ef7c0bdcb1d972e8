package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

func newRegisterCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register --name N --cf-api-id ID",
		Short: "Register a service token unless its cf_api_id already is",
		Long: `Register a Cloudflare API token with AI Search, once: when a registration
already holds --cf-api-id, nothing is sent and it is printed.

The API never shows the key a registration holds, so register checks the key
it was given with Cloudflare (the token verify operation, which needs no
permission): when it is not the live value of --cf-api-id, register refuses
and exits 1, as that key would be dropped without a word; give a registration
a new key with ` + "`aisearch-tokens update ID`" + `.

The key comes from --cf-api-key-file, $` + envCfAPIKey + ` or stdin, never a flag.` + apiPermissions(aiSearchEdit),
		Args: positional(),
	}
	api := addAPIFlags(cmd.Flags())
	tf := addTokenFlags(cmd.Flags(), requiredName, requiredCfAPIID,
		"whether the credential is a legacy one, when it is registered now (default: the API's, true); an existing registration is left as it is")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := tf.requireAll(); err != nil {
			return err
		}
		c, key, err := r.clientAndKey(cmd.Context(), api, tf)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		t, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: tf.name, CfAPIID: tf.cfAPIID, CfAPIKey: key, Legacy: tf.legacy.v})
		if err != nil {
			return err
		}
		if !created {
			if err := keyIsValueOf(ctx, c, key, t); err != nil {
				return err
			}
		}
		if api.json {
			return writeJSON(r.env.Stdout, map[string]any{"created": created, "token": t})
		}
		if created {
			fmt.Fprintf(r.env.Stdout, "registered token %s; pass it as token_id when creating AI Search instances\n", t.ID)
		} else {
			fmt.Fprintf(r.env.Stdout, "already registered as token %s (with the live value of cf_api_id %s); nothing sent\n", t.ID, oneLine(t.CfAPIID))
		}
		return printToken(r.env.Stdout, t, false)
	}
	return cmd
}

// keyIsValueOf checks that key is the live value of the Cloudflare token
// reg holds, user- or account-owned, and refuses otherwise: registering
// it would change nothing, and the user believes it did.
func keyIsValueOf(ctx context.Context, c *aisearch.Client, key aisearch.Secret, reg aisearch.Registration) error {
	var found string
	for _, owner := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		v, err := c.APITokens(owner).VerifyValue(ctx, key)
		if errors.Is(err, aisearch.ErrAuth) {
			continue // not a live token of this owner
		}
		if err != nil {
			return fmt.Errorf("checking the key given against Cloudflare: %w", err)
		}
		if v.ID == reg.CfAPIID {
			return nil
		}
		found = v.ID
		break
	}
	why := "it is not a live Cloudflare API token"
	if found != "" {
		why = "it is the value of Cloudflare API token " + oneLine(found)
	}
	return fmt.Errorf("registration %s (%q) already holds cf_api_id %s, and the key given is not that token's value: %s. Nothing was changed.\n"+
		"  To give the registration a new key: aisearch-tokens update %s --cf-api-key-file FILE", reg.ID, oneLine(reg.Name), oneLine(reg.CfAPIID), why, reg.ID)
}
