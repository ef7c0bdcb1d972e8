//go:build unix

package safefile_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/internal/safefile"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// TestRefusesHostileFiles: a device behind a symlink would be read forever,
// a FIFO would block the open; both must be refused at once.
func TestRefusesHostileFiles(t *testing.T) {
	zero, fifo := testsupport.HostileFiles(t, t.TempDir())
	for _, tc := range []struct{ path, kind string }{{zero, "a device"}, {fifo, "a named pipe"}} {
		done := make(chan error, 1)
		go func() { _, err := safefile.ReadFile(tc.path, 1<<20); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.kind) {
				t.Errorf("%s: %v", tc.path, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("ReadFile(%s) still blocked after 10s", tc.path)
		}
	}
}
