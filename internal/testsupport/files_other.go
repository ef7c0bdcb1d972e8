//go:build !unix

package testsupport

import "testing"

// HostileFiles skips t: there are no FIFOs nor /dev/zero here.
func HostileFiles(t testing.TB, dir string) (zero, fifo string) {
	t.Skip("no FIFOs or /dev/zero on this system")
	return "", ""
}
