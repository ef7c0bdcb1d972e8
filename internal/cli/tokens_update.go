package cli

import (
	"context"

	"github.com/go-aisearch/tokens/aisearch"
)

func init() {
	register(&Command{
		Name:  "update",
		Usage: "ID [--name N] [--cf-api-id ID] [--cf-api-key-file F] [--legacy=BOOL] [--json] [api flags]",
		Short: "replace a registered token's key (and optionally name, cf_api_id, legacy); other fields are kept",
		Run:   runUpdate,
	})
}

// runUpdate reads the token first: the API's update is a full replacement,
// and the user expects fields they did not mention to stay as they are
// (legacy would otherwise reset to true). The key cannot be read back, so
// it is always required.
func runUpdate(ctx context.Context, stdio Stdio, args []string) error {
	fs := NewFlagSet(commands["update"], stdio)
	api := addAPIFlags(fs)
	name := fs.String("name", "", "new name (default: keep)")
	cfAPIID := fs.String("cf-api-id", "", "new service token id (default: keep)")
	keyFile := keyFlag(fs)
	var legacy optBool
	fs.Var(&legacy, "legacy", "new legacy flag (default: keep)")
	pos, err := parseArgs(fs, args, "ID")
	if err != nil {
		return err
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
	cur, err := c.Get(ctx, pos[0])
	if err != nil {
		return apiError(err)
	}
	p := aisearch.TokenParams{Name: cur.Name, CfAPIID: cur.CfAPIID, CfAPIKey: key, Legacy: &cur.Legacy}
	if *name != "" {
		p.Name = *name
	}
	if *cfAPIID != "" {
		p.CfAPIID = *cfAPIID
	}
	if legacy.v != nil {
		p.Legacy = legacy.v
	}
	t, err := c.Update(ctx, pos[0], p)
	if err != nil {
		return apiError(err)
	}
	return printToken(stdio.Out, t, api.json)
}
