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
// ("contract ok") after building every copy. The default bound (16 MiB)
// refuses it before anything is checked; --max-file-size moves the bound,
// both ways, shown on a small cassette (20 KiB once expanded), so that the
// passing run checks 20 KiB and not 20 MiB: that a cassette within the
// bound is checked whole, however its aliases expand, contract's
// TestParseCassetteBoundsAliasExpansion holds.
func TestVerifyBoundsAliasExpansion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "aliases.yaml")
	if err := os.WriteFile(big, testsupport.AliasCassette(20, 1<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runWithin(t, 20*time.Second, "verify", big)
	if r.code != cli.ExitFailure || !strings.Contains(r.err, big) || !strings.Contains(r.err, "aliases expand it to more than 16 MiB") || !strings.Contains(r.err, "--max-file-size") {
		t.Errorf("exit %d\nstderr: %s\nstdout: %.300s", r.code, r.err, r.out)
	}
	small := filepath.Join(dir, "small-aliases.yaml")
	data := testsupport.AliasCassette(20, 1<<10)
	if len(data) > 8<<10 {
		t.Fatalf("the small cassette is %d bytes; want it under the 8 KiB bound below", len(data))
	}
	if err := os.WriteFile(small, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r = runWithin(t, 20*time.Second, "verify", "--max-file-size", "8KiB", small)
	if r.code != cli.ExitFailure || !strings.Contains(r.err, small) || !strings.Contains(r.err, "aliases expand it to more than 8 KiB") || !strings.Contains(r.err, "--max-file-size") {
		t.Errorf("with --max-file-size 8KiB: exit %d\nstderr: %s\nstdout: %.300s", r.code, r.err, r.out)
	}
	r = runWithin(t, 20*time.Second, "verify", "--max-file-size", "32KiB", small)
	if r.code != cli.ExitOK || !strings.Contains(r.out, "contract ok: 1 file, 20 interactions") {
		t.Errorf("with --max-file-size 32KiB: exit %d\n%s%s", r.code, r.out, r.err)
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
