package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/testsupport"
	"github.com/go-aisearch/tokens/spec"
)

// newSetClock is the clock these tests move by hand.
func newSetClock() *testsupport.Clock {
	return testsupport.NewClock(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
}

// owner is one of the two API token families: /user/tokens or
// /accounts/{account_id}/tokens.
type owner struct {
	name    string
	base    string // path below /client/v4
	account string // emulator.UserOwner for the user
}

var owners = []owner{
	{"user", "/user/tokens", emulator.UserOwner},
	{"account", "/accounts/" + account + "/tokens", account},
}

// other is the owner whose paths must not see this owner's tokens.
func (o owner) other() owner {
	if o.account == emulator.UserOwner {
		return owners[1]
	}
	return owners[0]
}

var (
	hexID    = regexp.MustCompile(`^[0-9a-f]{32}$`)
	valueRe  = regexp.MustCompile(`^[A-Za-z0-9_-]{40}$`)
	jsonAuth = map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}
)

// call sends a request to the owner's tokens API and decodes the answer
// into out (when not nil).
func (e *checked) call(t *testing.T, method, path, body string, auth map[string]string, out any) (int, []byte) {
	t.Helper()
	status, _, b := e.do(t, method, path, body, auth)
	if out != nil && status == http.StatusOK {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return status, b
}

func createBody(name string, groups ...string) string {
	if len(groups) == 0 {
		groups = []string{emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID}
	}
	var pgs []map[string]string
	for _, g := range groups {
		pgs = append(pgs, map[string]string{"id": g})
	}
	return mustJSON(map[string]any{"name": name, "policies": []any{map[string]any{
		"effect": "allow", "permission_groups": pgs,
		"resources": map[string]string{"com.cloudflare.api.account." + account: "*"},
	}}})
}

// create makes a token and returns it with its value.
func (e *checked) create(t *testing.T, o owner, body string) generated.APITokenWithValue {
	t.Helper()
	var env generated.APITokenCreateEnvelope
	if status, b := e.call(t, "POST", o.base, body, jsonAuth, &env); status != http.StatusOK {
		t.Fatalf("create: %d %s", status, b)
	}
	return env.Result
}

// errorOf decodes a failure envelope's first error.
func errorOf(t *testing.T, b []byte) (int, string) {
	t.Helper()
	var env generated.FailureEnvelope
	if err := json.Unmarshal(b, &env); err != nil || len(env.Errors) == 0 {
		t.Fatalf("not a failure envelope: %s", b)
	}
	path := ""
	if env.Errors[0].Path != nil {
		path = strings.Join(*env.Errors[0].Path, ".")
	}
	return env.Errors[0].Code, path
}

// refused checks a 403 code 10000.
// refused requires the answer to an API token operation's credential that
// does not work: 401, code 1000 "Invalid API Token".
func refused(t *testing.T, what string, status int, b []byte) {
	t.Helper()
	refusedOn(t, what, "/user/tokens", status, b)
}

// refusedOn requires the answer of path's family to a credential that does
// not work: 401 with code 10000 on AI Search, 1000 on the API tokens.
func refusedOn(t *testing.T, what, path string, status int, b []byte) {
	t.Helper()
	want := emulator.CodeInvalidAPIToken
	if strings.Contains(path, "/ai-search/") {
		want = emulator.CodeAuth
	}
	if status != http.StatusUnauthorized {
		t.Errorf("%s: %d %s, want 401", what, status, b)
		return
	}
	if code, _ := errorOf(t, b); code != want {
		t.Errorf("%s: code %d, want %d", what, code, want)
	}
}

// allPowerful is a policy granting every permission group the operations
// require, on the user and every account.
func allPowerful() []generated.Policy {
	var groups []generated.PolicyPermissionGroup
	for _, id := range []string{emulator.APITokensWriteGroupID, emulator.AccountAPITokensWriteGroupID, emulator.AISearchEditGroupID} {
		groups = append(groups, generated.PolicyPermissionGroup{ID: id})
	}
	return []generated.Policy{{Effect: generated.Allow, PermissionGroups: groups,
		Resources: generated.APITokenResources{"com.cloudflare.api.account.*": "*", "com.cloudflare.api.user." + emulator.UserID: "*"}}}
}

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	for _, o := range owners {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			clock := newSetClock()
			e := startEmpty(t, emulator.WithClock(clock.Now))

			// Create: 200, a fresh value once, server-set ids, names filled in.
			tok := e.create(t, o, createBody("ai-search-service"))
			if !hexID.MatchString(tok.ID) || !valueRe.MatchString(tok.Value) || tok.Status != generated.Active {
				t.Errorf("created id %q status %q, value of %d chars", tok.ID, tok.Status, len(tok.Value))
			}
			if !tok.IssuedOn.Equal(clock.Now()) || !tok.ModifiedOn.Equal(clock.Now()) || tok.IssuedOn.Location() != time.UTC {
				t.Errorf("issued_on %v modified_on %v, want %v UTC", tok.IssuedOn, tok.ModifiedOn, clock.Now())
			}
			if len(tok.Policies) != 1 || !hexID.MatchString(tok.Policies[0].ID) || len(tok.Policies[0].PermissionGroups) != 2 ||
				*tok.Policies[0].PermissionGroups[0].Name != "AI Search Index Engine" || *tok.Policies[0].PermissionGroups[1].Name != "Workers R2 Storage Write" {
				t.Errorf("policies %s", mustJSON(tok.Policies))
			}
			if !e.srv.ValueMatches(tok.ID, tok.Value) {
				t.Error("ValueMatches: the created value does not match")
			}
			if got := e.srv.APITokens(o.account); len(got) != 1 || got[0].ID != tok.ID || got[0].AccountID != o.account {
				t.Errorf("APITokens(%q) = %+v", o.account, got)
			}
			if got := e.srv.APITokens(o.other().account); len(got) != 0 {
				t.Errorf("the other owner holds %+v", got)
			}
			value := bearer(tok.Value)

			// Verify with the new value: on its owner's path only.
			var ver generated.APITokenVerifyEnvelope
			if status, b := e.call(t, "GET", o.base+"/verify", "", value, &ver); status != http.StatusOK || ver.Result.ID != tok.ID || ver.Result.Status != generated.Active {
				t.Errorf("verify: %d %s", status, b)
			}
			status, b := e.call(t, "GET", o.other().base+"/verify", "", value, nil)
			refused(t, "verify on the other owner's path", status, b)
			// The issued value authenticates on the AI Search operations too,
			// but a service token ("AI Search Index Engine") may not manage them.
			if status, b := e.call(t, "GET", "/accounts/"+account+"/ai-search/tokens", "", value, nil); status != http.StatusForbidden || !strings.Contains(string(b), `"code":9109`) {
				t.Errorf("AI Search list with the issued service token: %d %s, want 403 code 9109", status, b)
			}

			// Get: no value; the other owner's path does not know the id.
			var got generated.APITokenEnvelope
			status, b = e.call(t, "GET", o.base+"/"+tok.ID, "", bearer(token), &got)
			if status != http.StatusOK || got.Result.ID != tok.ID || got.Result.Name != "ai-search-service" {
				t.Errorf("get: %d %s", status, b)
			}
			if strings.Contains(string(b), tok.Value) || strings.Contains(string(b), `"value"`) {
				t.Error("get returns the value")
			}
			status, b = e.call(t, "GET", o.other().base+"/"+tok.ID, "", bearer(token), nil)
			if code, path := errorOf(t, b); status != http.StatusNotFound || code != emulator.CodeNotFound || path != "path.token_id" {
				t.Errorf("get on the other owner's path: %d %s", status, b)
			}

			// Update: full replacement, status disabled, value kept.
			clock.Advance(time.Minute)
			upd := strings.Replace(createBody("renamed", emulator.AISearchIndexEngineGroupID), `{"name"`, `{"status":"disabled","name"`, 1)
			var updated generated.APITokenEnvelope
			status, b = e.call(t, "PUT", o.base+"/"+tok.ID, upd, jsonAuth, &updated)
			r := updated.Result
			if status != http.StatusOK || r.Name != "renamed" || r.Status != generated.Disabled || !r.ModifiedOn.Equal(clock.Now()) ||
				!r.IssuedOn.Equal(tok.IssuedOn) || len(r.Policies[0].PermissionGroups) != 1 {
				t.Errorf("update: %d %s", status, b)
			}
			if strings.Contains(string(b), tok.Value) || !e.srv.ValueMatches(tok.ID, tok.Value) {
				t.Error("update returned or changed the value")
			}
			status, b = e.call(t, "GET", o.base+"/verify", "", value, nil)
			refused(t, "verify a disabled token", status, b)
			// Back to active (status omitted is kept, so say it).
			status, b = e.call(t, "PUT", o.base+"/"+tok.ID, strings.Replace(upd, "disabled", "active", 1), jsonAuth, nil)
			if status != http.StatusOK {
				t.Fatalf("re-enable: %d %s", status, b)
			}
			if status, b := e.call(t, "GET", o.base+"/verify", "", value, nil); status != http.StatusOK {
				t.Errorf("verify after re-enabling: %d %s", status, b)
			}
			status, b = e.call(t, "PUT", o.base+"/"+tok.ID, strings.Replace(upd, "disabled", "expired", 1), jsonAuth, nil)
			if code, path := errorOf(t, b); status != http.StatusBadRequest || code != emulator.CodeValidation || path != "body.status" {
				t.Errorf("update to expired: %d %s", status, b)
			}

			// Roll: a new value, the old one refused at once.
			clock.Advance(time.Minute)
			var rolled generated.APITokenValueEnvelope
			status, b = e.call(t, "PUT", o.base+"/"+tok.ID+"/value", `{}`, jsonAuth, &rolled)
			if status != http.StatusOK || !valueRe.MatchString(rolled.Result) || rolled.Result == tok.Value {
				t.Fatalf("roll: %d %s", status, b)
			}
			status, b = e.call(t, "GET", o.base+"/verify", "", value, nil)
			refused(t, "verify with the rolled-away value", status, b)
			if !e.srv.ValueRevoked(tok.Value) || !e.srv.ValueMatches(tok.ID, rolled.Result) {
				t.Error("after the roll: old value not revoked or new one not stored")
			}
			if status, b := e.call(t, "GET", o.base+"/verify", "", bearer(rolled.Result), &ver); status != http.StatusOK || ver.Result.ID != tok.ID {
				t.Errorf("verify with the new value: %d %s", status, b)
			}
			if got := e.srv.APITokens(o.account)[0]; !got.ModifiedOn.Equal(clock.Now()) {
				t.Errorf("roll did not bump modified_on: %v", got.ModifiedOn)
			}

			// Delete: {id}, the value refused, the id gone.
			var del generated.APITokenDeleteEnvelope
			status, b = e.call(t, "DELETE", o.base+"/"+tok.ID, "", bearer(token), &del)
			if status != http.StatusOK || del.Result == nil || del.Result.ID != tok.ID {
				t.Errorf("delete: %d %s", status, b)
			}
			status, b = e.call(t, "GET", o.base+"/verify", "", bearer(rolled.Result), nil)
			refused(t, "verify a deleted token", status, b)
			for _, method := range []string{"GET", "DELETE"} {
				status, b = e.call(t, method, o.base+"/"+tok.ID, "", bearer(token), nil)
				if code, _ := errorOf(t, b); status != http.StatusNotFound || code != emulator.CodeNotFound {
					t.Errorf("%s after delete: %d %s", method, status, b)
				}
			}
			status, b = e.call(t, "PUT", o.base+"/"+tok.ID+"/value", `{}`, jsonAuth, nil)
			if status != http.StatusNotFound {
				t.Errorf("roll after delete: %d %s", status, b)
			}
		})
	}
}

