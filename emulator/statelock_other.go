//go:build !unix

package emulator

import "os"

// lockStateFile is a no-op where flock is not available: do not point two
// emulators at one state file there.
func lockStateFile(path string) (*os.File, error) { return nil, nil }
