// Command aisearch-tokens manages Cloudflare AI Search service tokens, runs a
// local emulator of the tokens API, and checks recorded traffic against the
// contract. Run `aisearch-tokens help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-aisearch/tokens/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}
