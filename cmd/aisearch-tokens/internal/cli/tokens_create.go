package cli

import (
	"context"

	"github.com/go-aisearch/tokens/aisearch"
)

// Usage of --name and --cf-api-id where they are required (create, register).
const (
	requiredName    = "a name for people (required)"
	requiredCfAPIID = "the service token's id, from POST /user/tokens (required)"
)

func runCreate(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	api := addAPIFlags(fs)
	tf := addTokenFlags(fs, requiredName, requiredCfAPIID)
	var legacy optBool
	fs.Var(&legacy, "legacy", "whether the credential is a legacy one (default: the API's, true)")
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
	t, err := c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: *tf.name, CfAPIID: *tf.cfAPIID, CfAPIKey: key, Legacy: legacy.v})
	if err != nil {
		return apiError(err)
	}
	return printToken(stdio.Out, t, api.json)
}