func TestAPITokenList(t *testing.T) {
	t.Parallel()
	for _, o := range owners {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			clock := newSetClock()
			e := startEmpty(t, emulator.WithClock(clock.Now))
			var ids []string
			for i := range 7 {
				ids = append(ids, e.create(t, o, createBody(fmt.Sprintf("t%d", i))).ID)
				if i != 3 { // t3 and t4 share issued_on: ordered by id
					clock.Advance(time.Second)
				}
			}
			if ids[3] > ids[4] {
				ids[3], ids[4] = ids[4], ids[3]
			}
			// Expire the last one.
			if err := e.srv.ExpireAPIToken(ids[6], clock.Now()); err != nil {
				t.Fatal(err)
			}
			list := func(q string) ([]string, generated.ResultInfo, []byte) {
				t.Helper()
				var env generated.APITokenListEnvelope
				status, b := e.call(t, "GET", o.base+q, "", bearer(token), &env)
				if status != http.StatusOK {
					t.Fatalf("list %s: %d %s", q, status, b)
				}
				var got []string
				for _, tk := range env.Result {
					got = append(got, tk.ID)
				}
				return got, env.ResultInfo, b
			}
			cases := []struct {
				query string
				want  []string
				info  generated.ResultInfo
			}{
				{"", ids[:6], generated.ResultInfo{Page: 1, PerPage: 20, Count: 6, TotalCount: 6}},
				{"?per_page=5", ids[:5], generated.ResultInfo{Page: 1, PerPage: 5, Count: 5, TotalCount: 6}},
				{"?per_page=5&page=2", ids[5:6], generated.ResultInfo{Page: 2, PerPage: 5, Count: 1, TotalCount: 6}},
				{"?per_page=5&page=3", nil, generated.ResultInfo{Page: 3, PerPage: 5, Count: 0, TotalCount: 6}},
				{"?direction=desc&per_page=5", reversed(ids[1:6]), generated.ResultInfo{Page: 1, PerPage: 5, Count: 5, TotalCount: 6}},
				{"?direction=asc&include_expired=true", ids, generated.ResultInfo{Page: 1, PerPage: 20, Count: 7, TotalCount: 7}},
				{"?include_expired=false", ids[:6], generated.ResultInfo{Page: 1, PerPage: 20, Count: 6, TotalCount: 6}},
			}
			for _, tc := range cases {
				got, info, b := list(tc.query)
				if !slices.Equal(got, tc.want) || info != tc.info {
					t.Errorf("list %q: %v %+v, want %v %+v", tc.query, got, info, tc.want, tc.info)
				}
				if tc.want == nil && !strings.Contains(string(b), `"result":[]`) {
					t.Errorf("list %q: empty page is not []: %s", tc.query, b)
				}
			}
			var env generated.APITokenListEnvelope
			e.call(t, "GET", o.base+"?include_expired=true&direction=desc&per_page=5", "", bearer(token), &env)
			if env.Result[0].ID != ids[6] || env.Result[0].Status != generated.Expired {
				t.Errorf("the expired token: %+v", env.Result[0])
			}
			// The other owner sees none of them.
			var otherEnv generated.APITokenListEnvelope
			e.call(t, "GET", o.other().base, "", bearer(token), &otherEnv)
			if len(otherEnv.Result) != 0 || otherEnv.ResultInfo.TotalCount != 0 {
				t.Errorf("other owner lists %d", len(otherEnv.Result))
			}
		})
	}
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}

