package cli

import (
	"context"
	"fmt"

	"github.com/go-aisearch/tokens/aisearch"
)

func runRegister(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	api := addAPIFlags(fs)
	tf := addTokenFlags(fs, requiredName, requiredCfAPIID)
	var legacy optBool
	fs.Var(&legacy, "legacy", "whether the credential is a legacy one, when it is registered now (default: the API's, true); an existing registration is left as it is")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := tf.requireAll(); err != nil {
		return err
	}
	c, key, err := api.clientAndKey(ctx, stdio, tf)
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	t, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: *tf.name, CfAPIID: *tf.cfAPIID, CfAPIKey: key, Legacy: legacy.v})
	if err != nil {
		return apiError(err)
	}
	if api.json {
		return writeJSON(stdio.Out, map[string]any{"created": created, "token": t})
	}
	if created {
		fmt.Fprintf(stdio.Out, "registered token %s; pass it as token_id when creating AI Search instances\n", t.ID)
	} else {
		fmt.Fprintf(stdio.Out, "already registered as token %s\n", t.ID)
	}
	return printToken(stdio.Out, t, false)
}
