// Command aisearch-tokens manages Cloudflare AI Search service tokens, runs a
// local emulator of the tokens API, and checks recorded traffic against the
// contract. Run `aisearch-tokens --help` for the commands; docs/cli.md is the
// reference.
package main

import (
	"os"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

func main() {
	os.Exit(cli.Run())
}