func TestUnknownPermissionGroup(t *testing.T) {
	t.Parallel()
	e := startEmpty(t)
	const unknown = "00000000000000000000000000000000"
	for _, o := range owners {
		tok := e.create(t, o, createBody("ok"))
		for _, rq := range []struct{ method, path string }{{"POST", o.base}, {"PUT", o.base + "/" + tok.ID}} {
			status, b := e.call(t, rq.method, rq.path, createBody("bad", emulator.AISearchIndexEngineGroupID, unknown), jsonAuth, nil)
			code, path := errorOf(t, b)
			if status != http.StatusBadRequest || code != emulator.CodeValidation || path != "body.policies.0.permission_groups.1.id" {
				t.Errorf("%s %s %s with an unknown group: %d %s", o.name, rq.method, rq.path, status, b)
			}
		}
		if n := len(e.srv.APITokens(o.account)); n != 1 {
			t.Errorf("%s: %d tokens after refused creates", o.name, n)
		}
		if got := e.srv.APITokens(o.account)[0]; got.Name != "ok" {
			t.Errorf("%s: refused update changed the token: %+v", o.name, got)
		}
	}
}

// Unusable tokens are refused like any bad credential, on every operation,
// with configured credentials and with open auth.
func TestUnusableAPITokensAreRefused(t *testing.T) {
	t.Parallel()
	clock := newSetClock()
	now := clock.Now()
	// ok: the token works; elsewhere: it works, but not from the client's
	// address (403 code 9109, except at verify, where Cloudflare applies no
	// IP filtering).
	seeds := []struct {
		seed          emulator.SeedAPIToken
		ok, elsewhere bool
	}{
		{emulator.SeedAPIToken{Name: "active", Value: "value-active"}, true, false},
		{emulator.SeedAPIToken{Name: "disabled", Value: "value-disabled", Status: "disabled"}, false, false},
		{emulator.SeedAPIToken{Name: "expired", Value: "value-expired", ExpiresOn: now}, false, false},
		{emulator.SeedAPIToken{Name: "expires later", Value: "value-later", ExpiresOn: now.Add(time.Hour)}, true, false},
		{emulator.SeedAPIToken{Name: "not yet", Value: "value-not-yet", NotBefore: now.Add(time.Second)}, false, false},
		{emulator.SeedAPIToken{Name: "from loopback", Value: "value-loopback", Condition: ipCondition([]string{"127.0.0.0/8"}, nil)}, true, false},
		{emulator.SeedAPIToken{Name: "from elsewhere", Value: "value-elsewhere", Condition: ipCondition([]string{"10.0.0.0/8", "2001:db8::/32"}, nil)}, true, true},
		{emulator.SeedAPIToken{Name: "not from here", Value: "value-not-here", Condition: ipCondition(nil, []string{"127.0.0.1"})}, true, true},
	}
	for mode, opts := range map[string][]emulator.Option{
		"configured": {emulator.WithClock(clock.Now)},
		"open auth":  nil,
	} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			var e *checked
			if opts == nil {
				e = startOpen(t, emulator.WithClock(clock.Now))
			} else {
				e = startEmpty(t, opts...)
			}
			for i, s := range seeds {
				s.seed.ID = fmt.Sprintf("%032x", i+1)
				s.seed.Policies = allPowerful()
				if err := e.srv.SeedAPITokens(emulator.UserOwner, s.seed); err != nil {
					t.Fatal(err)
				}
				for _, path := range []string{"/user/tokens/verify", "/user/tokens", "/accounts/" + account + "/ai-search/tokens"} {
					status, b := e.call(t, "GET", path, "", bearer(s.seed.Value), nil)
					switch {
					case !s.ok:
						refusedOn(t, s.seed.Name+" on "+path, path, status, b)
					case s.elsewhere && path != "/user/tokens/verify":
						if code, _ := errorOf(t, b); status != http.StatusForbidden || code != emulator.CodePermissionDenied || !strings.Contains(string(b), `"Cannot use the access token from location: 127.0.0.1"`) {
							t.Errorf("%s on %s: %d %s, want 403 code 9109 naming the address", s.seed.Name, path, status, b)
						}
					case status != http.StatusOK:
						t.Errorf("%s on %s: %d %s", s.seed.Name, path, status, b)
					}
				}
			}
			// A deleted token's value is refused too.
			if status, _ := e.call(t, "DELETE", "/user/tokens/"+fmt.Sprintf("%032x", 1), "", bearer(token), nil); status != http.StatusOK {
				t.Fatalf("delete: %d", status)
			}
			status, b := e.call(t, "GET", "/user/tokens/verify", "", bearer("value-active"), nil)
			refused(t, "deleted token", status, b)
			// Anything else is up to the configured credentials.
			status, _ = e.call(t, "GET", "/user/tokens/verify", "", bearer("never-issued"), nil)
			if want := map[bool]int{true: 200, false: 401}[opts == nil]; status != want {
				t.Errorf("an unknown credential: %d, want %d", status, want)
			}
		})
	}
}

