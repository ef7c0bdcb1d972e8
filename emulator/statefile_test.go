package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// The state file's mechanics: what a line is, what replay keeps of a
// damaged log, compaction, locking, modes, symlinks. What survives a
// restart, resource by resource, is TestStateSurvivesRestart's.

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

func openAt(t *testing.T, path string, opts ...Option) *Server {
	t.Helper()
	s, err := New(append([]Option{WithStateFile(path)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func logLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
}

// crcLine is one state-file line: the CRC-32 of the JSON, a space, the JSON.
func crcLine(body string) string {
	return fmt.Sprintf("%08x %s\n", crc32.ChecksumIEEE([]byte(body)), body)
}

// A transaction is one line, whatever tables it touches: seeding a
// registration with its instances, deleting an API token with the
// revocation of its value. A failed append undoes the whole transaction.
func TestTransactionIsOneLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.log")
	s := openAt(t, path)
	id := uuid.NewString()
	if err := s.Seed("acc", SeedToken{ID: id, Name: "a", CfAPIID: "i", CfAPIKey: "k", InUseBy: []string{"x", "y"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SeedAPITokens(UserOwner, SeedAPIToken{ID: strings.Repeat("ab", 16), Name: "n", Value: "the-value"}); err != nil {
		t.Fatal(err)
	}
	err := s.store.update(func(tx *tx) error { return s.store.deleteAPIToken(tx, UserOwner, strings.Repeat("ab", 16)) })
	if err != nil {
		t.Fatal(err)
	}
	lines := logLines(t, path)
	if len(lines) != 3 {
		t.Fatalf("3 transactions, %d lines:\n%s", len(lines), strings.Join(lines, ""))
	}
	for i, want := range [][]string{
		{`"table":"registrations"`, `"table":"instances","owner":"acc","id":"default/x"`, `"id":"default/y"`},
		{`"table":"api_tokens"`},
		{`"table":"api_tokens","owner":"user","id":"` + strings.Repeat("ab", 16) + `","deleted":true`, `"table":"revoked_values"`, `"reason":"deleted"`},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d lacks %s: %s", i+1, w, lines[i])
			}
		}
	}
	if strings.Contains(strings.Join(lines, ""), "the-value") {
		t.Error("the log holds an API token value")
	}

	// Appends fail from here: the next transaction changes nothing.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err = s.Seed("acc", SeedToken{ID: uuid.NewString(), Name: "b", CfAPIID: "i", CfAPIKey: "k", InUseBy: []string{"z"}})
	if !errors.Is(err, errDurable) {
		t.Fatalf("seed after Close: %v, want errDurable", err)
	}
	if got := names(s, "acc"); got != "a/x+y" {
		t.Errorf("after a failed append the store holds %q, want only a/x+y", got)
	}
	if n := len(s.Instances("acc")); n != 2 {
		t.Errorf("%d instances after a failed append, want 2", n)
	}
}

// SeedFrom loads a whole file in one transaction: one line of the log,
// however many rows; and on an error (here the account's instance limit,
// which only the store can check) nothing at all, not the rows before it.
func TestSeedFromIsOneTransaction(t *testing.T) {
	t.Parallel()
	var tokens []SeedToken
	var instances []SeedInstance
	for i := range 3 {
		id := uuid.NewString()
		tokens = append(tokens, SeedToken{ID: id, Name: "n", CfAPIID: "i", CfAPIKey: "k"})
		instances = append(instances, SeedInstance{ID: fmt.Sprintf("in-%d", i), TokenID: id})
	}
	f := &SeedFile{
		User:     SeedUser{APITokens: []SeedAPIToken{{ID: strings.Repeat("cd", 16), Name: "svc", Value: "v"}}},
		Accounts: map[string]SeedAccount{"acc": {Tokens: tokens, Instances: instances}},
	}
	path := filepath.Join(t.TempDir(), "state.log")
	s := openAt(t, path)
	if err := s.SeedFrom(f); err != nil {
		t.Fatal(err)
	}
	if lines := logLines(t, path); len(lines) != 1 || strings.Count(lines[0], `"table":`) != 1+3+1+3 {
		t.Fatalf("the seed is %d lines, want 1 holding 8 rows:\n%s", len(lines), strings.Join(lines, ""))
	}

	over, err := New(WithMaxInstances(2))
	if err != nil {
		t.Fatal(err)
	}
	defer over.Close()
	if err := over.SeedFrom(f); err == nil || !strings.Contains(err.Error(), "code 7013") {
		t.Fatalf("a seed past the instance limit: %v, want code 7013", err)
	}
	if !over.Empty() || len(over.Instances("acc")) != 0 || len(over.APITokens(UserOwner)) != 0 {
		t.Errorf("a failed seed left rows: %d registrations, %d instances, %d API tokens",
			len(over.Tokens("acc")), len(over.Instances("acc")), len(over.APITokens(UserOwner)))
	}
}

// A crash mid-append leaves a torn tail, which replay drops, keeping what
// came before; appending after it leaves a loadable log. A bad line
// followed by good ones is corruption, and refused.
func TestStateFileTornTail(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.log")
	s1 := openAt(t, path)
	seedOne(t, s1, "acc", "a")
	seedOne(t, s1, "acc", "b")
	s1.Close()
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n") // each with its newline

	cases := map[string]struct{ content, want string }{
		"cut mid-line":      {lines[0] + lines[1][:len(lines[1])/2], "a/"},
		"no final newline":  {lines[0] + strings.TrimSuffix(lines[1], "\n"), "a/"},
		"zeros after crash": {lines[0] + lines[1] + strings.Repeat("\x00", 300), "a/,b/"},
		"bad checksum tail": {lines[0] + lines[1] + `00000000 {"tx":[]}` + "\n", "a/,b/"},
	}
	for name, tc := range cases {
		p := filepath.Join(t.TempDir(), "state.log")
		os.WriteFile(p, []byte(tc.content), 0o600)
		s, err := New(WithStateFile(p))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := names(s, "acc"); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
		seedOne(t, s, "acc", "z")
		s.Close()
		s, err = New(WithStateFile(p))
		if err != nil || !strings.HasSuffix(names(s, "acc"), "z/") {
			t.Errorf("%s: reopen after append: %v %q", name, err, names(s, "acc"))
		}
		s.Close()
	}

	for name, content := range map[string]string{
		"corrupt middle": lines[0] + "garbage\n" + lines[1],
		"unknown table":  crcLine(`{"tx":[{"table":"nope","id":"x","row":{}}]}`) + lines[0],
		"no changes":     crcLine(`{"tx":[]}`) + lines[0],
	} {
		p := filepath.Join(t.TempDir(), "state.log")
		os.WriteFile(p, []byte(content), 0o600)
		if _, err := New(WithStateFile(p)); err == nil || !strings.Contains(err.Error(), "line 1") && !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: err %v, want a refusal naming the line", name, err)
		}
	}
}

// The log is compacted (one line per row) on open and once it grows past
// twice its rows plus the slack; the compacted log holds the same state.
func TestStateFileCompactsAsItGrows(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.log")
	s := openAt(t, path, withCompactSlack(4))
	defer s.Close()
	id := seedOne(t, s, "acc", "a")
	for i := range 12 {
		if err := s.MarkInUse("acc", id, fmt.Sprint("inst", i%3)); err != nil {
			t.Fatal(err)
		}
	}
	// Rows: a registration and one instance; the slack is 4.
	if n := len(logLines(t, path)); n > 2*2+4 {
		t.Errorf("log not compacted: %d lines for 2 rows", n)
	}
	data, _ := os.ReadFile(path)
	copyPath := filepath.Join(t.TempDir(), "copy.log")
	os.WriteFile(copyPath, data, 0o600)
	c := openAt(t, copyPath)
	defer c.Close()
	if names(c, "acc") != "a/inst2" || names(c, "acc") != names(s, "acc") {
		t.Errorf("after compaction: %q, the store %q", names(c, "acc"), names(s, "acc"))
	}
	if n := len(logLines(t, copyPath)); n != 2 {
		t.Errorf("opening compacted the log to %d lines, want 2", n)
	}
}

// Close may race with a request that outlived the HTTP server's shutdown:
// that request must fail cleanly (no data race, nothing written).
func TestCloseDuringWrites(t *testing.T) {
	t.Parallel()
	s := openAt(t, filepath.Join(t.TempDir(), "state.log"))
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
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.log")
	first := openAt(t, path)
	if _, err := New(WithStateFile(path)); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second emulator on the same state file: err = %v, want 'in use'", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	openAt(t, path).Close()
}

// --state behind a symlink: the writes go to the target (the link stays a
// link), compaction happens beside the target, and the lock is the
// target's, so a second emulator on the target itself is refused.
func TestStateFileBehindSymlink(t *testing.T) {
	t.Parallel()
	for name, relative := range map[string]bool{"absolute target": false, "relative target": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			linkDir, realDir := t.TempDir(), t.TempDir()
			target := filepath.Join(realDir, "state.log")
			dest := target
			if relative {
				dest = filepath.Join("..", filepath.Base(realDir), "state.log")
			}
			link := filepath.Join(linkDir, "state.log")
			if err := os.Symlink(dest, link); err != nil {
				t.Fatal(err)
			}
			s := openAt(t, link) // the target does not exist yet
			seedOne(t, s, "acc", "a")
			if _, err := New(WithStateFile(target)); err == nil || !strings.Contains(err.Error(), "in use") {
				t.Errorf("a second emulator on the target: err %v, want 'in use'", err)
			}
			s.Close()
			s = openAt(t, link) // compacts the existing target
			seedOne(t, s, "acc", "b")
			s.Close()
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the symlink was replaced: %v %v", fi.Mode(), err)
			}
			direct := openAt(t, target)
			defer direct.Close()
			if got := names(direct, "acc"); got != "a/,b/" {
				t.Errorf("the target holds %q, want a/,b/", got)
			}
			if entries, _ := os.ReadDir(linkDir); len(entries) != 1 {
				t.Errorf("files beside the link, want only the link: %v", entries)
			}
		})
	}
}

