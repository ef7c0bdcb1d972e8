package cli

import (
	"context"

	"github.com/go-aisearch/tokens/aisearch"
)

func init() {
	register(&Command{
		Name:  "create",
		Usage: "--name N --cf-api-id ID [--cf-api-key-file F] [--legacy=BOOL] [--json] [api flags]",
		Short: "register a service API token (see `register` for the idempotent form)",
		Run:   runCreate,
	})
}

func runCreate(ctx context.Context, stdio Stdio, args []string) error {
	fs := NewFlagSet(commands["create"], stdio)
	api := addAPIFlags(fs)
	name := fs.String("name", "", "a name for people (required)")
	cfAPIID := fs.String("cf-api-id", "", "the service token's id, from POST /user/tokens (required)")
	keyFile := keyFlag(fs)
	var legacy optBool
	fs.Var(&legacy, "legacy", "whether the credential is a legacy one (default: the API's, true)")
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
	t, err := c.Create(ctx, aisearch.TokenParams{Name: *name, CfAPIID: *cfAPIID, CfAPIKey: key, Legacy: legacy.v})
	if err != nil {
		return apiError(err)
	}
	return printToken(stdio.Out, t, api.json)
}
