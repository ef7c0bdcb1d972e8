// Package safefile reads the files a user names but did not write (a
// cassette from another project's CI, a seed file) without letting them
// stall or exhaust the process: only regular files, opened so that a FIFO
// cannot block, and never more than a limit.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// ErrNotRegular reports a path that is not a regular file: a directory, a
// FIFO, a device such as /dev/zero (also through a symlink), a socket.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge matches every error about a size limit: a *TooLargeError, and
// the errors of callers that bound what a file expands to.
var ErrTooLarge = errors.New("too large")

// TooLargeError reports a file over the limit. Size is -1 when the file grew
// past the limit while it was read.
type TooLargeError struct {
	Path  string
	Size  int64
	Limit int64
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

func (e *TooLargeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("%s: more than the limit of %s", e.Path, FormatSize(e.Limit))
	}
	return fmt.Sprintf("%s: %s, more than the limit of %s", e.Path, FormatSize(e.Size), FormatSize(e.Limit))
}

// ReadFile returns the contents of the regular file at path (symlinks
// followed), refusing anything else and any file larger than limit bytes.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, kind(st.Mode()))
	}
	if st.Size() > limit {
		return nil, &TooLargeError{Path: path, Size: st.Size(), Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: path, Size: -1, Limit: limit}
	}
	return data, nil
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// FormatSize prints a byte count the way limits are written: in MiB or KiB
// when it is a whole number of them, else in MiB to one decimal from 1 MiB
// up, else in bytes.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
