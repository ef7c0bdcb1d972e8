//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// TestVerifyRefusesNonRegularFiles: users run verify in CI on files they did
// not write. A symlink to /dev/zero used to be read until memory ran out, a
// FIFO blocked forever; both must be refused at once, naming the file.
func TestVerifyRefusesNonRegularFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	zero, fifo := testsupport.HostileFiles(t, dir)
	for _, tc := range []struct{ file, kind string }{{zero, "a device"}, {fifo, "a named pipe"}} {
		for _, args := range [][]string{{"verify", tc.file}, {"verify", "--secrets-only", tc.file}} {
			r := runWithin(t, 5*time.Second, args...)
			if r.code != cli.ExitFailure || !strings.Contains(r.err, tc.file+": not a regular file ("+tc.kind+")") {
				t.Errorf("%v: exit %d, stderr %q", args, r.code, r.err)
			}
		}
	}
	// A directory's *.yaml are checked the same way.
	if r := runWithin(t, 5*time.Second, "verify", dir); r.code != cli.ExitFailure || !strings.Contains(r.err, "not a regular file") {
		t.Errorf("verify %s: exit %d, stderr %q", dir, r.code, r.err)
	}
}

// TestServeRefusesHostileSeedFiles: serve --seed read /dev/zero until
// memory ran out and blocked forever on a FIFO. It must refuse both, and a
// seed over the limit, before it listens.
func TestServeRefusesHostileSeedFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	zero, fifo := testsupport.HostileFiles(t, dir)
	huge := filepath.Join(dir, "huge.json")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 17<<20); err != nil { // sparse
		t.Fatal(err)
	}
	for seed, want := range map[string]string{
		zero: "seed: " + zero + ": not a regular file (a device)",
		fifo: "seed: " + fifo + ": not a regular file (a named pipe)",
		huge: "seed: " + huge + ": 17 MiB, more than the limit of 16 MiB",
	} {
		r := runWithin(t, 5*time.Second, "serve", "--addr", "127.0.0.1:0", "--seed", seed)
		if r.code != cli.ExitFailure || !strings.Contains(r.err, want) || strings.Contains(r.out, "serving") {
			t.Errorf("--seed %s: exit %d\nstdout: %s\nstderr: %s", seed, r.code, r.out, r.err)
		}
	}
}
