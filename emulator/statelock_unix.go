//go:build unix

package emulator

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockStateFile takes an exclusive lock on path+".lock" for as long as the
// returned file stays open: two emulators appending to one log would
// interleave their writes and lose acknowledged ones.
func lockStateFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state file lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("state file %s is in use by another emulator", path)
		}
		return nil, fmt.Errorf("state file lock: %w", err)
	}
	return f, nil
}