func ipCondition(in, notIn []string) *generated.APITokenCondition {
	c := &generated.APITokenCondition{}
	c.RequestIP = &generated.RequestIPCondition{}
	if in != nil {
		c.RequestIP.In = &in
	}
	if notIn != nil {
		c.RequestIP.NotIn = &notIn
	}
	return c
}

// startOpen is start without configured credentials (open auth).
func startOpen(t *testing.T, opts ...emulator.Option) *checked {
	t.Helper()
	srv, err := emulator.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	c := &checked{t: t, srv: srv}
	hs := httpServer(t, c.middleware(sharedValidator(t), srv.Handler()))
	t.Cleanup(func() { srv.Close() })
	c.URL = hs + emulator.BasePath
	return c
}

// The API token operations take a bearer token only: the legacy pair is
// refused there, while the AI Search operations keep accepting it. The
// operations are read from the spec.
func TestAPITokenOperationsRefuseKeyAuth(t *testing.T) {
	t.Parallel()
	e := startEmpty(t)
	tok := e.create(t, owners[0], createBody("target"))
	doc, err := spec.Shared() // read only
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{"X-Auth-Email": email, "X-Auth-Key": key, "Content-Type": "application/json"}
	paths := strings.NewReplacer("{account_id}", account, "{token_id}", tok.ID)
	n := 0
	for tmpl, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if acceptsKey(doc, op) {
				continue
			}
			status, b := e.call(t, method, paths.Replace(tmpl), createBody("x"), keys, nil)
			if code, _ := errorOf(t, b); status != http.StatusBadRequest || code != emulator.CodeMissingAuthorization || !strings.Contains(string(b), `Missing \"Authorization\" header`) {
				t.Errorf("X-Auth-Key on %s %s: %d %s, want 400 code 1001", method, tmpl, status, b)
			}
			n++
		}
	}
	if n != 16 {
		t.Errorf("%d bearer-only operations in the spec, want the 16 API token ones", n)
	}
	if !e.srv.ValueMatches(tok.ID, tok.Value) || len(e.srv.APITokens(emulator.UserOwner)) != 1 {
		t.Error("a refused request changed the token")
	}
	if status, b := e.call(t, "GET", "/accounts/"+account+"/ai-search/tokens", "", keys, nil); status != http.StatusOK {
		t.Errorf("X-Auth-Key on the AI Search list: %d %s", status, b)
	}
	// The bearer decides when both are sent.
	both := map[string]string{"X-Auth-Email": email, "X-Auth-Key": key, "Authorization": "Bearer " + token}
	if status, b := e.call(t, "GET", "/user/tokens", "", both, nil); status != http.StatusOK {
		t.Errorf("bearer plus keys on the user list: %d %s", status, b)
	}
}

