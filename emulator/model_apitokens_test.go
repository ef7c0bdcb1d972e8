package emulator_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"pgregory.net/rapid"

	"github.com/go-aisearch/tokens/emulator"
)

// The Cloudflare API token actions of the model-based test: both owners
// (the user and each account), create, get, update (name, status, groups),
// roll, delete, verify and list, with the configured credential, issued
// values and bad credentials.

// unknownGroup is an id the permission group catalogue lacks.
const unknownGroup = "00000000000000000000000000000000"

func (mc *machine) owners() []string { return []string{userOwner, mc.accts[0], mc.accts[1]} }

func (mc *machine) drawOwner(t *rapid.T) string {
	return rapid.SampledFrom(mc.owners()).Draw(t, "owner")
}

func apiTokensPath(owner string) string {
	if owner == userOwner {
		return "/user/tokens"
	}
	return "/accounts/" + owner + "/tokens"
}

// drawAPITokenID picks a token id: one of the owner's, another owner's, a
// deleted one, or one never issued.
func (mc *machine) drawAPITokenID(t *rapid.T, owner string) string {
	var own, others, deleted []string
	for id, tok := range mc.m.apiTokens {
		if tok.owner == owner {
			own = append(own, id)
		} else {
			others = append(others, id)
		}
	}
	for id := range mc.m.deletedAPI {
		deleted = append(deleted, id)
	}
	kinds := []string{"fresh"}
	for kind, ids := range map[string][]string{"own": own, "other": others, "deleted": deleted} {
		if len(ids) > 0 {
			kinds = append(kinds, kind)
			if kind == "own" {
				kinds = append(kinds, kind, kind)
			}
		}
	}
	slices.Sort(kinds)
	switch rapid.SampledFrom(kinds).Draw(t, "api-id-kind") {
	case "own":
		return rapid.SampledFrom(sorted(own)).Draw(t, "api-id")
	case "other":
		return rapid.SampledFrom(sorted(others)).Draw(t, "api-id")
	case "deleted":
		return rapid.SampledFrom(sorted(deleted)).Draw(t, "api-id")
	}
	return rapid.StringMatching(`[0-9a-f]{32}`).Draw(t, "api-id")
}

func sorted(s []string) []string { slices.Sort(s); return s }

// apiTokenBody is a create or update body: a name and one policy whose
// groups are the AI Search ones, maybe with an unknown one among them.
type apiTokenBody struct {
	raw       []byte
	name      string
	groups    int
	status    string // "", active or disabled (update only)
	unknownAt int    // index of the unknown group, or -1
}

func drawAPITokenBody(t *rapid.T, account string, update bool) apiTokenBody {
	b := apiTokenBody{name: nameGen.Draw(t, "api-name"), unknownAt: -1}
	groups := []map[string]string{{"id": emulator.AISearchIndexEngineGroupID}}
	if rapid.Bool().Draw(t, "r2-group") {
		groups = append(groups, map[string]string{"id": emulator.WorkersR2StorageWriteGroupID})
	}
	if rapid.IntRange(0, 9).Draw(t, "unknown-group") == 0 {
		b.unknownAt = rapid.IntRange(0, len(groups)).Draw(t, "unknown-at")
		groups = slices.Insert(groups, b.unknownAt, map[string]string{"id": unknownGroup})
	}
	b.groups = len(groups)
	fields := map[string]any{"name": b.name, "policies": []any{map[string]any{
		"effect": "allow", "permission_groups": groups,
		"resources": map[string]string{"com.cloudflare.api.account." + account: "*"},
	}}}
	if update {
		b.status = rapid.SampledFrom([]string{"", "active", "disabled"}).Draw(t, "api-status")
		if b.status != "" {
			fields["status"] = b.status
		}
	}
	b.raw, _ = json.Marshal(fields)
	return b
}

