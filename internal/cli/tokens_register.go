package cli

import (
	"context"
	"fmt"
)

func init() {
	register(&Command{
		Name:  "register",
		Usage: "--name N --cf-api-id ID [--cf-api-key-file F] [--json] [api flags]",
		Short: "register a service token unless its cf_api_id already is (idempotent; safe in deploy scripts)",
		Run:   runRegister,
	})
}

func runRegister(ctx context.Context, stdio Stdio, args []string) error {
	fs := NewFlagSet(commands["register"], stdio)
	api := addAPIFlags(fs)
	tf := addTokenFlags(fs, requiredName, requiredCfAPIID)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := tf.requireAll(); err != nil {
		return err
	}
	c, key, err := api.clientAndKey(stdio, tf)
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	t, created, err := c.EnsureRegistered(ctx, *tf.name, *tf.cfAPIID, key)
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
