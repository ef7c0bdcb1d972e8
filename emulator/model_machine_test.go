package emulator_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"pgregory.net/rapid"

	"github.com/go-aisearch/tokens/emulator"
)

// machine is one sequence: a fresh emulator against the model, on two
// accounts (and the user, for API tokens).
type machine struct {
	e     *env
	m     *model
	accts [2]string
}

func TestEmulatorMatchesModel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rapid.Check(t, func(t *rapid.T) {
		e.fresh()
		mc := &machine{e: e, m: newModel(account, other), accts: [2]string{account, other}}
		t.Repeat(map[string]func(*rapid.T){
			"create":    mc.create,
			"create2":   mc.create, // twice the weight: sequences need registrations
			"get":       mc.get,
			"update":    mc.update,
			"delete":    mc.delete,
			"list":      mc.list,
			"markInUse": mc.markInUse,

			"createAPIToken":  mc.createAPIToken,
			"createAPIToken2": mc.createAPIToken, // registrations need API tokens to name
			"getAPIToken":     mc.getAPIToken,
			"updateAPIToken":  mc.updateAPIToken,
			"rollAPIToken":    mc.rollAPIToken,
			"deleteAPIToken":  mc.deleteAPIToken,
			"verifyAPIToken":  mc.verifyAPIToken,
			"listAPITokens":   mc.listAPITokens,

			"createInstance":      mc.createInstance,
			"createInstance2":     mc.createInstance, // jobs need instances
			"updateInstanceToken": mc.updateInstanceToken,
			"deleteInstance":      mc.deleteInstance,
			"createJob":           mc.createJob,
			"createJob2":          mc.createJob,
			"getJob":              mc.getJob,
			"advance":             mc.advance,

			"": mc.invariant,
		})
	})
}

func (mc *machine) drawAccount(t *rapid.T) string {
	return rapid.SampledFrom(mc.accts[:]).Draw(t, "account")
}

func tokensPath(acct string) string { return "/accounts/" + acct + "/ai-search/tokens" }

// drawID picks a token id: one of the account's, one of the other
// account's, a deleted one, a fresh uuid, or a malformed id.
func (mc *machine) drawID(t *rapid.T, acct string) (id string, malformed bool) {
	var pool []string
	pool = append(pool, mc.m.acct(acct).order...)
	kinds := []string{"fresh", "malformed"}
	if len(pool) > 0 {
		kinds = append(kinds, "own", "own", "own", "own")
	}
	other := mc.accts[0]
	if other == acct {
		other = mc.accts[1]
	}
	if len(mc.m.acct(other).order) > 0 {
		kinds = append(kinds, "other")
	}
	if len(mc.m.deleted) > 0 {
		kinds = append(kinds, "deleted")
	}
	switch rapid.SampledFrom(kinds).Draw(t, "id-kind") {
	case "own":
		return rapid.SampledFrom(pool).Draw(t, "id"), false
	case "other":
		return rapid.SampledFrom(mc.m.acct(other).order).Draw(t, "id"), false
	case "deleted":
		return rapid.SampledFrom(mc.m.deleted).Draw(t, "id"), false
	case "malformed":
		return rapid.SampledFrom([]string{"not-a-uuid", "1234", "62af0db3c410-40b2-9ee3-0e93f6dd1de0"}).Draw(t, "id"), true
	default:
		return uuid.NewString(), false
	}
}

// body is a create or update body and what the model says about it.
type body struct {
	raw             []byte
	contentType     string
	valid           bool
	badPath         []string // for invalid bodies: where the error must point
	name, cfID, key string
	legacy          bool
}

var nameGen = rapid.StringMatching(`[a-cA-C0-9 -]{0,8}`)

// drawCredential picks what a registration holds: mostly an API token's
// id (live or deleted) with its current value, a value rolled away from
// it, or a wrong one; else an id the emulator never issued.
func (mc *machine) drawCredential(t *rapid.T) (cfID, key string) {
	var ids, rolled []string
	for id := range mc.m.apiTokens {
		ids = append(ids, id)
	}
	for id := range mc.m.deletedAPI {
		ids = append(ids, id)
	}
	if len(ids) == 0 || rapid.IntRange(0, 9).Draw(t, "known-cf_api_id") < 2 {
		cfID = rapid.StringMatching(`[a-f0-9]{1,12}`).Draw(t, "cf_api_id")
		return cfID, "modeltest-key-" + cfID
	}
	slices.Sort(ids)
	cfID = rapid.SampledFrom(ids).Draw(t, "cf_api_id")
	for _, rv := range mc.m.revoked {
		if rv.id == cfID {
			rolled = append(rolled, rv.value)
		}
	}
	kinds := []string{"wrong"}
	if tok := mc.m.apiTokens[cfID]; tok != nil {
		kinds = append(kinds, "current", "current", "current")
	}
	if len(rolled) > 0 {
		kinds = append(kinds, "rolled")
	}
	switch rapid.SampledFrom(kinds).Draw(t, "cf_api_key") {
	case "current":
		return cfID, mc.m.apiTokens[cfID].value
	case "rolled":
		return cfID, rolled[rapid.IntRange(0, len(rolled)-1).Draw(t, "rolled-value#")]
	}
	return cfID, "not-the-value"
}

