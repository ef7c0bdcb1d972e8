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
	name := fs.String("name", "", "a name for people (required)")
	cfAPIID := fs.String("cf-api-id", "", "the service token's id, from POST /user/tokens (required)")
	keyFile := keyFlag(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *name == "" || *cfAPIID == "" {
		return Usagef("--name and --cf-api-id are required")
	}
	c, err := api.client() // configuration errors before asking for the key
	if err != nil {
		return err
	}
	key, err := readCfAPIKey(stdio, *keyFile)
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	t, created, err := c.EnsureRegistered(ctx, *name, *cfAPIID, key)
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
