package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), []string{"demo"}, &cli.Env{Stdout: &out, Stderr: &errb})
	if code != cli.ExitOK || !strings.Contains(out.String(), "96 requests, 96 valid against openapi.yaml") {
		t.Errorf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	out.Reset()
	if code := cli.Main(context.Background(), []string{"demo", "extra"}, &cli.Env{Stdout: &out, Stderr: &errb}); code != cli.ExitUsage || out.Len() != 0 {
		t.Errorf("demo with an argument: exit %d, want %d without running the demo:\n%s", code, cli.ExitUsage, out.String())
	}
}