// cloudflare-go v6 sends DELETE without a body; the schema's example sends {}.
func TestDeleteAPITokenWithAndWithoutBody(t *testing.T) {
	t.Parallel()
	e := startEmpty(t)
	for _, o := range owners {
		for name, body := range map[string]string{"no body": "", "empty object": "{}"} {
			tok := e.create(t, o, createBody(name))
			var del generated.APITokenDeleteEnvelope
			status, b := e.call(t, "DELETE", o.base+"/"+tok.ID, body, jsonAuth, &del)
			if status != http.StatusOK || del.Result == nil || del.Result.ID != tok.ID {
				t.Errorf("%s delete with %s: %d %s", o.name, name, status, b)
			}
			if e.srv.ValueMatches(tok.ID, tok.Value) || !e.srv.ValueRevoked(tok.Value) {
				t.Errorf("%s delete with %s: the value still works", o.name, name)
			}
		}
	}
}

// A configured credential verifies on the user path with a stable id that
// is not the credential; with open auth any credential does.
func TestVerifyConfiguredCredential(t *testing.T) {
	t.Parallel()
	e := startEmpty(t)
	var v1, v2 generated.APITokenVerifyEnvelope
	e.call(t, "GET", "/user/tokens/verify", "", bearer(token), &v1)
	e.call(t, "GET", "/user/tokens/verify", "", bearer(token), &v2)
	if !hexID.MatchString(v1.Result.ID) || v1.Result.ID != v2.Result.ID || v1.Result.Status != generated.Active || strings.Contains(v1.Result.ID, token) {
		t.Errorf("verify: %+v then %+v", v1.Result, v2.Result)
	}
	status, b := e.call(t, "GET", "/accounts/"+account+"/tokens/verify", "", bearer(token), nil)
	refused(t, "configured credential on the account verify", status, b)
	status, b = e.call(t, "GET", "/user/tokens/verify", "", bearer("wrong"), nil)
	refused(t, "wrong credential", status, b)

	open := startOpen(t)
	var v3 generated.APITokenVerifyEnvelope
	if status, b := open.call(t, "GET", "/user/tokens/verify", "", bearer("anything"), &v3); status != http.StatusOK || !hexID.MatchString(v3.Result.ID) {
		t.Errorf("open auth verify: %d %s", status, b)
	}
}

