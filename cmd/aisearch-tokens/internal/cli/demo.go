package cli

import (
	"context"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/demo"
)

func runDemo(ctx context.Context, c *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(c, stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	return demo.Run(ctx, stdio.Out)
}
