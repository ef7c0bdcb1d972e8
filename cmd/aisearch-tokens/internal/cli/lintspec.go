package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/specgov"
)

func newLintSpecCmd(r *runner) *cobra.Command {
	var specPath string
	cmd := &cobra.Command{
		Use:   "lint-spec",
		Short: "Lint the spec",
		Long:  "Lint the spec (openapi.yaml, embedded, or --spec) with the project's rules.\n\nExit codes: 0 no finding, 1 findings, 2 usage.",
		Args:  positional(),
	}
	cmd.Flags().StringVar(&specPath, "spec", "", "the spec to lint (default: the embedded openapi.yaml)")
	cmd.RunE = func(*cobra.Command, []string) error {
		doc, err := loadOurSpec(specPath)
		if err != nil {
			return err
		}
		findings := specgov.Lint(doc)
		for _, f := range findings {
			fmt.Fprintln(r.env.Stdout, f)
		}
		if len(findings) > 0 {
			return fmt.Errorf("%d lint finding(s)", len(findings))
		}
		fmt.Fprintln(r.env.Stdout, "lint-spec: ok")
		return nil
	}
	return cmd
}