func (mc *machine) drawBody(t *rapid.T) body {
	b := body{
		name:        nameGen.Draw(t, "name"),
		contentType: "application/json",
		valid:       true,
		legacy:      true,
	}
	b.cfID, b.key = mc.drawCredential(t)
	fields := map[string]any{"name": b.name, "cf_api_id": b.cfID, "cf_api_key": b.key}
	switch rapid.SampledFrom([]string{"omit", "true", "false"}).Draw(t, "legacy") {
	case "true":
		fields["legacy"] = true
	case "false":
		fields["legacy"] = false
		b.legacy = false
	}
	if rapid.IntRange(0, 9).Draw(t, "valid-body") < 8 {
		if rapid.Bool().Draw(t, "extra-field") {
			fields["note"] = "unknown fields are allowed"
		}
		b.raw, _ = json.Marshal(fields)
		return b
	}
	b.valid = false
	switch kind := rapid.SampledFrom([]string{"missing", "wrong-type", "bad-json", "bad-legacy"}).Draw(t, "invalid-body"); kind {
	case "missing":
		f := rapid.SampledFrom([]string{"name", "cf_api_id", "cf_api_key"}).Draw(t, "missing-field")
		delete(fields, f)
		b.badPath = []string{"body", f}
	case "wrong-type":
		f := rapid.SampledFrom([]string{"name", "cf_api_id", "cf_api_key"}).Draw(t, "wrong-type-field")
		fields[f] = 42
		b.badPath = []string{"body", f}
	case "bad-legacy":
		fields["legacy"] = "yes"
		b.badPath = []string{"body", "legacy"}
	case "bad-json":
		b.raw = []byte(`{"name": "x",`)
		b.badPath = []string{"body"}
		return b
	}
	b.raw, _ = json.Marshal(fields)
	return b
}

// wantCredentialRefused: a body whose credential does not work is a 400
// code 7012, pointing at the key when it is the key that is wrong.
func wantCredentialRefused(t *rapid.T, r reply, env wireEnvelope, err error) {
	t.Helper()
	field := "cf_api_id"
	if errors.Is(err, emulator.ErrWrongValue) || errors.Is(err, emulator.ErrValueRolled) {
		field = "cf_api_key"
	}
	wantError(t, r, env, http.StatusBadRequest, codeInvalidToken, []string{"body", field})
}

func (mc *machine) create(t *rapid.T) {
	acct, auth, b := mc.drawAccount(t), drawAuth(t), mc.drawBody(t)
	r := mc.e.send(t, http.MethodPost, tokensPath(acct), "", auth, b.contentType, b.raw)
	env := decode(t, r)
	credErr := mc.m.credential(acct, b.cfID, b.key)
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case !b.valid:
		wantError(t, r, env, http.StatusBadRequest, codeValidation, b.badPath)
	case credErr != nil:
		wantCredentialRefused(t, r, env, credErr)
	default:
		if r.status != http.StatusCreated {
			t.Fatalf("create: status %d, want 201: %s", r.status, r.body)
		}
		wantValidRequest(t, r)
		got := resultToken(t, env)
		if _, err := uuid.Parse(got.ID); err != nil || strings.ToLower(got.ID) != got.ID {
			t.Fatalf("create: id %q is not a lowercase uuid", got.ID)
		}
		for _, a := range mc.m.accounts {
			if a.get(got.ID) != nil {
				t.Fatalf("create: id %s reused", got.ID)
			}
		}
		tk := &mtoken{id: got.ID, name: b.name, cfAPIID: b.cfID, key: b.key, legacy: b.legacy,
			createdAt: parseTime(t, got.CreatedAt), modifiedAt: parseTime(t, got.ModifiedAt)}
		if !tk.createdAt.Equal(tk.modifiedAt) {
			t.Fatalf("create: created_at %s != modified_at %s", got.CreatedAt, got.ModifiedAt)
		}
		sameToken(t, "create", got, tk)
		mc.m.acct(acct).add(tk)
	}
}

