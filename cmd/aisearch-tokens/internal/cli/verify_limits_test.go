package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// runWithin runs the CLI like run, but fails the test instead of hanging
// when the command does not return within limit.
func runWithin(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := cli.Main(context.Background(), args, &cli.Env{Stdout: &out, Stderr: &errb})
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(limit):
		t.Fatalf("aisearch-tokens %s still running after %s", strings.Join(args, " "), limit)
		return result{}
	}
}

// TestVerifyBoundsAliasExpansion: 1 MiB repeated 20 times by aliases is a
// 1 MiB file that would be checked as 20 MiB; before the bound it passed
// ("contract ok") after building every copy.
func TestVerifyBoundsAliasExpansion(t *testing.T) {
	t.Parallel() // slow and self-contained: overlaps the others
	file := filepath.Join(t.TempDir(), "aliases.yaml")
	if err := os.WriteFile(file, testsupport.AliasCassette(20, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runWithin(t, 20*time.Second, "verify", file)
	if r.code != cli.ExitFailure || !strings.Contains(r.err, file) || !strings.Contains(r.err, "aliases expand it to more than 16 MiB") || !strings.Contains(r.err, "--max-file-size") {
		t.Errorf("exit %d\nstderr: %s\nstdout: %.300s", r.code, r.err, r.out)
	}
	r = runWithin(t, 60*time.Second, "verify", "--max-file-size", "32MiB", file)
	if r.code != cli.ExitOK || !strings.Contains(r.out, "contract ok: 1 file, 20 interactions") {
		t.Errorf("with --max-file-size 32MiB: exit %d\n%s%s", r.code, r.out, r.err)
	}
}

func TestVerifyBoundsFileSize(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 17 MiB on paper, nothing on disk.
	if err := f.Truncate(17 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r := runWithin(t, 20*time.Second, "verify", file)
	if r.code != cli.ExitFailure || !strings.Contains(r.err, file+": 17 MiB, more than the limit of 16 MiB (raise the limit with --max-file-size)") {
		t.Errorf("exit %d, stderr %q", r.code, r.err)
	}
	if r := run(t, "", "verify", "--max-file-size", "lots", file); r.code != cli.ExitUsage || !strings.Contains(r.err, "64MiB") {
		t.Errorf("bad size: exit %d, %q", r.code, r.err)
	}
}
