package cli_test

import (
	"os"
	"testing"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

// childEnv makes the test binary the aisearch-tokens program (cli.Run, all
// that main does), so tests can run it as a real process and signal it.
const childEnv = "AISEARCH_TOKENS_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(cli.Run(os.Args[1:]))
	}
	os.Exit(m.Run())
}