// Servers share the built-in catalogue: what one adds or overrides with
// WithPermissionGroups stays its own.
func TestPermissionGroupsStayPerServer(t *testing.T) {
	t.Parallel()
	added := emulator.PermissionGroup{ID: "cccccccccccccccccccccccccccccccc", Name: "Added"}
	renamed := emulator.PermissionGroup{ID: emulator.AISearchIndexEngineGroupID, Name: "Renamed"}
	for range 2 { // before and after the shared catalogue is built
		custom, err := emulator.New(emulator.WithPermissionGroups(added, renamed))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := emulator.New()
		if err != nil {
			t.Fatal(err)
		}
		names := func(srv *emulator.Server) map[string]string {
			out := map[string]string{}
			for _, g := range srv.PermissionGroups() {
				out[g.ID] = g.Name
			}
			return out
		}
		if got := names(custom); got[added.ID] != "Added" || got[renamed.ID] != "Renamed" {
			t.Errorf("the configured server lacks its groups: %v", got)
		}
		if got := names(plain); got[added.ID] != "" || got[renamed.ID] != "AI Search Index Engine" {
			t.Errorf("another server's groups leaked into the built-in catalogue: %q, %q", got[added.ID], got[renamed.ID])
		}
		custom.Close()
		plain.Close()
	}
}

