package cli

import "github.com/spf13/cobra"

func newGetCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show one registration",
		Long:  "Show one registered service token.\n\nExit codes: 0 found, 1 failure, 2 usage, 3 no token ID." + apiPermissions(aiSearchRead),
		Args:  registrationID("ID"),
	}
	api := addAPIFlags(cmd.Flags())
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c, err := r.connect(cmd.Context(), api)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		t, err := c.Registrations.Get(ctx, args[0])
		if err != nil {
			return notFound(err)
		}
		return printToken(r.env.Stdout, t, api.json)
	}
	return cmd
}
