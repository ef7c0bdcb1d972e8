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
permission): when it is not the live value of --cf-api-id, or when that
token was modified after the registration was (as rolling its value does),
register refuses and exits 1, as that key would be dropped without a word;
give a registration a new key with ` + "`aisearch-tokens update ID`" + `.

The key comes from --cf-api-key-file, $` + envCfAPIKey + ` or stdin, never a flag.` + apiPermissions(aiSearchEdit),
		Args: positional(),
	}
	api := addAPIFlags(cmd.Flags())
	tf := addTokenFlags(cmd.Flags(), true, "whether the credential is a legacy one, when it is registered now (default: the API's, true); an existing registration is left as it is")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		c, key, err := r.clientAndKey(cmd.Context(), api, tf)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		t, created, err := c.Registrations.Ensure(ctx, tf.params(key))
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

// keyIsValueOf checks that key is what the registration reg holds, as
// far as can be told: the API never shows a registration's key. It must
// be the live value of reg's Cloudflare token (user- or account-owned);
// and when that token was modified after the registration was (a roll of
// its value does that, a rename too), the registration most likely holds
// an older value. Either way register would change nothing while the user
// believes it did: it refuses and points to update.
func keyIsValueOf(ctx context.Context, c *aisearch.Client, key aisearch.Secret, reg aisearch.Registration) error {
	refuse := func(why string) error {
		return fmt.Errorf("registration %s (%q) already holds cf_api_id %s, and %s. Nothing was changed.\n"+
			"  To give the registration this key: aisearch-tokens update %s --cf-api-key-file FILE", reg.ID, oneLine(reg.Name), oneLine(reg.CfAPIID), why, reg.ID)
	}
	for _, owner := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		tokens := c.APITokens(owner)
		v, err := tokens.VerifyValue(ctx, key)
		if errors.Is(err, aisearch.ErrBadCredential) {
			continue // the key does not work as a token of this owner
		}
		if err != nil {
			return fmt.Errorf("checking the key given against Cloudflare: %w", err)
		}
		if v.ID != reg.CfAPIID {
			return refuse("the key given is not that token's value: it is the value of Cloudflare API token " + oneLine(v.ID))
		}
		// Reading the token needs "API Tokens Read", which the credential
		// may lack: then this heuristic is skipped.
		if tok, err := tokens.Get(ctx, reg.CfAPIID); err == nil && tok.ModifiedOn.After(reg.ModifiedAt) {
			return refuse(fmt.Sprintf("the key given is that token's live value, but the token was modified (%s) after the registration was (%s), as rolling its value does: the registration most likely holds an older value",
				formatTime(tok.ModifiedOn), formatTime(reg.ModifiedAt)))
		}
		return nil
	}
	return refuse("the key given is not that token's value: it is not a live Cloudflare API token")
}
