package emulator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func seedOne(t *testing.T, s *Server, acc, name string) string {
	t.Helper()
	id := uuid.NewString()
	if err := s.Seed(acc, SeedToken{ID: id, Name: name, CfAPIID: "i", CfAPIKey: "secret-" + name}); err != nil {
		t.Fatal(err)
	}
	return id
}

func names(s *Server, acc string) string {
	var out []string
	for _, t := range s.Tokens(acc) {
		out = append(out, t.Name+"/"+strings.Join(t.InUseBy, "+"))
	}
	return strings.Join(out, ",")
}

func TestStateFileSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.log")
	s1, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	a := seedOne(t, s1, "acc", "a")
	b := seedOne(t, s1, "acc", "b")
	seedOne(t, s1, "other", "c")
	if err := s1.MarkInUse("acc", b, "inst"); err != nil {
		t.Fatal(err)
	}
	if err := s1.store.delete("acc", a); err != nil {
		t.Fatal(err)
	}
	s1.Close()

	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "secret-") {
		t.Fatal("state file holds a cf_api_key in clear")
	}
	s2, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := names(s2, "acc"); got != "b/inst" {
		t.Errorf("acc after restart: %q", got)
	}
	if got := names(s2, "other"); got != "c/" {
		t.Errorf("other after restart: %q", got)
	}
	if !s2.KeyMatches("acc", b, "secret-b") {
		t.Error("key hash lost across restart")
	}
	// Opening compacted the log: one line per live token.
	data, _ = os.ReadFile(path)
	if n := strings.Count(string(data), "\n"); n != 2 {
		t.Errorf("compacted log has %d lines, want 2", n)
	}
}

func TestStateFileTornTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.log")
	s1, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	seedOne(t, s1, "acc", "a")
	seedOne(t, s1, "acc", "b")
	s1.Close()
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")

	cases := map[string]string{
		"cut mid-line":      lines[0] + lines[1][:len(lines[1])/2],
		"no final newline":  lines[0] + strings.TrimSuffix(lines[1], "\n"),
		"zeros after crash": lines[0] + lines[1] + strings.Repeat("\x00", 300),
		"bad checksum tail": lines[0] + lines[1] + "00000000 {\"op\":\"del\"}\n",
	}
	want := map[string]string{"cut mid-line": "a/", "no final newline": "a/", "zeros after crash": "a/,b/", "bad checksum tail": "a/,b/"}
	for name, content := range cases {
		p := filepath.Join(t.TempDir(), "state.log")
		os.WriteFile(p, []byte(content), 0o600)
		s, err := New(WithStateFile(p))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := names(s, "acc"); got != want[name] {
			t.Errorf("%s: %q, want %q", name, got, want[name])
		}
		// Appending after a torn tail must leave a loadable file.
		seedOne(t, s, "acc", "z")
		s.Close()
		s, err = New(WithStateFile(p))
		if err != nil || !strings.HasSuffix(names(s, "acc"), "z/") {
			t.Errorf("%s: reopen after append: %v %q", name, err, names(s, "acc"))
		}
		s.Close()
	}

	// A corrupt line followed by good ones is not a torn tail: refuse it.
	p := filepath.Join(t.TempDir(), "state.log")
	os.WriteFile(p, []byte(lines[0]+"garbage\n"+lines[1]), 0o600)
	if _, err := New(WithStateFile(p)); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("corrupt middle: err %v", err)
	}
}

func TestStateFileCompactsAsItGrows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.log")
	s, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := seedOne(t, s, "acc", "a")
	for i := range compactSlack + 10 {
		if err := s.MarkInUse("acc", id, "inst"+strings.Repeat("x", i%3)); err != nil {
			t.Fatal(err)
		}
	}
	if s.state.entries > compactSlack+2 {
		t.Errorf("log not compacted: %d entries for 1 token", s.state.entries)
	}
	// Reload a copy: the log must hold the same state after compaction
	// (opening path itself would compact it under s).
	data, _ := os.ReadFile(path)
	s3path := filepath.Join(t.TempDir(), "s3")
	os.WriteFile(s3path, data, 0o600)
	s3, err := New(WithStateFile(s3path))
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if names(s3, "acc") != names(s, "acc") {
		t.Errorf("after compaction: %q vs %q", names(s3, "acc"), names(s, "acc"))
	}
}

