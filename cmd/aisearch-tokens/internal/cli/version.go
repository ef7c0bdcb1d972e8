package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/go-aisearch/tokens/spec"
)

func runVersion(_ context.Context, c *Command, stdio Stdio, args []string) error {
	if err := parseFlags(NewFlagSet(c, stdio), args); err != nil {
		return err
	}
	spec, err := spec.Load()
	if err != nil {
		return err
	}
	build := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		build = bi.Main.Version
	}
	fmt.Fprintf(stdio.Out, "aisearch-tokens %s, spec %s\n", build, spec.Info.Version)
	return nil
}
