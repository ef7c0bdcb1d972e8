package emulator_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
)

// The example seed file loads as documented: registrations (defaults
// applied, in_use_by as instances), user and account API tokens, a
// catalogue entry they use, and a registration of the user's service token
// that works.
func TestSeedExample(t *testing.T) {
	t.Parallel()
	f, err := emulator.ReadSeedFile("testdata/seed.example.json")
	if err != nil {
		t.Fatal(err)
	}
	clock := newSetClock()
	e := startEmpty(t, emulator.WithClock(clock.Now))
	if !e.srv.Empty() {
		t.Fatal("new server not empty")
	}
	if err := e.srv.SeedFrom(f); err != nil {
		t.Fatal(err)
	}
	got := e.srv.Tokens(account)
	if len(got) != 2 || len(e.srv.Tokens(other)) != 1 || e.srv.Empty() {
		t.Fatalf("seeded %+v", got)
	}
	first, second := got[0], got[1]
	if first.Legacy || !first.Enabled || !slices.Equal(first.InUseBy, []string{"docs-search", "blog", "staging/blog"}) || !first.CreatedAt.Equal(time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("first %+v", first)
	}
	// in_use_by's instance first; TestSeedExampleAISearch checks the others
	if ins := e.srv.Instances(account); len(ins) != 3 || ins[0].ID != "docs-search" || ins[0].Namespace != "default" || ins[0].TokenID != first.ID {
		t.Errorf("instances %+v", ins)
	}
	if !second.Legacy || !second.Enabled || !second.CreatedAt.Equal(clock.Now()) || !second.ModifiedAt.Equal(clock.Now()) || second.InUseBy != nil {
		t.Errorf("defaults not applied: %+v", second)
	}
	if !e.srv.KeyMatches(account, second.ID, "example-not-a-real-key-2") {
		t.Error("seeded key does not match")
	}
	user := e.srv.APITokens(emulator.UserOwner)
	acct := e.srv.APITokens(account)
	if len(user) != 2 || len(acct) != 1 || len(e.srv.APITokens(other)) != 0 {
		t.Fatalf("seeded user %+v account %+v", user, acct)
	}
	svc, old := user[0], user[1]
	if svc.Name != "docs-search service token" || svc.Status != "active" || !svc.IssuedOn.Equal(time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)) ||
		*svc.Policies[0].PermissionGroups[1].Name != "Workers R2 Storage Write" || len(svc.Policies[0].ID) != 32 {
		t.Errorf("service token %+v", svc)
	}
	if old.Status != "expired" || !old.IssuedOn.Equal(clock.Now()) || *old.Policies[0].PermissionGroups[0].Name != "Vectorize Write" ||
		(*old.Condition.RequestIP.NotIn)[0] != "192.0.2.1/32" {
		t.Errorf("old token %+v", old)
	}
	if acct[0].AccountID != account || !acct[0].NotBefore.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("account token %+v", acct[0])
	}
	if !e.srv.ValueMatches(svc.ID, "example-not-a-real-key-1") || e.srv.ValueMatches(svc.ID, "example-not-a-real-key-2") {
		t.Error("seeded values")
	}
	if !slices.ContainsFunc(e.srv.PermissionGroups(), func(g emulator.PermissionGroup) bool { return g.Name == "Vectorize Write" }) {
		t.Error("seeded permission group missing")
	}
	// The registration of the service token works; the spare one holds an
	// expired token; the other account's names a token owned by this one.
	if err := e.srv.CredentialWorks(account, "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"); err != nil {
		t.Errorf("docs-search registration: %v", err)
	}
	if err := e.srv.CredentialWorks(account, "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"); !errors.Is(err, emulator.ErrAPITokenExpired) {
		t.Errorf("spare registration: %v", err)
	}
	if err := e.srv.CredentialWorks(other, "9b2f3c1e-8d4a-4e6b-9c7d-1a2b3c4d5e6f"); !errors.Is(err, emulator.ErrWrongValue) {
		t.Errorf("other account's registration: %v", err)
	}
	// Seeded values authenticate like issued ones.
	if status, b := e.call(t, "GET", "/user/tokens/verify", "", bearer("example-not-a-real-key-1"), nil); status != 200 {
		t.Errorf("verify a seeded token: %d %s", status, b)
	}
	if status, b := e.call(t, "GET", "/accounts/"+account+"/tokens/verify", "", bearer("example-not-a-real-key-4"), nil); status != 200 {
		t.Errorf("verify a seeded account token: %d %s", status, b)
	}
	// Seeding again collides on ids.
	if err := e.srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: svc.ID, Name: "again", Value: "v-again"}); !errors.Is(err, emulator.ErrExists) {
		t.Errorf("seeding an existing id: %v", err)
	}
	if err := e.srv.SeedFrom(f); err == nil {
		t.Error("seeding the same ids twice succeeded")
	}
}

