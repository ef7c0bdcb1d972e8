package cli

import "github.com/spf13/cobra"

func newCreateCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create --name N --cf-api-id ID",
		Short: "Register a service token (register: only once)",
		Long: `Register a Cloudflare API token with AI Search: its id (--cf-api-id) and
its value (cf_api_key: --cf-api-key-file, $` + envCfAPIKey + `, or stdin, never a flag).
Each run makes a new registration; register does it only once.` + apiPermissions(aiSearchEdit),
		Args: positional(),
	}
	api := addAPIFlags(cmd.Flags())
	tf := addTokenFlags(cmd.Flags(), true, "whether the credential is a legacy one (default: the API's, true)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		c, key, err := r.clientAndKey(cmd.Context(), api, tf)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		t, err := c.Registrations.Create(ctx, tf.params(key))
		if err != nil {
			return err
		}
		return printToken(r.env.Stdout, t, api.json)
	}
	return cmd
}
