package cli

import (
	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

// The API's update is a full replacement: update reads the registration
// first, so that fields the user did not mention stay as they are (legacy
// would otherwise reset to true). The key cannot be read back, so it is
// always required.
func newUpdateCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Replace a registration's key (and name, cf_api_id, legacy)",
		Long: `Replace the key (cf_api_key) a registration holds, and optionally its name,
cf_api_id and legacy flag; fields not given are kept. AI Search drops the
credential it cached, so its instances use the new key at once. The key
comes from --cf-api-key-file, $` + envCfAPIKey + ` or stdin, never a flag.

Exit codes: 0 updated, 1 failure, 2 usage, 3 no registration ID.` + apiPermissions(aiSearchEdit),
		Args: registrationID("ID"),
	}
	api := addAPIFlags(cmd.Flags())
	tf := addTokenFlags(cmd.Flags(), false, "new legacy flag (default: keep)")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c, key, err := r.clientAndKey(cmd.Context(), api, tf)
		if err != nil {
			return err
		}
		ctx, cancel := r.bound(cmd.Context(), api)
		defer cancel()
		cur, err := c.Registrations.Get(ctx, args[0])
		if err != nil {
			return notFound(err)
		}
		p := aisearch.RegistrationParams{Name: cur.Name, CfAPIID: cur.CfAPIID, CfAPIKey: key, Legacy: &cur.Legacy}
		if tf.name != "" {
			p.Name = tf.name
		}
		if tf.cfAPIID != "" {
			p.CfAPIID = tf.cfAPIID
		}
		if tf.legacy.v != nil {
			p.Legacy = tf.legacy.v
		}
		t, err := c.Registrations.Update(ctx, args[0], p)
		if err != nil {
			return notFound(err)
		}
		return printToken(r.env.Stdout, t, api.json)
	}
	return cmd
}