func (mc *machine) get(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id, malformed := mc.drawID(t, acct)
	r := mc.e.send(t, http.MethodGet, tokensPath(acct)+"/"+id, "", auth, "", nil)
	env := decode(t, r)
	want := mc.m.acct(acct).get(id)
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case malformed:
		wantError(t, r, env, http.StatusBadRequest, codeValidation, []string{"path", "id"})
	case want == nil:
		wantError(t, r, env, http.StatusNotFound, codeTokenNotFound, nil)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("get %s: status %d, want 200: %s", id, r.status, r.body)
		}
		wantValidRequest(t, r)
		sameToken(t, "get", resultToken(t, env), want)
	}
}

func (mc *machine) update(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id, malformed := mc.drawID(t, acct)
	b := mc.drawBody(t)
	r := mc.e.send(t, http.MethodPut, tokensPath(acct)+"/"+id, "", auth, b.contentType, b.raw)
	env := decode(t, r)
	cur := mc.m.acct(acct).get(id)
	credErr := mc.m.credential(acct, b.cfID, b.key)
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case malformed || !b.valid:
		path := b.badPath
		if malformed {
			path = []string{"path", "id"}
		}
		wantError(t, r, env, http.StatusBadRequest, codeValidation, path)
	case credErr != nil: // checked before the registration is looked up
		wantCredentialRefused(t, r, env, credErr)
	case cur == nil:
		wantError(t, r, env, http.StatusNotFound, codeTokenNotFound, nil)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("update %s: status %d, want 200: %s", id, r.status, r.body)
		}
		wantValidRequest(t, r)
		got := resultToken(t, env)
		next := *cur
		next.name, next.cfAPIID, next.key, next.legacy = b.name, b.cfID, b.key, b.legacy
		next.modifiedAt = parseTime(t, got.ModifiedAt)
		if next.modifiedAt.Before(cur.modifiedAt) {
			t.Fatalf("update: modified_at went back from %s to %s", cur.modifiedAt, got.ModifiedAt)
		}
		sameToken(t, "update", got, &next)
		*cur = next
	}
}

func (mc *machine) delete(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	id, malformed := mc.drawID(t, acct)
	r := mc.e.send(t, http.MethodDelete, tokensPath(acct)+"/"+id, "", auth, "", nil)
	env := decode(t, r)
	cur := mc.m.acct(acct).get(id)
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case malformed:
		wantError(t, r, env, http.StatusBadRequest, codeValidation, []string{"path", "id"})
	case cur == nil:
		wantError(t, r, env, http.StatusNotFound, codeTokenNotFound, nil)
	case len(mc.m.acct(acct).inUseBy(id)) > 0:
		wantError(t, r, env, http.StatusConflict, codeInUse, nil)
	default:
		if r.status != http.StatusOK || string(env.Result) != "{}" {
			t.Fatalf("delete %s: status %d result %s, want 200 {}", id, r.status, env.Result)
		}
		wantValidRequest(t, r)
		mc.m.remove(acct, id)
	}
}

// markInUse stands for AI Search instances starting or stopping to use a
// registration (not part of the tokens API; the emulator exposes it to
// tests): exactly the drawn instances use it afterwards.
func (mc *machine) markInUse(t *rapid.T) {
	acct := mc.drawAccount(t)
	a := mc.m.acct(acct)
	if len(a.order) == 0 {
		t.Skip("no registration to mark")
	}
	id := rapid.SampledFrom(a.order).Draw(t, "in-use-id")
	var names []string
	for _, n := range []string{"docs", "blog", "wiki"} {
		if rapid.Bool().Draw(t, "uses-"+n) {
			names = append(names, n)
		}
	}
	if err := mc.e.srv.MarkInUse(acct, id, names...); err != nil {
		t.Fatalf("MarkInUse: %v", err)
	}
	a.markInUse(id, names, mc.e.clock.Now())
}

