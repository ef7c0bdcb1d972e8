//go:build unix

package testsupport

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// HostileFiles makes in dir zero.yaml, a symlink to /dev/zero (read forever), and
// fifo.yaml, a FIFO (an open blocks until a writer comes). It skips t where
// either cannot be made.
func HostileFiles(t testing.TB, dir string) (zero, fifo string) {
	t.Helper()
	zero, fifo = filepath.Join(dir, "zero.yaml"), filepath.Join(dir, "fifo.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return zero, fifo
}
