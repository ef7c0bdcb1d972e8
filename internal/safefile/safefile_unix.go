//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// openNoBlock opens path for reading. Opening a FIFO blocks until a writer
// opens it, before a Stat of the open file could refuse it; O_NONBLOCK
// makes the open return at once. It changes nothing for regular files.
func openNoBlock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