// A read-only state file is refused at start-up, untouched; a writable one
// keeps its mode across compaction; a directory is refused.
func TestStateFileModes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "state.log")
	s := openAt(t, path)
	a := seedOne(t, s, "acc", "a")
	seedOne(t, s, "acc", "b")
	if err := deleteRegistration(s, "acc", a); err != nil {
		t.Fatal(err) // so that opening compacts it
	}
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
	s = openAt(t, path)
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

// A log written in the format before tables (v0) loads: registrations with
// their in_use_by (as instances), deletes, and the API token entries
// (tokens, deletes, revocations, seeded groups); the first open rewrites
// it in the current format.
func TestV0StateFileLoads(t *testing.T) {
	t.Parallel()
	const (
		reg1, reg2 = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0", "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"
		tok1, tok2 = "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", "0a0b0c0d0e0f0a0b0c0d0e0f0a0b0c0d"
		group      = "cccccccccccccccccccccccccccccccc"
		ts         = `"created_at":"2026-01-01T00:00:00Z","modified_at":"2026-01-01T00:00:00Z"`
		tokTS      = `"status":"active","issued_on":"2026-01-01T00:00:00Z","modified_on":"2026-01-01T00:00:00Z","policies":[]`
	)
	sum := func(v string) string { // the JSON of a []byte: base64
		return strings.Trim(mustMarshal(hashKey(v)), `"`)
	}
	v0 := []string{
		`{"op":"put","account":"acc","token":{"id":"` + reg1 + `","name":"one","cf_api_id":"` + tok1 + `","cf_api_key_sha256":"` + sum("v1") + `","legacy":true,"enabled":true,` + ts + `,"in_use_by":["docs","blog"]}}`,
		`{"op":"put","account":"acc","token":{"id":"` + reg2 + `","name":"two","cf_api_id":"x","cf_api_key_sha256":"AAAA","legacy":false,"enabled":true,` + ts + `}}`,
		`{"op":"put","account":"acc","token":{"id":"` + reg1 + `","name":"one","cf_api_id":"` + tok1 + `","cf_api_key_sha256":"` + sum("v1") + `","legacy":true,"enabled":true,` + ts + `,"in_use_by":["docs"]}}`,
		`{"op":"del","account":"acc","id":"` + reg2 + `"}`,
		`{"op":"api_token","api_token":{"group":{"id":"` + group + `","name":"Seeded"}}}`,
		`{"op":"api_token","api_token":{"token":{"id":"` + tok1 + `","name":"user's",` + tokTS + `,"value_sha256":"` + sum("v1") + `"}}}`,
		`{"op":"api_token","api_token":{"token":{"id":"` + tok2 + `","account":"` + strings.Repeat("0", 32) + `","name":"account's",` + tokTS + `,"value_sha256":"` + sum("v2") + `"}}}`,
		`{"op":"api_token","api_token":{"delete":"` + tok2 + `","revoked":{"sha256":"` + sum("v2") + `","token_id":"` + tok2 + `","reason":"deleted"}}}`,
	}
	path := filepath.Join(t.TempDir(), "state.log")
	var content string
	for _, l := range v0 {
		content += crcLine(l)
	}
	os.WriteFile(path, []byte(content), 0o600)
	for round := range 2 { // the second open reads the log the first rewrote
		s := openAt(t, path)
		if got := names(s, "acc"); got != "one/docs" {
			t.Errorf("round %d: registrations %q, want one/docs", round, got)
		}
		user := s.APITokens(UserOwner)
		if len(user) != 1 || user[0].ID != tok1 || len(s.APITokens(strings.Repeat("0", 32))) != 0 {
			t.Errorf("round %d: API tokens %+v", round, user)
		}
		if !s.ValueMatches(tok1, "v1") || !s.ValueRevoked("v2") {
			t.Errorf("round %d: values lost", round)
		}
		if err := s.CredentialWorks("acc", reg1); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		var deleted bool
		s.store.view(func(*tx) { deleted = s.store.deletedAPIToken[tok2] })
		if !deleted {
			t.Errorf("round %d: the deleted token's id is not known as deleted", round)
		}
		if err := deleteRegistration(s, "acc", reg1); !errors.Is(err, ErrInUse) {
			t.Errorf("round %d: delete of a registration in use: %v", round, err)
		}
		s.Close()
		if lines := logLines(t, path); strings.Contains(lines[0], `"op"`) {
			t.Errorf("round %d: the log was not rewritten: %s", round, lines[0])
		}
	}
}

func deleteRegistration(s *Server, acc, id string) error {
	return s.store.update(func(tx *tx) error { return s.store.deleteRegistration(tx, acc, id) })
}

func mustMarshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
