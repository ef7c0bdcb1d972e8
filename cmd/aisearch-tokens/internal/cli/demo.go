package cli

import (
	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/demo"
)

func newDemoCmd(r *runner) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run the token lifecycle against an in-process emulator",
		Long: `Run the whole token lifecycle (the workflow, the registry, errors and
retries) with the aisearch client against an emulator in this process,
validating every request and answer against openapi.yaml. Needs no account
and sends nothing over the network.`,
		Args: positional(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return demo.Run(cmd.Context(), r.env.Stdout)
		},
	}
}
