package cli

import "context"

func runGet(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	api := addAPIFlags(fs)
	pos, err := parseArgs(fs, args, "ID")
	if err != nil {
		return err
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	t, err := c.Registrations.Get(ctx, pos[0])
	if err != nil {
		return apiError(err)
	}
	return printToken(stdio.Out, t, api.json)
}
