package cli

import (
	"context"

	"github.com/go-aisearch/tokens/internal/demo"
)

func init() {
	register(&Command{
		Name:  "demo",
		Short: "run the token lifecycle against an in-process emulator, validating every exchange against openapi.yaml",
		Run:   runDemo,
	})
}

func runDemo(ctx context.Context, stdio Stdio, args []string) error {
	if err := parseFlags(NewFlagSet(commands["demo"], stdio), args); err != nil {
		return err
	}
	return demo.Run(ctx, stdio.Out)
}
