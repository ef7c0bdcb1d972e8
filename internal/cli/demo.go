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
	fs := NewFlagSet(commands["demo"], stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	return demo.Run(ctx, stdio.Out)
}
