package emulator_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

// serve puts srv behind a loopback HTTP server checked against the spec.
func serve(t *testing.T, srv *emulator.Server) *checked {
	t.Helper()
	c := &checked{t: t, srv: srv}
	c.URL = httpServer(t, c.middleware(sharedValidator(t), srv.Handler())) + emulator.BasePath
	return c
}

// openState opens the state file at path, on a clock that stands still (a
// token's last use is recorded once a minute: a real clock would make the
// number of lines written depend on when the test runs).
func openState(t *testing.T, path string) *emulator.Server {
	t.Helper()
	srv, err := emulator.New(emulator.WithStateFile(path), emulator.WithAPITokens(token), emulator.WithClock(newSetClock().Now))
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// Every table survives a restart with --state: registrations and the
// instances that use them, API tokens, rolls, deletions (revoked values)
// and the seeded catalogue; no secret is written.
func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.log")
	s1 := openState(t, path)
	e := serve(t, s1)
	group := emulator.PermissionGroup{ID: "cccccccccccccccccccccccccccccccc", Name: "Seeded", Category: "other"}
	if err := s1.SeedPermissionGroups(group); err != nil {
		t.Fatal(err)
	}
	a := e.create(t, owners[0], createBody("a"))
	b := e.create(t, owners[1], createBody("b"))
	c := e.create(t, owners[0], createBody("c"))
	d := e.create(t, owners[0], createBody("d", group.ID))
	var rolled generated.APITokenValueEnvelope
	if status, body := e.call(t, "PUT", "/user/tokens/"+a.ID+"/value", "{}", jsonAuth, &rolled); status != http.StatusOK {
		t.Fatalf("roll: %d %s", status, body)
	}
	if status, _ := e.call(t, "DELETE", "/user/tokens/"+c.ID, "", bearer(token), nil); status != http.StatusOK {
		t.Fatal("delete failed")
	}
	if status, body := e.call(t, "PUT", "/accounts/"+account+"/tokens/"+b.ID, strings.Replace(createBody("b"), `{"name"`, `{"status":"disabled","name"`, 1), jsonAuth, nil); status != http.StatusOK {
		t.Fatalf("disable: %d %s", status, body)
	}
	regID, deadID := uuid.NewString(), uuid.NewString()
	if err := s1.Seed(account, emulator.SeedToken{ID: regID, Name: "reg", CfAPIID: a.ID, CfAPIKey: rolled.Result, InUseBy: []string{"docs"}},
		emulator.SeedToken{ID: deadID, Name: "dead", CfAPIID: c.ID, CfAPIKey: c.Value}); err != nil {
		t.Fatal(err)
	}
	before := map[string][]emulator.APIToken{"user": s1.APITokens(emulator.UserOwner), "account": s1.APITokens(account)}
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{a.Value, rolled.Result, b.Value, c.Value, d.Value, token} {
		if strings.Contains(string(data), v) {
			t.Fatal("the state file holds an API token value in clear")
		}
	}

	for round := range 2 { // the second open reads the log the first one compacted
		s2 := openState(t, path)
		after := map[string][]emulator.APIToken{"user": s2.APITokens(emulator.UserOwner), "account": s2.APITokens(account)}
		if mustJSON(after) != mustJSON(before) {
			t.Errorf("round %d: tokens after restart\n%s\nwant\n%s", round, mustJSON(after), mustJSON(before))
		}
		if !s2.ValueMatches(a.ID, rolled.Result) || !s2.ValueRevoked(a.Value) || !s2.ValueRevoked(c.Value) || s2.ValueRevoked(d.Value) {
			t.Errorf("round %d: values or revocations lost", round)
		}
		if !slices.ContainsFunc(s2.PermissionGroups(), func(g emulator.PermissionGroup) bool { return g.ID == group.ID && g.Name == "Seeded" }) {
			t.Errorf("round %d: seeded permission group lost", round)
		}
		if got := s2.Tokens(account); len(got) != 2 || !slices.Equal(got[0].InUseBy, []string{"docs"}) || !s2.KeyMatches(account, regID, rolled.Result) {
			t.Errorf("round %d: registrations %+v", round, got)
		}
		if err := s2.CredentialWorks(account, regID); err != nil {
			t.Errorf("round %d: registration: %v", round, err)
		}
		if err := s2.CredentialWorks(account, deadID); !errors.Is(err, emulator.ErrAPITokenDeleted) {
			t.Errorf("round %d: registration of the deleted token: %v", round, err)
		}
		e2 := serve(t, s2)
		if status, body := e2.call(t, "DELETE", "/accounts/"+account+"/ai-search/tokens/"+regID, "", bearer(token), nil); status != http.StatusConflict {
			t.Errorf("round %d: delete of a registration in use: %d %s", round, status, body)
		}
		if status, body := e2.call(t, "GET", "/user/tokens/verify", "", bearer(rolled.Result), nil); status != http.StatusOK {
			t.Errorf("round %d: verify with the live value: %d %s", round, status, body)
		}
		for _, v := range []string{a.Value, c.Value, b.Value} { // rolled, deleted, disabled
			status, body := e2.call(t, "GET", "/user/tokens", "", bearer(v), nil)
			refused(t, "a dead value after restart", status, body)
		}
		// The next round finds what this one did: last_used_on included.
		before = map[string][]emulator.APIToken{"user": s2.APITokens(emulator.UserOwner), "account": s2.APITokens(account)}
		if i := slices.IndexFunc(before["user"], func(t emulator.APIToken) bool { return t.ID == a.ID }); round == 0 && (i < 0 || before["user"][i].LastUsedOn.IsZero()) {
			t.Error("the verify with the live value did not set last_used_on")
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// Compacted: 2 registrations, 1 instance, 1 group, 2 revocations, 3 live tokens.
	data, _ = os.ReadFile(path)
	if n := strings.Count(string(data), "\n"); n != 9 {
		t.Errorf("compacted log has %d lines, want 9:\n%s", n, data)
	}
}

// When the state file cannot be written the API token change is not
// applied, and the client gets a 500 envelope.
func TestWriteFailureIs500(t *testing.T) {
	t.Parallel()
	srv := openState(t, filepath.Join(t.TempDir(), "state.log"))
	if err := srv.Close(); err != nil { // appends now fail
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", emulator.BasePath+"/user/tokens", strings.NewReader(createBody("x")))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	var env generated.FailureEnvelope
	if rec.Code != http.StatusInternalServerError || json.Unmarshal(rec.Body.Bytes(), &env) != nil || env.Errors[0].Code != emulator.CodeInternal {
		t.Errorf("create with a closed state file: %d %s", rec.Code, rec.Body)
	}
	if n := len(srv.APITokens(emulator.UserOwner)); n != 0 {
		t.Errorf("%d tokens applied without being persisted", n)
	}
}