// Close may race with a request that outlived the HTTP server's shutdown:
// that request must fail cleanly (no data race, nothing written).
func TestCloseDuringWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.log")
	s, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			if err := s.Seed("acc", SeedToken{ID: uuid.NewString(), Name: "n", CfAPIID: "i", CfAPIKey: "k"}); err != nil {
				if !strings.Contains(err.Error(), "closed") {
					t.Errorf("seed %d after close: %v", i, err)
				}
				return
			}
		}
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
}

// Two emulators on one state file would interleave their appends: the
// second is refused until the first closes.
func TestStateFileIsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.log")
	first, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(WithStateFile(path)); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second emulator on the same state file: err = %v, want 'in use'", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := New(WithStateFile(path))
	if err != nil {
		t.Fatalf("after Close the state file must be free: %v", err)
	}
	again.Close()
}

// --state behind a symlink: the writes go to the target (the link stays a
// link), compaction happens beside the target, and the lock is the
// target's, so a second emulator on the target itself is refused.
func TestStateFileBehindSymlink(t *testing.T) {
	linkDir, realDir := t.TempDir(), t.TempDir()
	target := filepath.Join(realDir, "state.log")
	for name, dest := range map[string]string{
		"absolute target": target,
		"relative target": filepath.Join("..", filepath.Base(realDir), "state.log"),
	} {
		t.Run(name, func(t *testing.T) {
			os.Remove(target)
			link := filepath.Join(linkDir, "state.log")
			os.Remove(link)
			if err := os.Symlink(dest, link); err != nil {
				t.Fatal(err)
			}
			s, err := New(WithStateFile(link)) // the target does not exist yet
			if err != nil {
				t.Fatal(err)
			}
			seedOne(t, s, "acc", "a")
			if _, err := New(WithStateFile(target)); err == nil || !strings.Contains(err.Error(), "in use") {
				t.Errorf("a second emulator on the target: err %v, want 'in use'", err)
			}
			s.Close()
			s, err = New(WithStateFile(link)) // compacts the existing target
			if err != nil {
				t.Fatal(err)
			}
			seedOne(t, s, "acc", "b")
			s.Close()
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the symlink was replaced: %v %v", fi.Mode(), err)
			}
			direct, err := New(WithStateFile(target))
			if err != nil {
				t.Fatal(err)
			}
			defer direct.Close()
			if got := names(direct, "acc"); got != "a/,b/" {
				t.Errorf("the target holds %q, want a/,b/", got)
			}
			if entries, _ := os.ReadDir(linkDir); len(entries) != 1 {
				var ns []string
				for _, e := range entries {
					ns = append(ns, e.Name())
				}
				t.Errorf("files beside the link, want only the link: %v", ns)
			}
		})
	}
}

// A read-only state file is refused at start-up, untouched; a writable one
// keeps its mode across compaction.
func TestStateFileModes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.log")
	s, err := New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	seedOne(t, s, "acc", "a")
	seedOne(t, s, "acc", "b")
	s.store.delete("acc", s.Tokens("acc")[0].ID) // so that opening compacts it
	s.Close()
	before, _ := os.ReadFile(path)

	os.Chmod(path, 0o444)
	if _, err := New(WithStateFile(path)); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("read-only state file: err %v, want a 'read-only' refusal", err)
	}
	after, _ := os.ReadFile(path)
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o444 || string(after) != string(before) {
		t.Errorf("the read-only file was changed: mode %v", fi.Mode())
	}

	os.Chmod(path, 0o640)
	s, err = New(WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after compaction %v, want 0640", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(path); string(got) == string(before) {
		t.Error("opening did not compact the log (the test proves nothing)")
	}
	if _, err := New(WithStateFile(dir)); err == nil {
		t.Error("a directory as the state file was accepted")
	}
}
