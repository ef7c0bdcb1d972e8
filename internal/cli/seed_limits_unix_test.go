//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/internal/cli"
)

// TestServeRefusesHostileSeedFiles: serve --seed read /dev/zero until
// memory ran out and blocked forever on a FIFO. It must refuse both, and a
// seed over the limit, before it listens.
func TestServeRefusesHostileSeedFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "seed.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	huge := filepath.Join(dir, "huge.json")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 17<<20); err != nil { // sparse
		t.Fatal(err)
	}
	for seed, want := range map[string]string{
		"/dev/zero": "seed: /dev/zero: not a regular file (a device)",
		fifo:        "seed: " + fifo + ": not a regular file (a named pipe)",
		huge:        "seed: " + huge + ": 17 MiB, more than the limit of 16 MiB",
	} {
		r := runWithin(t, 5*time.Second, "serve", "--addr", "127.0.0.1:0", "--seed", seed)
		if r.code != cli.ExitFailure || !strings.Contains(r.err, want) || strings.Contains(r.out, "serving") {
			t.Errorf("--seed %s: exit %d\nstdout: %s\nstderr: %s", seed, r.code, r.out, r.err)
		}
	}
}
