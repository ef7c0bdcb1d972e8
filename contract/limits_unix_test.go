//go:build unix

package contract_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/internal/safefile"
)

// TestVerifyRefusesNonRegularFiles: a cassette that is a symlink to
// /dev/zero would be read until memory runs out, a FIFO would block
// forever; Verify must refuse both at once, naming the file.
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
	v := newValidator(t)
	for _, file := range []string{zero, fifo} {
		done := make(chan error, 1)
		go func() {
			_, err := v.Verify(context.Background(), []string{file}, contract.VerifyOptions{})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), file) {
				t.Errorf("%s: %v", file, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Verify(%s) still running after 5s", file)
		}
	}
}
