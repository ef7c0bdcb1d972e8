package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
)

// The state file is an append-only log, one committed transaction per line:
//
//	<crc32 of the JSON, 8 hex digits> {"tx":[<change>, ...]}\n
//
// where a change is {"table":…,"owner":…,"id":…,"row":{…}} for a row
// stored, or the same with "deleted":true and no row for a row deleted
// (see change). The log knows tables only by name: replay hands each
// change to the store, and compaction writes what the store hands it.
//
// Each append is fsynced before the transaction counts as done and the
// request is answered, so an acknowledged write survives a crash. On open
// the log is replayed; a torn or corrupt tail (a crash mid-append) is
// dropped, while a bad line followed by good ones is refused as corruption.
// The log is then compacted (one line per row) by writing a temporary file
// beside it, with its mode, fsyncing it and renaming it over the old one;
// it is compacted the same way whenever it grows past twice its rows plus
// the slack (compactSlack). A symlinked path is resolved once, at open: the
// link's target is what is locked, read, compacted and appended to.
//
// Lines written before this format ({"op":"put"|"del"|"api_token",…}) are
// read too (statefile_v0.go) and rewritten in it by the first compaction.

// logLine is a line of the log: a transaction, or an entry of the old format.
type logLine struct {
	Tx []storedChange `json:"tx,omitempty"`
	v0Entry
}

// compactSlack is how many lines beyond twice the rows the log may grow
// to before it is compacted.
const compactSlack = 1024

type stateFile struct {
	path    string      // the real file: symlinks resolved once, at open
	mode    os.FileMode // kept by compaction
	f       *os.File
	lock    *os.File // held open while the file is ours (see lockStateFile)
	size    int64    // bytes of whole, good lines
	entries int      // lines
	slack   int      // compactSlack, or what a test set
	broken  error    // set when a failed append could not be rolled back
	logger  *slog.Logger
	data    []byte // the log as read at open, until replayed
}

// openStateFile locks and reads the log at name; replay then loads it
// into the store, which compacts it (store.attach).
func openStateFile(name string, slack int, logger *slog.Logger) (_ *stateFile, err error) {
	// Everything below (lock, read, compaction's temp file and rename)
	// works on the real file, so a symlink stays a link to it and two
	// names for one file share one lock.
	path, err := resolveStatePath(name)
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w", name, err)
	}
	lock, err := lockStateFile(path)
	if err != nil {
		return nil, err
	}
	data, mode, err := readStateFile(path)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, fmt.Errorf("state file %s: %w", name, err)
	}
	return &stateFile{path: path, mode: mode, lock: lock, slack: slack, logger: logger, data: data}, nil
}

// replay hands every change of every good line to load, dropping a torn
// tail.
func (sf *stateFile) replay(load func(storedChange) error) error {
	n, torn, err := replay(sf.data, load)
	sf.data = nil
	if err != nil {
		return fmt.Errorf("state file %s: %w", sf.path, err)
	}
	if torn > 0 {
		sf.logger.Warn("state file: dropped a torn tail left by a crash", "path", sf.path, "bytes", torn, "entries_kept", n)
	}
	return nil
}

// resolveStatePath returns the absolute path of the file name designates,
// following symlinks, including one whose target does not exist yet.
func resolveStatePath(name string) (string, error) {
	p, err := filepath.Abs(name)
	if err != nil {
		return "", err
	}
	for range 40 { // as many links as Linux follows
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) { // a new file: resolve its directory
			dir, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return "", err
			}
			return filepath.Join(dir, filepath.Base(p)), nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			return filepath.EvalSymlinks(p)
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	return "", errors.New("too many levels of symbolic links")
}

// readStateFile returns the log's content and mode (empty and 0600 for a
// new file). It refuses what it must not rewrite: a file that is not
// regular, or one without write permission, which compaction would
// otherwise replace by a writable copy.
func readStateFile(path string) ([]byte, os.FileMode, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0o600, nil
	}
	if err != nil {
		return nil, 0, err
	}
	switch {
	case !fi.Mode().IsRegular():
		return nil, 0, fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	case fi.Mode().Perm()&0o222 == 0: // caught here even for root, whom open would let through
		return nil, 0, fmt.Errorf("the file is read-only (mode %04o): refusing to rewrite it; make it writable or choose another file", fi.Mode().Perm())
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0) // fails now, not at the first create, if we may not write it
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return data, fi.Mode().Perm(), err
}

