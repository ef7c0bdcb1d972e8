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
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// The state file is an append-only log, one change per line:
//
//	<crc32 of the JSON, 8 hex digits> <JSON entry>\n
//
// Each append is fsynced before the store applies the change and the
// request is answered, so an acknowledged write survives a crash. On open
// the log is replayed; a torn or corrupt tail (a crash mid-append) is
// dropped, while a bad line followed by good ones is refused as corruption.
// The log is then compacted (one put per live token) by writing a temporary
// file beside it, with its mode, fsyncing it and renaming it over the old
// one; it is compacted the same way whenever it grows past twice the live
// tokens plus compactSlack. A symlinked path is resolved once, at open: the
// link's target is what is locked, read, compacted and appended to.

type logEntry struct {
	Op       string         `json:"op"` // "put", "del" or "api_token"
	Account  string         `json:"account"`
	Token    *record        `json:"token,omitempty"`     // put
	ID       string         `json:"id,omitempty"`        // del
	APIToken *apiTokenEntry `json:"api_token,omitempty"` // api_token: a Cloudflare API token change
}

const compactSlack = 1024

type stateFile struct {
	path    string      // the real file: symlinks resolved once, at open
	mode    os.FileMode // kept by compaction
	f       *os.File
	lock    *os.File // held open while the file is ours (see lockStateFile)
	size    int64    // bytes of whole, good lines
	entries int
	broken  error // set when a failed append could not be rolled back
	store   *store
	logger  *slog.Logger
}

func openStateFile(name string, s *store, logger *slog.Logger) (_ *stateFile, err error) {
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
	defer func() {
		if err != nil && lock != nil {
			lock.Close()
		}
	}()
	data, mode, err := readStateFile(path)
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w", name, err)
	}
	n, torn, err := replay(data, s)
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w", name, err)
	}
	if torn > 0 {
		logger.Warn("state file: dropped a torn tail left by a crash", "path", path, "bytes", torn, "entries_kept", n)
	}
	sf := &stateFile{path: path, mode: mode, lock: lock, store: s, logger: logger}
	if err := sf.compact(); err != nil {
		return nil, err
	}
	return sf, nil
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

// replay applies every good line of data to s and returns how many it
// applied and how many trailing bytes it dropped.
func replay(data []byte, s *store) (applied, torn int, err error) {
	line := 0
	for len(data) > 0 {
		line++
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return applied, len(data), nil // no newline: the last append was cut short
		}
		e, perr := parseLine(data[:i])
		if perr != nil {
			if bytes.Contains(data[i+1:], []byte{'\n'}) && anyGoodLine(data[i+1:]) {
				return applied, 0, fmt.Errorf("line %d is corrupt and is followed by more entries: %v", line, perr)
			}
			return applied, len(data), nil
		}
		switch {
		case e.Op == "put" && e.Token != nil:
			s.apply(e.Account, e.Token, "")
		case e.Op == "del":
			s.apply(e.Account, nil, e.ID)
		case e.Op == opAPIToken && e.APIToken != nil:
			s.applyAPIToken(*e.APIToken)
		default:
			return applied, 0, fmt.Errorf("line %d: unknown entry %q", line, e.Op)
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

func parseLine(l []byte) (logEntry, error) {
	sum, body, ok := bytes.Cut(l, []byte{' '})
	if !ok || len(sum) != 8 {
		return logEntry{}, errors.New("no checksum")
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil || crc32.ChecksumIEEE(body) != uint32(want) {
		return logEntry{}, errors.New("checksum mismatch")
	}
	var e logEntry
	if err := json.Unmarshal(body, &e); err != nil {
		return logEntry{}, err
	}
	return e, nil
}

func encodeLine(e logEntry) ([]byte, error) {
	body, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(body)+10)
	out = fmt.Appendf(out, "%08x ", crc32.ChecksumIEEE(body))
	out = append(out, body...)
	return append(out, '\n'), nil
}

func (sf *stateFile) put(accountID string, r *record) error {
	return sf.append(logEntry{Op: "put", Account: accountID, Token: r})
}

func (sf *stateFile) del(accountID, id string) error {
	return sf.append(logEntry{Op: "del", Account: accountID, ID: id})
}

// append writes and fsyncs one entry. It runs under the store's lock, before
// the change is applied, so compacting here snapshots exactly the changes
// already acknowledged.
func (sf *stateFile) append(e logEntry) error {
	if sf.broken != nil {
		return sf.broken
	}
	if sf.entries > 2*sf.live()+compactSlack {
		if err := sf.compact(); err != nil {
			if sf.broken != nil { // renamed but not reopened: no log to append to
				return sf.broken
			}
			sf.logger.Error("state file: compaction failed; still appending", "err", err)
		}
	}
	line, err := encodeLine(e)
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

// rollback cuts a failed append off, so the next one does not follow a torn
// line (which would read as corruption on the next open).
func (sf *stateFile) rollback(cause error) error {
	if err := sf.f.Truncate(sf.size); err != nil {
		sf.broken = fmt.Errorf("state file unusable after a failed write: %w", cause)
		return sf.broken
	}
	return cause
}

func (sf *stateFile) live() int {
	n := 0
	for _, a := range sf.store.accounts {
		n += len(a.order)
	}
	return n + sf.store.apiTokenLive()
}

// compact rewrites the log as one put per live token, plus the API token
// state (apiTokenEntries): temp file, fsync, rename, fsync of the
// directory. Called with the store's lock held (or before the store is
// shared).
func (sf *stateFile) compact() error {
	dir := filepath.Dir(sf.path)
	tmp, err := os.CreateTemp(dir, filepath.Base(sf.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("state file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	w := bufio.NewWriter(tmp)
	var size int64
	entries := 0
	snap := sf.store.snapshot()
	var all []logEntry
	for _, acc := range slices.Sorted(maps.Keys(snap)) {
		for _, r := range snap[acc] {
			all = append(all, logEntry{Op: "put", Account: acc, Token: &r})
		}
	}
	for _, e := range sf.store.apiTokenEntries() {
		all = append(all, logEntry{Op: opAPIToken, APIToken: &e})
	}
	for _, e := range all {
		line, err := encodeLine(e)
		if err != nil {
			tmp.Close()
			return err
		}
		w.Write(line)
		size += int64(len(line))
		entries++
	}
	err = w.Flush()
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

func (sf *stateFile) close() error {
	if sf.lock != nil {
		defer func() { sf.lock.Close(); sf.lock = nil }()
	}
	if sf.f == nil {
		return nil
	}
	err := sf.f.Close()
	sf.f = nil
	sf.broken = errors.New("state file closed")
	return err
}
