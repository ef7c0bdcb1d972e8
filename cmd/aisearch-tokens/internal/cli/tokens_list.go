package cli

import (
	"context"

	"github.com/go-aisearch/tokens/aisearch"
)

func runList(ctx context.Context, cmd *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(cmd, stdio)
	api := addAPIFlags(fs)
	search := fs.String("search", "", "only tokens whose name contains this (case-insensitive)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	c, err := api.client(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := api.bound(ctx)
	defer cancel()
	var tokens []aisearch.Registration
	for t, err := range c.Registrations.All(ctx, aisearch.RegistrationListOptions{Search: *search}) {
		if err != nil {
			return apiError(err)
		}
		tokens = append(tokens, t)
	}
	return printTokens(stdio.Out, tokens, api.json)
}