// replay hands the changes of every good line of data to load and
// returns how many lines it applied and how many trailing bytes it dropped.
func replay(data []byte, load func(storedChange) error) (applied, torn int, err error) {
	line := 0
	v0 := newV0Reader()
	for len(data) > 0 {
		line++
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return applied, len(data), nil // no newline: the last append was cut short
		}
		l, perr := parseLine(data[:i])
		if perr != nil {
			if bytes.Contains(data[i+1:], []byte{'\n'}) && anyGoodLine(data[i+1:]) {
				return applied, 0, fmt.Errorf("line %d is corrupt and is followed by more entries: %v", line, perr)
			}
			return applied, len(data), nil
		}
		changes := l.Tx
		if l.Op != "" {
			if changes, err = v0.changes(l.v0Entry); err != nil {
				return applied, 0, fmt.Errorf("line %d: %w", line, err)
			}
		}
		if len(changes) == 0 {
			return applied, 0, fmt.Errorf("line %d: no changes", line)
		}
		for _, c := range changes {
			if err := load(c); err != nil {
				return applied, 0, fmt.Errorf("line %d: %w", line, err)
			}
		}
		applied++
		data = data[i+1:]
	}
	return applied, 0, nil
}

func anyGoodLine(data []byte) bool {
	for l := range bytes.SplitSeq(data, []byte{'\n'}) {
		if _, err := parseLine(l); err == nil {
			return true
		}
	}
	return false
}

func parseLine(l []byte) (logLine, error) {
	sum, body, ok := bytes.Cut(l, []byte{' '})
	if !ok || len(sum) != 8 {
		return logLine{}, errors.New("no checksum")
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil || crc32.ChecksumIEEE(body) != uint32(want) {
		return logLine{}, errors.New("checksum mismatch")
	}
	var e logLine
	if err := json.Unmarshal(body, &e); err != nil {
		return logLine{}, err
	}
	return e, nil
}

// encodeLine is a transaction as a line of the log.
func encodeLine(tx []change) ([]byte, error) {
	body, err := json.Marshal(struct {
		Tx []change `json:"tx"`
	}{tx})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)+10)
	out = fmt.Appendf(out, "%08x ", crc32.ChecksumIEEE(body))
	out = append(out, body...)
	return append(out, '\n'), nil
}

// append writes and fsyncs one transaction as one line.
func (sf *stateFile) append(tx []change) error {
	if sf.broken != nil {
		return sf.broken
	}
	line, err := encodeLine(tx)
	if err != nil {
		return err
	}
	if _, err := sf.f.Write(line); err != nil {
		return sf.rollback(err)
	}
	if err := sf.f.Sync(); err != nil {
		return sf.rollback(err)
	}
	sf.size += int64(len(line))
	sf.entries++
	return nil
}

// wantsCompaction reports whether the log has grown past twice the rows
// it holds plus the slack.
func (sf *stateFile) wantsCompaction(rows int) bool {
	return sf.broken == nil && sf.entries > 2*rows+sf.slack
}

// rollback cuts a failed append off, so the next one does not follow a torn
// line (which would read as corruption on the next open).
func (sf *stateFile) rollback(cause error) error {
	if err := sf.f.Truncate(sf.size); err != nil {
		sf.broken = fmt.Errorf("state file unusable after a failed write: %w", cause)
		return sf.broken
	}
	return cause
}

// compact rewrites the log as one line per row: temp file, fsync,
// rename, fsync of the directory. A failure before the rename leaves the
// old log in use; after it, a log that cannot be reopened makes the state
// file unusable (broken).
func (sf *stateFile) compact(rows iter.Seq[change]) error {
	dir := filepath.Dir(sf.path)
	tmp, err := os.CreateTemp(dir, filepath.Base(sf.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	w := bufio.NewWriter(tmp)
	var size int64
	entries := 0
	for c := range rows {
		line, lerr := encodeLine([]change{c})
		if lerr != nil {
			err = lerr
			break
		}
		w.Write(line)
		size += int64(len(line))
		entries++
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Chmod(sf.mode) // CreateTemp made it 0600
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), sf.path)
	}
	if err != nil { // the old log is intact and still open: keep using it
		return fmt.Errorf("state file: compact: %w", err)
	}
	// From here the old descriptor points at an unlinked file: appending to
	// it would lose writes, so failing to reopen makes the journal unusable.
	f, err := os.OpenFile(sf.path, os.O_WRONLY|os.O_APPEND, 0)
	if sf.f != nil {
		sf.f.Close()
	}
	if err != nil {
		sf.f = nil
		sf.broken = fmt.Errorf("state file: reopen after compaction: %w", err)
		return sf.broken
	}
	sf.f, sf.size, sf.entries = f, size, entries
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("state file: compact: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// close releases the log and its lock; every append after it fails.
func (sf *stateFile) close() error {
	sf.broken = errors.New("state file closed")
	if sf.lock != nil {
		defer func() { sf.lock.Close(); sf.lock = nil }()
	}
	if sf.f == nil {
		return nil
	}
	err := sf.f.Close()
	sf.f = nil
	return err
}
