package cli

import "context"

func init() {
	register(&Command{
		Name:  "get",
		Usage: "ID [--json] [api flags]",
		Short: "show one registered service token",
		Run:   runGet,
	})
}

func runGet(ctx context.Context, stdio Stdio, args []string) error {
	fs := NewFlagSet(commands["get"], stdio)
	api := addAPIFlags(fs)
	pos, err := parseArgs(fs, args, "ID")
	if err != nil {
		return err
	}
	c, err := api.client()
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	t, err := c.Get(ctx, pos[0])
	if err != nil {
		return apiError(err)
	}
	return printToken(stdio.Out, t, api.json)
}