func (mc *machine) list(t *rapid.T) {
	acct, auth := mc.drawAccount(t), drawAuth(t)
	q := url.Values{}
	page, perPage, search := 1, 20, ""
	var badPath []string
	if rapid.Bool().Draw(t, "set-page") {
		page = rapid.IntRange(1, 4).Draw(t, "page")
		q.Set("page", strconv.Itoa(page))
	}
	if rapid.Bool().Draw(t, "set-per-page") {
		perPage = rapid.IntRange(1, 6).Draw(t, "per_page")
		q.Set("per_page", strconv.Itoa(perPage))
	}
	if rapid.Bool().Draw(t, "set-search") {
		search = nameGen.Draw(t, "search")
		if names := mc.names(acct); len(names) > 0 && rapid.Bool().Draw(t, "search-existing") {
			n := rapid.SampledFrom(names).Draw(t, "search-name")
			from := rapid.IntRange(0, len(n)).Draw(t, "search-from")
			search = n[from:rapid.IntRange(from, len(n)).Draw(t, "search-to")]
		}
		q.Set("search", search)
	}
	if rapid.IntRange(0, 9).Draw(t, "valid-query") == 0 {
		switch rapid.SampledFrom([]string{"page0", "page101", "per_page0", "per_page101", "page-abc", "long-search"}).Draw(t, "invalid-query") {
		case "page0":
			q.Set("page", "0")
			badPath = []string{"query", "page"}
		case "page101":
			q.Set("page", "101")
			badPath = []string{"query", "page"}
		case "per_page0":
			q.Set("per_page", "0")
			badPath = []string{"query", "per_page"}
		case "per_page101":
			q.Set("per_page", "101")
			badPath = []string{"query", "per_page"}
		case "page-abc":
			q.Set("page", "abc")
			badPath = []string{"query", "page"}
		case "long-search":
			q.Set("search", strings.Repeat("a", 257))
			badPath = []string{"query", "search"}
		}
	}
	r := mc.e.send(t, http.MethodGet, tokensPath(acct), q.Encode(), auth, "", nil)
	env := decode(t, r)
	switch {
	case !authorized(auth, true):
		wantAuthRefused(t, r, env, auth, true)
	case badPath != nil:
		wantError(t, r, env, http.StatusBadRequest, codeValidation, badPath)
	default:
		if r.status != http.StatusOK {
			t.Fatalf("list: status %d: %s", r.status, r.body)
		}
		wantValidRequest(t, r)
		var got []wireToken
		if err := json.Unmarshal(env.Result, &got); err != nil || got == nil {
			t.Fatalf("list: result is not an array: %s", env.Result)
		}
		a := mc.m.acct(acct)
		ids, total := a.listPage(search, page, perPage)
		var gotIDs []string
		for _, g := range got {
			gotIDs = append(gotIDs, g.ID)
		}
		if !slices.Equal(gotIDs, ids) {
			t.Fatalf("list ?%s: ids %v, model %v", q.Encode(), gotIDs, ids)
		}
		for i, g := range got {
			sameToken(t, "list", g, a.get(ids[i]))
		}
		ri := env.ResultInfo
		if ri == nil || ri.Page != page || ri.PerPage != perPage || ri.Count != len(ids) || ri.TotalCount != total {
			t.Fatalf("list ?%s: result_info %+v, model page %d per_page %d count %d total %d", q.Encode(), ri, page, perPage, len(ids), total)
		}
	}
}

func (mc *machine) names(acct string) []string {
	var out []string
	for _, id := range mc.m.acct(acct).order {
		if n := mc.m.acct(acct).get(id).name; n != "" {
			out = append(out, n)
		}
	}
	return out
}

