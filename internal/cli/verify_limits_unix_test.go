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

// TestVerifyRefusesNonRegularFiles: users run verify in CI on files they did
// not write. A symlink to /dev/zero used to be read until memory ran out, a
// FIFO blocked forever; both must be refused at once, naming the file.
func TestVerifyRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
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
