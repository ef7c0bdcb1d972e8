package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newVersionCmd(r *runner) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the build's version and the spec's (also --version)",
		Args:  positional(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(r.env.Stdout, "%s %s\n", cmd.Root().Name(), cmd.Root().Version)
			return err
		},
	}
}
