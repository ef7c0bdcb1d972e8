//go:build !unix

package safefile

import (
	"fmt"
	"os"
)

// openNoBlock opens path for reading, refusing what is not a regular file
// before opening it (there is no O_NONBLOCK here).
func openNoBlock(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(st.Mode()))
	}
	return os.Open(path)
}