// A seed file that breaks a rule is refused, saying where, and never
// quoting a secret.
func TestSeedErrors(t *testing.T) {
	t.Parallel()
	const ok = `"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"`
	const tok = `"id":"a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4","name":"n","value":"SECRETVALUE"`
	const acct = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	cases := map[string]string{
		"not json":        `{`,
		"unknown field":   `{"accounts":{"a":{"tokens":[{` + ok + `,"nmae":"x"}]}}}`,
		"bad uuid":        `{"accounts":{"a":{"tokens":[{"id":"x","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]}}}`,
		"upper uuid":      `{"accounts":{"a":{"tokens":[{"id":"62AF0DB3-C410-40B2-9EE3-0E93F6DD1DE0","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]}}}`,
		"missing name":    `{"accounts":{"a":{"tokens":[{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]}}}`,
		"missing key":     `{"accounts":{"a":{"tokens":[{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"i"}]}}}`,
		"duplicate id":    `{"accounts":{"a":{"tokens":[{` + ok + `},{` + ok + `}]}}}`,
		"empty account":   `{"accounts":{"":{"tokens":[{` + ok + `}]}}}`,
		"empty instance":  `{"accounts":{"a":{"tokens":[{` + ok + `,"in_use_by":[""]}]}}}`,
		"bad created_at":  `{"accounts":{"a":{"tokens":[{` + ok + `,"created_at":"yesterday"}]}}}`,
		"trailing object": `{"accounts":{}} {}`,

		"bad API token id":        `{"user":{"api_tokens":[{"id":"xyz","name":"n","value":"SECRETVALUE"}]}}`,
		"upper id":                `{"user":{"api_tokens":[{"id":"A1B2C3D4E5F6A1B2C3D4E5F6A1B2C3D4","name":"n","value":"SECRETVALUE"}]}}`,
		"no API token name":       `{"user":{"api_tokens":[{"id":"a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4","value":"SECRETVALUE"}]}}`,
		"no value":                `{"user":{"api_tokens":[{"id":"a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4","name":"n"}]}}`,
		"spaced value":            `{"user":{"api_tokens":[{"id":"a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4","name":"n","value":"SECRET VALUE"}]}}`,
		"bad status":              `{"user":{"api_tokens":[{` + tok + `,"status":"expired"}]}}`,
		"unknown API token field": `{"user":{"api_tokens":[{` + tok + `,"valeu":"x"}]}}`,
		"bad cidr":                `{"user":{"api_tokens":[{` + tok + `,"condition":{"request_ip":{"in":["nope"]}}}]}}`,
		"bad resources":           `{"user":{"api_tokens":[{` + tok + `,"policies":[{"effect":"allow","permission_groups":[],"resources":{"a":1}}]}]}}`,
		"mixed resources":         `{"user":{"api_tokens":[{` + tok + `,"policies":[{"effect":"allow","permission_groups":[],"resources":{"a":"*","b":{"c":"*"}}}]}]}}`,
		"duplicate API token id":  `{"user":{"api_tokens":[{` + tok + `}]},"accounts":{"` + acct + `":{"tokens":[],"api_tokens":[{` + tok + `}]}}}`,
		"duplicate value":         `{"user":{"api_tokens":[{` + tok + `},{"id":"00000000000000000000000000000001","name":"m","value":"SECRETVALUE"}]}}`,
		"short account":           `{"accounts":{"acc":{"tokens":[],"api_tokens":[{` + tok + `}]}}}`,
		"bad group":               `{"permission_groups":[{"id":"nothex","name":"g"}]}`,
		"group category":          `{"permission_groups":[{"id":"00000000000000000000000000000001","name":"g","category":"nope"}]}`,
	}
	for name, in := range cases {
		_, err := emulator.ParseSeed([]byte(in))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: error quotes a secret: %v", name, err)
		}
	}
	if _, err := emulator.ParseSeed([]byte(`{"accounts":{"a":{"tokens":[{` + ok + `}]}}}`)); err != nil {
		t.Errorf("minimal seed: %v", err)
	}
	// A permission group the catalogue lacks is refused when seeding.
	f, err := emulator.ParseSeed([]byte(`{"user":{"api_tokens":[{` + tok + `,"policies":[{"effect":"allow","permission_groups":[{"id":"00000000000000000000000000000009"}],"resources":{}}]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.SeedFrom(f); !errors.Is(err, emulator.ErrInvalid) || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "0.permission_groups.0.id") {
		t.Errorf("unknown group: %v", err)
	}
	if err := srv.SeedAPITokens("short", emulator.SeedAPIToken{ID: "a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4", Name: "n", Value: "v"}); err == nil {
		t.Error("SeedAPITokens accepted a short account id")
	}
}
