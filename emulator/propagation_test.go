package emulator_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// With WithPropagationDelay, a newly minted value (a create's, a roll's)
// reaches AI Search only after the delay on the emulator's clock: its
// registration gets 400 code 7012 until then. Seeded values are known at
// once; without the option, minted ones too.
func TestPropagationDelay(t *testing.T) {
	t.Parallel()
	clock := testsupport.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	ts := emulator.NewTestServer(t, emulator.WithClock(clock.Now), emulator.WithPropagationDelay(3*time.Second))
	mint := func() (id, value string) {
		t.Helper()
		a := call(t, ts, "POST", "/user/tokens", `{"name":"svc","policies":[]}`, bearer(ts.APIToken))
		var env struct {
			Result struct{ ID, Value string } `json:"result"`
		}
		if a.status != 200 || json.Unmarshal([]byte(a.body), &env) != nil {
			t.Fatalf("mint: %d %s", a.status, a.body)
		}
		return env.Result.ID, env.Result.Value
	}
	register := func(id, value string) answer {
		t.Helper()
		return call(t, ts, "POST", "/accounts/"+ts.AccountID+"/ai-search/tokens", `{"name":"svc","cf_api_id":"`+id+`","cf_api_key":"`+value+`"}`, bearer(ts.APIToken))
	}
	id, value := mint()
	if a := register(id, value); !a.is(400, 7012, "ai_search_instance_invalid_token") {
		t.Fatalf("register at once: %d %s, want 400 code 7012", a.status, a.body)
	}
	clock.Advance(2999 * time.Millisecond)
	if a := register(id, value); a.status != 400 {
		t.Fatalf("register after 2.999s: %d %s, want 400", a.status, a.body)
	}
	clock.Advance(time.Millisecond)
	a := register(id, value)
	if a.status != 201 {
		t.Fatalf("register after 3s: %d %s, want 201", a.status, a.body)
	}
	var reg struct {
		Result struct{ ID string } `json:"result"`
	}
	_ = json.Unmarshal([]byte(a.body), &reg)
	if err := ts.CredentialWorks(ts.AccountID, reg.Result.ID); err != nil {
		t.Errorf("the registration does not work: %v", err)
	}

	// A rolled value is new: the update holding it waits as long.
	r := call(t, ts, "PUT", "/user/tokens/"+id+"/value", "", bearer(ts.APIToken))
	var rolled struct {
		Result string `json:"result"`
	}
	if r.status != 200 || json.Unmarshal([]byte(r.body), &rolled) != nil {
		t.Fatalf("roll: %d %s", r.status, r.body)
	}
	update := func() answer {
		return call(t, ts, "PUT", "/accounts/"+ts.AccountID+"/ai-search/tokens/"+reg.Result.ID,
			`{"name":"svc","cf_api_id":"`+id+`","cf_api_key":"`+rolled.Result+`"}`, bearer(ts.APIToken))
	}
	if a := update(); !a.is(400, 7012, "ai_search_instance_invalid_token") {
		t.Errorf("update with the rolled value at once: %d %s", a.status, a.body)
	}
	if err := ts.CredentialWorks(ts.AccountID, reg.Result.ID); !errors.Is(err, emulator.ErrValueRolled) {
		t.Errorf("after the roll: %v", err)
	}
	clock.Advance(3 * time.Second)
	if a := update(); a.status != 200 {
		t.Errorf("update with the rolled value after 3s: %d %s", a.status, a.body)
	}

	// A seeded value has reached AI Search long ago.
	seedToken(ts, "0123456789abcdef0123456789abcdef", "seeded-service-value")
	if a := register("0123456789abcdef0123456789abcdef", "seeded-service-value"); a.status != 201 {
		t.Errorf("register a seeded token: %d %s", a.status, a.body)
	}

	// A negative delay is refused.
	if _, err := emulator.New(emulator.WithPropagationDelay(-time.Second)); err == nil {
		t.Error("a negative delay was accepted")
	}
}

// serve logs the seed file it loaded with every count: a seed of API tokens
// only is not "seeded accounts=0 tokens=0".
func TestSeedFileLogValue(t *testing.T) {
	t.Parallel()
	f, err := emulator.ParseSeed([]byte(`{"accounts":{},"user":{"api_tokens":[
		{"id":"000000000000000000000000000000a1","name":"svc","value":"abc123"},{"id":"000000000000000000000000000000b2","name":"svc2","value":"def456"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}})).Info("seeded", slog.Any("", f))
	if got, want := b.String(), "level=INFO msg=seeded accounts=0 registrations=0 api_tokens=2 permission_groups=0\n"; got != want {
		t.Errorf("log line %q, want %q", got, want)
	}
	f, err = emulator.ReadSeedFile("testdata/seed.example.json")
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	slog.New(slog.NewTextHandler(&b, nil)).Info("seeded", slog.Any("", f))
	if !strings.Contains(b.String(), "accounts=2 registrations=3 api_tokens=3 permission_groups=1") || strings.Contains(b.String(), "cf_api_key") {
		t.Errorf("log line %q", b.String())
	}
}