type wireAPIToken struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	IssuedOn string `json:"issued_on"`
	Value    string `json:"value"`
	Policies []struct {
		PermissionGroups []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"permission_groups"`
	} `json:"policies"`
}

func resultAPIToken(t *rapid.T, env wireEnvelope) wireAPIToken {
	t.Helper()
	var tk wireAPIToken
	if err := json.Unmarshal(env.Result, &tk); err != nil {
		t.Fatalf("result is not an API token: %s", env.Result)
	}
	return tk
}

// sameAPIToken compares a token on the wire with the model's.
func sameAPIToken(t *rapid.T, op string, got wireAPIToken, want *mapitoken) {
	t.Helper()
	status := map[bool]string{false: "active", true: "disabled"}[want.disabled]
	if got.ID != want.id || got.Name != want.name || got.Status != status || len(got.Policies) != 1 || len(got.Policies[0].PermissionGroups) != want.groups {
		t.Fatalf("%s: API token %+v, the model says %+v", op, got, want)
	}
	if got.Value != "" && op != "create" {
		t.Fatalf("%s: the answer carries the value", op)
	}
}

func (mc *machine) createAPIToken(t *rapid.T) {
	owner, auth := mc.drawOwner(t), drawAuth(t)
	b := drawAPITokenBody(t, mc.accts[0], false)
	r := mc.e.send(t, http.MethodPost, apiTokensPath(owner), "", auth, "application/json", b.raw)
	env := decode(t, r)
	switch {
	case !authorized(auth, false):
		wantAuthRefused(t, r, env, auth, false)
	case b.unknownAt >= 0:
		wantError(t, r, env, http.StatusBadRequest, codeValidation, []string{"body", "policies", "0", "permission_groups", strconv.Itoa(b.unknownAt), "id"})
	default:
		if r.status != http.StatusOK {
			t.Fatalf("create API token: status %d, want 200: %s", r.status, r.body)
		}
		wantValidRequest(t, r)
		got := resultAPIToken(t, env)
		if _, taken := mc.m.apiTokens[got.ID]; taken || mc.m.deletedAPI[got.ID] || len(got.Value) != 40 {
			t.Fatalf("create API token: id %s reused, or a value of %d characters", got.ID, len(got.Value))
		}
		tok := &mapitoken{id: got.ID, owner: owner, name: b.name, value: got.Value, groups: b.groups, issuedOn: parseTime(t, got.IssuedOn)}
		sameAPIToken(t, "create", got, tok)
		mc.m.apiTokens[tok.id] = tok
	}
}

// owned is the owner's token id, or nil.
func (mc *machine) owned(owner, id string) *mapitoken {
	if tok := mc.m.apiTokens[id]; tok != nil && tok.owner == owner {
		return tok
	}
	return nil
}

func (mc *machine) getAPIToken(t *rapid.T) {
	owner, auth := mc.drawOwner(t), drawAuth(t)
	id := mc.drawAPITokenID(t, owner)
	r := mc.e.send(t, http.MethodGet, apiTokensPath(owner)+"/"+id, "", auth, "", nil)
	env := decode(t, r)
	want := mc.owned(owner, id)
	switch {
	case !authorized(auth, false):
		wantAuthRefused(t, r, env, auth, false)
	case want == nil:
		wantError(t, r, env, http.StatusNotFound, codeNotFound, []string{"path", "token_id"})
	default:
		if r.status != http.StatusOK {
			t.Fatalf("get API token: status %d: %s", r.status, r.body)
		}
		sameAPIToken(t, "get", resultAPIToken(t, env), want)
	}
}

func (mc *machine) updateAPIToken(t *rapid.T) {
	owner, auth := mc.drawOwner(t), drawAuth(t)
	id := mc.drawAPITokenID(t, owner)
	b := drawAPITokenBody(t, mc.accts[0], true)
	r := mc.e.send(t, http.MethodPut, apiTokensPath(owner)+"/"+id, "", auth, "application/json", b.raw)
	env := decode(t, r)
	cur := mc.owned(owner, id)
	switch {
	case !authorized(auth, false):
		wantAuthRefused(t, r, env, auth, false)
	case cur == nil:
		wantError(t, r, env, http.StatusNotFound, codeNotFound, []string{"path", "token_id"})
	case b.unknownAt >= 0:
		wantError(t, r, env, http.StatusBadRequest, codeValidation, []string{"body", "policies", "0", "permission_groups", strconv.Itoa(b.unknownAt), "id"})
	default:
		if r.status != http.StatusOK {
			t.Fatalf("update API token: status %d: %s", r.status, r.body)
		}
		next := *cur
		next.name, next.groups = b.name, b.groups
		if b.status != "" {
			next.disabled = b.status == "disabled"
		}
		sameAPIToken(t, "update", resultAPIToken(t, env), &next)
		*cur = next
	}
}

func (mc *machine) rollAPIToken(t *rapid.T) {
	owner, auth := mc.drawOwner(t), drawAuth(t)
	id := mc.drawAPITokenID(t, owner)
	r := mc.e.send(t, http.MethodPut, apiTokensPath(owner)+"/"+id+"/value", "", auth, "application/json", []byte(`{}`))
	env := decode(t, r)
	cur := mc.owned(owner, id)
	switch {
	case !authorized(auth, false):
		wantAuthRefused(t, r, env, auth, false)
	case cur == nil:
		wantError(t, r, env, http.StatusNotFound, codeNotFound, []string{"path", "token_id"})
	default:
		var value string
		if r.status != http.StatusOK || json.Unmarshal(env.Result, &value) != nil || len(value) != 40 || value == cur.value {
			t.Fatalf("roll: status %d: %s", r.status, r.body)
		}
		mc.m.revoke(cur.value, id)
		cur.value = value
	}
}

func (mc *machine) deleteAPIToken(t *rapid.T) {
	owner, auth := mc.drawOwner(t), drawAuth(t)
	id := mc.drawAPITokenID(t, owner)
	r := mc.e.send(t, http.MethodDelete, apiTokensPath(owner)+"/"+id, "", auth, "", nil)
	env := decode(t, r)
	cur := mc.owned(owner, id)
	switch {
	case !authorized(auth, false):
		wantAuthRefused(t, r, env, auth, false)
	case cur == nil:
		wantError(t, r, env, http.StatusNotFound, codeNotFound, []string{"path", "token_id"})
	default:
		var res struct{ ID string }
		if r.status != http.StatusOK || json.Unmarshal(env.Result, &res) != nil || res.ID != id {
			t.Fatalf("delete API token: status %d: %s", r.status, r.body)
		}
		mc.m.revoke(cur.value, id)
		delete(mc.m.apiTokens, id)
		mc.m.deletedAPI[id] = true
	}
}

// verifyAPIToken answers for the bearer token itself: an issued value on
// its owner's path while the token is active, the configured credential on
// the user's path; a revoked value never.
func (mc *machine) verifyAPIToken(t *rapid.T) {
	owner := mc.drawOwner(t)
	var live, revoked []string // in the order of token ids and of revocation, not of the random values
	for _, id := range slices.Sorted(maps.Keys(mc.m.apiTokens)) {
		live = append(live, mc.m.apiTokens[id].value)
	}
	for _, rv := range mc.m.revoked {
		revoked = append(revoked, rv.value)
	}
	kinds := []string{"configured", "other"}
	if len(live) > 0 {
		kinds = append(kinds, "live", "live")
	}
	if len(revoked) > 0 {
		kinds = append(kinds, "revoked")
	}
	auth, wantID := drawAuth(t), ""
	switch rapid.SampledFrom(kinds).Draw(t, "verify-with") {
	case "live":
		v := live[rapid.IntRange(0, len(live)-1).Draw(t, "live-value#")]
		auth = asValue(v)
		for _, tok := range mc.m.apiTokens {
			if tok.value == v && tok.owner == owner && !tok.disabled {
				wantID = tok.id
			}
		}
	case "revoked":
		auth = asValue(revoked[rapid.IntRange(0, len(revoked)-1).Draw(t, "revoked-value#")])
	case "configured":
		auth = authBearer
	}
	if authorized(auth, false) && owner == userOwner { // the configured credential
		wantID = "configured"
	}
	r := mc.e.send(t, http.MethodGet, apiTokensPath(owner)+"/verify", "", auth, "", nil)
	env := decode(t, r)
	if status, code := authRefusal(auth, false); wantID == "" && status != 0 && !strings.HasPrefix(string(auth), "value:") {
		wantError(t, r, env, status, code, nil) // no usable credential, or one that does not work
		return
	}
	if wantID == "" { // a value, or the configured credential, this path does not verify
		wantError(t, r, env, http.StatusUnauthorized, codeInvalidAPIToken, nil)
		return
	}
	var res struct{ ID, Status string }
	if r.status != http.StatusOK || json.Unmarshal(env.Result, &res) != nil || res.Status != "active" || wantID != "configured" && res.ID != wantID {
		t.Fatalf("verify: status %d: %s, want id %s", r.status, r.body, wantID)
	}
}

func (mc *machine) listAPITokens(t *rapid.T) {
	owner, auth := mc.drawOwner(t), drawAuth(t)
	q := url.Values{}
	page, perPage, desc := 1, 20, false
	if rapid.Bool().Draw(t, "set-page") {
		page = rapid.IntRange(1, 3).Draw(t, "page")
		q.Set("page", strconv.Itoa(page))
	}
	if rapid.Bool().Draw(t, "set-per-page") {
		n := rapid.IntRange(5, 7).Draw(t, "per_page")
		q.Set("per_page", strconv.Itoa(n))
		perPage = n
	}
	if rapid.Bool().Draw(t, "set-direction") {
		desc = rapid.Bool().Draw(t, "desc")
		q.Set("direction", map[bool]string{false: "asc", true: "desc"}[desc])
	}
	r := mc.e.send(t, http.MethodGet, apiTokensPath(owner), q.Encode(), auth, "", nil)
	env := decode(t, r)
	if !authorized(auth, false) {
		wantAuthRefused(t, r, env, auth, false)
		return
	}
	var got []wireAPIToken
	if r.status != http.StatusOK || json.Unmarshal(env.Result, &got) != nil || got == nil {
		t.Fatalf("list API tokens: status %d: %s", r.status, r.body)
	}
	all := mc.m.apiTokensOf(owner)
	if desc {
		slices.Reverse(all)
	}
	var ids []string
	for _, tok := range all {
		ids = append(ids, tok.id)
	}
	want, total := pageOf(ids, page, perPage)
	var gotIDs []string
	for _, g := range got {
		gotIDs = append(gotIDs, g.ID)
	}
	ri := env.ResultInfo
	if !slices.Equal(gotIDs, want) || ri == nil || ri.Page != page || ri.PerPage != perPage || ri.Count != len(want) || ri.TotalCount != total {
		t.Fatalf("list API tokens ?%s: %v %+v, the model says %v (total %d)", q.Encode(), gotIDs, ri, want, total)
	}
	for i, g := range got {
		sameAPIToken(t, "list", g, mc.m.apiTokens[want[i]])
	}
}