func TestPermissionGroupCatalogue(t *testing.T) {
	t.Parallel()
	extra := emulator.PermissionGroup{ID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Name: "Account Settings Write", Category: "account_and_billing", Scopes: []string{"com.cloudflare.api.account"}}
	e := startEmpty(t, emulator.WithPermissionGroups(extra))
	for _, o := range owners {
		names := func(q string) []string {
			t.Helper()
			var env generated.PermissionGroupListEnvelope
			status, b := e.call(t, "GET", o.base+"/permission_groups"+q, "", bearer(token), &env)
			if status != http.StatusOK {
				t.Fatalf("%s permission groups %s: %d %s", o.name, q, status, b)
			}
			if !strings.Contains(string(b), `"result":[`) {
				t.Errorf("result is not an array: %s", b)
			}
			var out []string
			for _, g := range env.Result {
				out = append(out, g.Name)
			}
			return out
		}
		all := names("")
		for _, want := range []string{"AI Search Index Engine", "Workers R2 Storage Write", "Account Settings Write", "Zone Read"} {
			if !slices.Contains(all, want) {
				t.Errorf("%s: catalogue lacks %q: %v", o.name, want, all)
			}
		}
		cases := map[string][]string{
			"?name=AI%20Search%20Index%20Engine":              {"AI Search Index Engine"},
			"?name=ai+search+index+engine":                    {"AI Search Index Engine"},
			"?name=Account%2520Settings%2520Write":            {"Account Settings Write"}, // the docs' encoded form
			"?scope=com.cloudflare.api.account.zone":          {"Zone Read"},
			"?name=Zone%20Read&scope=com.cloudflare.api.user": nil,
			"?name=nope": nil,
		}
		for q, want := range cases {
			if got := names(q); !slices.Equal(got, want) {
				t.Errorf("%s %s: %v, want %v", o.name, q, got, want)
			}
		}
	}
	// The AI Search groups carry the documented category and scope.
	for _, g := range e.srv.PermissionGroups() {
		if g.ID == emulator.AISearchIndexEngineGroupID && (g.Category != "ai_and_machine_learning" || !slices.Equal(g.Scopes, []string{"com.cloudflare.api.account"})) {
			t.Errorf("AI Search Index Engine: %+v", g)
		}
	}
	// A seeded group can be used at once.
	seeded := emulator.PermissionGroup{ID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Name: "Seeded Group"}
	if err := e.srv.SeedPermissionGroups(seeded); err != nil {
		t.Fatal(err)
	}
	tok := e.create(t, owners[0], createBody("uses seeded", seeded.ID))
	if *tok.Policies[0].PermissionGroups[0].Name != "Seeded Group" {
		t.Errorf("seeded group name: %s", mustJSON(tok.Policies))
	}
	for name, bad := range map[string]emulator.PermissionGroup{
		"short id": {ID: "abc", Name: "n"}, "no name": {ID: seeded.ID}, "category": {ID: seeded.ID, Name: "n", Category: "nope"},
		"scope": {ID: seeded.ID, Name: "n", Scopes: []string{"com.example"}},
	} {
		if _, err := emulator.New(emulator.WithPermissionGroups(bad)); err == nil {
			t.Errorf("WithPermissionGroups accepted a bad group (%s)", name)
		}
		if err := e.srv.SeedPermissionGroups(bad); err == nil {
			t.Errorf("SeedPermissionGroups accepted a bad group (%s)", name)
		}
	}
}

