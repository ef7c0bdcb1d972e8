package cli

import (
	"context"

	"github.com/go-aisearch/tokens/aisearch"
)

// runUpdate reads the token first: the API's update is a full replacement,
// and the user expects fields they did not mention to stay as they are
// (legacy would otherwise reset to true). The key cannot be read back, so
// it is always required.
func runUpdate(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	api := addAPIFlags(fs)
	tf := addTokenFlags(fs, "new name (default: keep)", "new service token id (default: keep)")
	var legacy optBool
	fs.Var(&legacy, "legacy", "new legacy flag (default: keep)")
	pos, err := parseArgs(fs, args, "ID")
	if err != nil {
		return err
	}
	c, key, err := api.clientAndKey(ctx, stdio, tf)
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	cur, err := c.Registrations.Get(ctx, pos[0])
	if err != nil {
		return apiError(err)
	}
	p := aisearch.RegistrationParams{Name: cur.Name, CfAPIID: cur.CfAPIID, CfAPIKey: key, Legacy: &cur.Legacy}
	if *tf.name != "" {
		p.Name = *tf.name
	}
	if *tf.cfAPIID != "" {
		p.CfAPIID = *tf.cfAPIID
	}
	if legacy.v != nil {
		p.Legacy = legacy.v
	}
	t, err := c.Registrations.Update(ctx, pos[0], p)
	if err != nil {
		return apiError(err)
	}
	return printToken(stdio.Out, t, api.json)
}