// invariant: the emulator's store holds exactly the model's registrations
// (in order, with the instances that use them), instances and API tokens,
// and each registration's credential works or not as the model says.
func (mc *machine) invariant(t *rapid.T) {
	for _, acct := range mc.accts {
		stored := mc.e.srv.Tokens(acct)
		a := mc.m.acct(acct)
		var ids []string
		for _, s := range stored {
			ids = append(ids, s.ID)
			m := a.get(s.ID)
			if m == nil || s.Name != m.name || s.CfAPIID != m.cfAPIID || s.Legacy != m.legacy || !slices.Equal(slices.Sorted(slices.Values(s.InUseBy)), a.inUseBy(s.ID)) {
				t.Fatalf("account %s: stored %+v disagrees with the model %+v (in use by %v)", acct, s, m, a.inUseBy(s.ID))
			}
			want := mc.m.credential(acct, m.cfAPIID, m.key)
			got := mc.e.srv.CredentialWorks(acct, s.ID)
			if (got == nil) != (want == nil) || want != nil && !errors.Is(got, want) {
				t.Fatalf("account %s: CredentialWorks(%s) = %v, the model says %v", acct, s.ID, got, want)
			}
		}
		if !slices.Equal(ids, a.order) {
			t.Fatalf("account %s: stored ids %v, model %v", acct, ids, a.order)
		}
		mc.instancesInvariant(t, acct)
	}
	for _, owner := range mc.owners() {
		stored := mc.e.srv.APITokens(owner)
		want := mc.m.apiTokensOf(owner)
		if len(stored) != len(want) {
			t.Fatalf("owner %s: %d API tokens, the model has %d", owner, len(stored), len(want))
		}
		for i, s := range stored {
			w := want[i]
			status := map[bool]string{false: "active", true: "disabled"}[w.disabled]
			if s.ID != w.id || s.AccountID != owner || s.Name != w.name || s.Status != status || len(s.Policies) != 1 || len(s.Policies[0].PermissionGroups) != w.groups {
				t.Fatalf("owner %s: stored API token %+v disagrees with the model %+v", owner, s, w)
			}
			if !mc.e.srv.ValueMatches(w.id, w.value) {
				t.Fatalf("API token %s: its value is not the model's", w.id)
			}
		}
	}
	for _, rv := range mc.m.revoked {
		if !mc.e.srv.ValueRevoked(rv.value) {
			t.Fatal("a value the model revoked is not revoked")
		}
	}
}

// wantAuthRefused: the answer of a family (AI Search, or the API token
// operations) to a scheme it refuses.
func wantAuthRefused(t *rapid.T, r reply, env wireEnvelope, auth authScheme, aiSearch bool) {
	t.Helper()
	status, code := authRefusal(auth, aiSearch)
	wantError(t, r, env, status, code, nil)
}

func wantError(t *rapid.T, r reply, env wireEnvelope, status, code int, path []string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, model says %d (code %d at %v): %s", r.status, status, code, path, r.body)
	}
	if len(env.Errors) == 0 {
		t.Fatalf("status %d without errors: %s", r.status, r.body)
	}
	found := path == nil
	for _, e := range env.Errors {
		if e.Code != code {
			t.Fatalf("status %d: error code %d, model says %d: %s", r.status, e.Code, code, r.body)
		}
		found = found || slices.Equal(e.Path, path)
	}
	if !found {
		t.Fatalf("status %d: no error at %v: %s", r.status, path, r.body)
	}
}

// wantValidRequest: a request the model calls valid must be valid for the
// contract too (else model and spec disagree).
func wantValidRequest(t *rapid.T, r reply) {
	t.Helper()
	if len(r.checked.Request) > 0 || len(r.checked.Provoked) > 0 {
		t.Fatalf("the model took the request for valid, the contract did not: %v %v", r.checked.Request, r.checked.Provoked)
	}
}

func resultToken(t *rapid.T, env wireEnvelope) wireToken {
	t.Helper()
	var tk wireToken
	if err := json.Unmarshal(env.Result, &tk); err != nil {
		t.Fatalf("result is not a token: %s", env.Result)
	}
	return tk
}

func parseTime(t *rapid.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("timestamp %q: %v", s, err)
	}
	return ts
}

// sameToken compares a token on the wire with the model's. created_by and
// modified_by are null (the emulator does not know users); enabled is true
// (the API cannot change it).
func sameToken(t *rapid.T, op string, got wireToken, want *mtoken) {
	t.Helper()
	bad := func(field string, g, w any) { t.Fatalf("%s %s: %s is %v, model says %v", op, want.id, field, g, w) }
	switch {
	case got.ID != want.id:
		bad("id", got.ID, want.id)
	case got.Name != want.name:
		bad("name", got.Name, want.name)
	case got.CfAPIID != want.cfAPIID:
		bad("cf_api_id", got.CfAPIID, want.cfAPIID)
	case got.Legacy == nil || *got.Legacy != want.legacy:
		bad("legacy", fmt.Sprint(got.Legacy), want.legacy)
	case got.Enabled == nil || !*got.Enabled:
		bad("enabled", fmt.Sprint(got.Enabled), true)
	case got.CreatedBy != nil || got.ModifiedBy != nil:
		bad("created_by/modified_by", fmt.Sprint(got.CreatedBy, got.ModifiedBy), "null")
	case !parseTime(t, got.CreatedAt).Equal(want.createdAt):
		bad("created_at", got.CreatedAt, want.createdAt)
	case !parseTime(t, got.ModifiedAt).Equal(want.modifiedAt):
		bad("modified_at", got.ModifiedAt, want.modifiedAt)
	}
}