// A client that reads a token and writes it back sends the server-set
// policy ids and group names (Cloudflare's Terraform provider always sends
// the policy id): that update is accepted, and changes nothing it should not.
func TestUpdateWithTheTokenReadBack(t *testing.T) {
	t.Parallel()
	e := startEmpty(t)
	for _, o := range owners {
		tok := e.create(t, o, createBody("read-back"))
		var got generated.APITokenEnvelope
		if status, b := e.call(t, "GET", o.base+"/"+tok.ID, "", jsonAuth, &got); status != http.StatusOK {
			t.Fatalf("%s get: %d %s", o.name, status, b)
		}
		back := mustJSON(map[string]any{"name": "renamed", "policies": got.Result.Policies})
		if !strings.Contains(back, `"id":"`+got.Result.Policies[0].ID+`"`) || !strings.Contains(back, `"name":"AI Search Index Engine"`) {
			t.Fatalf("%s: the body does not send the read-only fields back: %s", o.name, back)
		}
		var upd generated.APITokenEnvelope
		if status, b := e.call(t, "PUT", o.base+"/"+tok.ID, back, jsonAuth, &upd); status != http.StatusOK {
			t.Fatalf("%s update with the token read back: %d %s", o.name, status, b)
		}
		if upd.Result.Name != "renamed" || len(upd.Result.Policies) != 1 || len(upd.Result.Policies[0].PermissionGroups) != 2 {
			t.Errorf("%s update: %+v", o.name, upd.Result)
		}
	}
}
