package cli

import (
	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

func newListCmd(r *runner) *cobra.Command {
	var search string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the account's registered service tokens",
		Long: `List the account's registered service tokens, every page of them.
An empty list prints nothing on stdout (with --json: []) and says so on stderr.` + apiPermissions(aiSearchRead),
		Args: positional(),
	}
	api := addAPIFlags(cmd.Flags())
	cmd.Flags().StringVar(&search, "search", "", "only tokens whose name contains this (case-insensitive)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		c, err := r.connect(cmd.Context(), api)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		var tokens []aisearch.Registration
		for t, err := range c.Registrations.All(ctx, aisearch.RegistrationListOptions{Search: search}) {
			if err != nil {
				return err
			}
			tokens = append(tokens, t)
		}
		return printTokens(r.env.Stdout, r.env.Stderr, tokens, api.json)
	}
	return cmd
}
