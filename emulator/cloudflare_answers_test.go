package emulator_test

// Issue 16: the emulator answers as Cloudflare does, one test per row of
// the table (and of its "also" paragraph). The codes, messages,
// group ids and resources are written as numbers and strings, as
// Cloudflare's docs give them, not as the emulator's constants: these tests
// say what the answer must be, whatever the emulator calls it. Every
// operation of openapi.yaml is read from the spec, so an operation added
// later (AI Search instances, jobs, namespaces) is held to the same rows.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/testsupport"
	"github.com/go-aisearch/tokens/spec"
)

// The permission groups, by their ids (Cloudflare's for the API token
// groups; the emulator's chosen ones for AI Search).
const (
	grpAISearchIndexEngine   = "9e9b428a0bcd46fd80e580b46a69963c"
	grpAPITokensRead         = "0cc3a61731504c89b99ec1be78b77aa0"
	grpAPITokensWrite        = "686d18d5ac6c441c867cbf6771e58a0a"
	grpAccountAPITokensRead  = "eb56a6953c034b9d97dd838155666f06"
	grpAccountAPITokensWrite = "5bc3f8b21c554832afc660159ab75fa4"
	grpAISearchEdit          = "d5e2279219a989b1f7e8d23c5a056e8c"
	grpAISearchRead          = "ed7b829c017ee48a0e5bd57c708020c9"
	// userResource is the emulator's user, as a policy names it.
	userResource = "com.cloudflare.api.user.7c5dae5552338874e5053f2534d2767a"
)

// answer is one response, decoded as far as these tests look.
type answer struct {
	status int
	raw    map[string]json.RawMessage
	errors []struct {
		Code       int    `json:"code"`
		Message    string `json:"message"`
		ErrorChain []struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error_chain"`
	}
	body string
}

// call sends one request to ts (path below /client/v4) with headers h and
// body (a JSON body when non-empty).
func call(t *testing.T, ts *emulator.TestServer, method, path, body string, h map[string]string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.BaseURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h {
		req.Header[k] = []string{v}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, body: string(data)}
	if err := json.Unmarshal(data, &a.raw); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, data)
	}
	if e, ok := a.raw["errors"]; ok {
		_ = json.Unmarshal(e, &a.errors)
	}
	return a
}

// is reports whether a is the failure status with one error of code and
// message (any message when msg is "").
func (a answer) is(status, code int, msg string) bool {
	return a.status == status && len(a.errors) == 1 && a.errors[0].Code == code && (msg == "" || a.errors[0].Message == msg)
}

func auth(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// op is one operation of openapi.yaml, with a path to call it on.
type op struct {
	method, tmpl, path, id string
	body                   bool
}

// operations reads every operation from the spec and fills its path
// parameters: the account, a token id, a uuid for anything else.
func operations(t *testing.T, account string) []op {
	t.Helper()
	doc, err := spec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	var out []op
	for _, tmpl := range doc.Paths.InMatchingOrder() {
		for method, o := range doc.Paths.Value(tmpl).Operations() {
			path := param.ReplaceAllStringFunc(tmpl, func(p string) string {
				switch p {
				case "{account_id}":
					return account
				case "{token_id}":
					return "ed17574386854bf78a67040be0a770b0"
				}
				return "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
			})
			out = append(out, op{method: method, tmpl: tmpl, path: path, id: o.OperationID, body: o.RequestBody != nil})
		}
	}
	if len(out) < 21 {
		t.Fatalf("%d operations in the spec, want at least 21", len(out))
	}
	return out
}

func (o op) aiSearch() bool { return strings.Contains(o.tmpl, "/ai-search/") }
func (o op) verify() bool   { return strings.HasSuffix(o.tmpl, "/verify") }

func (o op) send(t *testing.T, ts *emulator.TestServer, h map[string]string) answer {
	t.Helper()
	body := ""
	if o.body {
		body = "{}"
	}
	return call(t, ts, o.method, o.path, body, h)
}

// policy grants groups on resources.
func policy(effect string, groups []string, resources ...string) generated.Policy {
	p := generated.Policy{Effect: generated.PolicyEffect(effect), Resources: generated.APITokenResources{}}
	for _, g := range groups {
		p.PermissionGroups = append(p.PermissionGroups, generated.PolicyPermissionGroup{ID: g})
	}
	for _, r := range resources {
		p.Resources[r] = "*"
	}
	return p
}

// seedToken seeds a user API token with value and policies.
func seedToken(ts *emulator.TestServer, id, value string, policies ...generated.Policy) {
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: id, Name: "token " + id[:6], Value: value, Policies: policies})
}

// answersServer is a TestServer whose catalogue has the groups these
// tests name (built in since issue 16; given here too so that the tests
// run as they are against older code).
func answersServer(t *testing.T, opts ...emulator.Option) *emulator.TestServer {
	t.Helper()
	groups := []emulator.PermissionGroup{
		{ID: grpAPITokensRead, Name: "API Tokens Read"}, {ID: grpAPITokensWrite, Name: "API Tokens Write"},
		{ID: grpAccountAPITokensRead, Name: "Account API Tokens Read"}, {ID: grpAccountAPITokensWrite, Name: "Account API Tokens Write"},
		{ID: grpAISearchEdit, Name: "AI Search Edit"}, {ID: grpAISearchRead, Name: "AI Search Read"},
	}
	return emulator.NewTestServer(t, append([]emulator.Option{emulator.WithPermissionGroups(groups...)}, opts...)...)
}

// Row: an AI Search operation with a wrong or unknown credential gets 401,
// code 10000 "Authentication error" (a bearer, or the legacy pair); the API
// token operations answer 401, code 1000 "Invalid API Token".
func TestBadCredentialIs401(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	for _, o := range operations(t, ts.AccountID) {
		a := o.send(t, ts, auth("not-a-token-of-this-emulator"))
		code, msg := 1000, "Invalid API Token"
		if o.aiSearch() {
			code, msg = 10000, "Authentication error"
		}
		if !a.is(401, code, msg) {
			t.Errorf("%s %s with an unknown token: %d %s, want 401 code %d", o.method, o.tmpl, a.status, a.body, code)
		}
		if o.aiSearch() {
			wrongKey := map[string]string{"X-Auth-Email": ts.APIEmail, "X-Auth-Key": "not-the-key"}
			if a := o.send(t, ts, wrongKey); !a.is(401, 10000, "Authentication error") {
				t.Errorf("%s %s with a wrong key: %d %s, want 401 code 10000", o.method, o.tmpl, a.status, a.body)
			}
		}
	}
}

// Row: an unknown registration id on get, put and delete is 404, code 7075
// token_not_found.
func TestUnknownRegistrationIs7075(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	seedToken(ts, "00000000000000000000a1b2c3d4e5f6", "abc123")
	path := "/accounts/" + ts.AccountID + "/ai-search/tokens/" + uuid.NewString()
	for _, m := range []string{"GET", "PUT", "DELETE"} {
		body := ""
		if m == "PUT" {
			body = `{"name":"n","cf_api_id":"00000000000000000000a1b2c3d4e5f6","cf_api_key":"abc123"}`
		}
		if a := call(t, ts, m, path, body, auth(ts.APIToken)); !a.is(404, 7075, "token_not_found") {
			t.Errorf("%s of an unknown registration: %d %s", m, a.status, a.body)
		}
	}
}

// Row: deleting a registration in use is 409, code 7076
// token_in_use_by_instances.
func TestDeleteInUseIs7076(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	id := uuid.NewString()
	ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "svc", CfAPIID: "00000000000000000000a1b2c3d4e5f6", CfAPIKey: "abc123", InUseBy: []string{"docs"}})
	if a := call(t, ts, "DELETE", "/accounts/"+ts.AccountID+"/ai-search/tokens/"+id, "", auth(ts.APIToken)); !a.is(409, 7076, "token_in_use_by_instances") {
		t.Errorf("delete in use: %d %s", a.status, a.body)
	}
}

// Row: registering a credential that does not work is 400, code 7012
// ai_search_instance_invalid_token, on create and update; an unknown
// cf_api_id included. The live token's current value registers.
func TestUnusableCredentialIs7012(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	seedToken(ts, "00000000000000000000a1b2c3d4e5f6", "abc123")
	base := "/accounts/" + ts.AccountID + "/ai-search/tokens"
	good := call(t, ts, "POST", base, `{"name":"svc","cf_api_id":"00000000000000000000a1b2c3d4e5f6","cf_api_key":"abc123"}`, auth(ts.APIToken))
	var created struct {
		Result struct{ ID string } `json:"result"`
	}
	if good.status != 201 || json.Unmarshal([]byte(good.body), &created) != nil {
		t.Fatalf("register the live token: %d %s", good.status, good.body)
	}
	for what, body := range map[string]string{
		"an unknown cf_api_id": `{"name":"svc","cf_api_id":"0123456789ab","cf_api_key":"abc123"}`,
		"a wrong key":          `{"name":"svc","cf_api_id":"00000000000000000000a1b2c3d4e5f6","cf_api_key":"not-its-value"}`,
	} {
		if a := call(t, ts, "POST", base, body, auth(ts.APIToken)); !a.is(400, 7012, "ai_search_instance_invalid_token") {
			t.Errorf("create with %s: %d %s", what, a.status, a.body)
		}
		if a := call(t, ts, "PUT", base+"/"+created.Result.ID, body, auth(ts.APIToken)); !a.is(400, 7012, "ai_search_instance_invalid_token") {
			t.Errorf("update with %s: %d %s", what, a.status, a.body)
		}
	}
}

// Row: the AI Search error envelope is {"success":false,"errors":[...],
// "result":{}}, without messages: every failure of the family, the route's
// 404 and 405 and the rate limit included. The API token operations keep
// Cloudflare's common failure envelope (messages [], result null).
func TestAISearchErrorEnvelope(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	base := "/accounts/" + ts.AccountID + "/ai-search/tokens"
	aiSearch := map[string]answer{
		"404 code 7075":     call(t, ts, "GET", base+"/"+uuid.NewString(), "", auth(ts.APIToken)),
		"400 validation":    call(t, ts, "GET", base+"?per_page=101", "", auth(ts.APIToken)),
		"401":               call(t, ts, "GET", base, "", auth("nope")),
		"400 no credential": call(t, ts, "GET", base, "", nil),
		"404 no route":      call(t, ts, "GET", "/accounts/"+ts.AccountID+"/ai-search/nowhere", "", auth(ts.APIToken)),
		"405":               call(t, ts, "PATCH", base, "", auth(ts.APIToken)),
		"429":               call(t, ts, "GET", base, "", map[string]string{"Authorization": "Bearer " + ts.APIToken, emulator.FaultHeader: "429"}),
	}
	for what, a := range aiSearch {
		_, hasMessages := a.raw["messages"]
		if a.status < 400 || string(a.raw["success"]) != "false" || string(a.raw["result"]) != "{}" || hasMessages || len(a.errors) == 0 {
			t.Errorf("AI Search %s: %d %s, want {success:false, errors, result:{}} without messages", what, a.status, a.body)
		}
	}
	a := call(t, ts, "GET", "/user/tokens/"+"ed17574386854bf78a67040be0a770b0", "", auth(ts.APIToken))
	if a.status != 404 || string(a.raw["result"]) != "null" || string(a.raw["messages"]) != "[]" {
		t.Errorf("API token 404: %d %s, want messages [] and result null", a.status, a.body)
	}
}

// Row: verify with a valid token answers messages [{code 10000, "This API
// Token is valid and active", type null}].
func TestVerifyValidMessage(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	seedToken(ts, "0123456789abcdef0123456789abcdef", "a-live-token-value")
	for _, tok := range []string{"a-live-token-value", ts.APIToken} {
		a := call(t, ts, "GET", "/user/tokens/verify", "", auth(tok))
		if a.status != 200 || string(a.raw["messages"]) != `[{"code":10000,"message":"This API Token is valid and active","type":null}]` {
			t.Errorf("verify: %d %s", a.status, a.body)
		}
	}
}

// Row: verify with an unknown, deleted or rolled-away token, or with an
// account-owned token at /user/tokens/verify, is 401, code 1000 "Invalid
// API Token", result null.
func TestVerifyInvalidIs401(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	seedToken(ts, "0123456789abcdef0123456789abcdef", "rolled-away-value")
	seedToken(ts, "00000000000000000000000000000002", "deleted-token-value")
	ts.SeedAPITokens(ts.AccountID, emulator.SeedAPIToken{ID: "00000000000000000000000000000003", Name: "account's", Value: "account-token-value"})
	if a := call(t, ts, "PUT", "/user/tokens/0123456789abcdef0123456789abcdef/value", "{}", auth(ts.APIToken)); a.status != 200 {
		t.Fatalf("roll: %d %s", a.status, a.body)
	}
	if a := call(t, ts, "DELETE", "/user/tokens/00000000000000000000000000000002", "", auth(ts.APIToken)); a.status != 200 {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}
	for what, tok := range map[string]string{"unknown": "never-issued", "rolled away": "rolled-away-value",
		"deleted": "deleted-token-value", "account-owned": "account-token-value"} {
		a := call(t, ts, "GET", "/user/tokens/verify", "", auth(tok))
		if !a.is(401, 1000, "Invalid API Token") || string(a.raw["result"]) != "null" {
			t.Errorf("verify a %s token at /user/tokens/verify: %d %s", what, a.status, a.body)
		}
	}
	if a := call(t, ts, "GET", "/accounts/"+ts.AccountID+"/tokens/verify", "", auth("account-token-value")); a.status != 200 {
		t.Errorf("the account's token at its own verify: %d %s", a.status, a.body)
	}
}

// Row: any operation with no credential at all is 400, code 9106 "Missing
// X-Auth-Key, X-Auth-Email or Authorization headers".
func TestNoCredentialIs9106(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	for _, o := range operations(t, ts.AccountID) {
		if a := o.send(t, ts, nil); !a.is(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers") {
			t.Errorf("%s %s without a credential: %d %s", o.method, o.tmpl, a.status, a.body)
		}
	}
}

// Row: a malformed Authorization header (empty bearer, another scheme,
// stray spaces) is 400, code 6003 "Invalid request headers", with
// error_chain [{6111, "Invalid format for Authorization header"}], on any
// operation. (Spaces before or after the whole value never reach a
// handler: HTTP servers drop them, RFC 9110's optional whitespace.)
func TestMalformedAuthorizationIs6003(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	for _, o := range operations(t, ts.AccountID) {
		for _, h := range []string{"Bearer ", "Bearer", "Basic " + ts.APIToken, "Bearer  " + ts.APIToken, "Bearer " + ts.APIToken + " x", "Token " + ts.APIToken} {
			a := o.send(t, ts, map[string]string{"Authorization": h})
			if !a.is(400, 6003, "Invalid request headers") || len(a.errors[0].ErrorChain) != 1 ||
				a.errors[0].ErrorChain[0].Code != 6111 || a.errors[0].ErrorChain[0].Message != "Invalid format for Authorization header" {
				t.Errorf("%s %s with Authorization %q: %d %s", o.method, o.tmpl, h, a.status, a.body)
			}
		}
	}
}

// Row: a valid token without the permission the operation needs is 403,
// code 9109 "Unauthorized to access requested resource": for example
// POST /user/tokens with only "AI Search Index Engine". Every operation but
// verify requires a group, read from the official definitions.
func TestMissingPermissionIs9109(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	seedToken(ts, "0123456789abcdef0123456789abcdef", "service-token-value",
		policy("allow", []string{grpAISearchIndexEngine}, "com.cloudflare.api.account."+ts.AccountID))
	for _, o := range operations(t, ts.AccountID) {
		a := o.send(t, ts, auth("service-token-value"))
		if o.verify() {
			if a.status != 200 && !a.is(401, 1000, "") { // the user's token at the account's verify: not its owner
				t.Errorf("%s %s: %d %s, want verify to need no permission", o.method, o.tmpl, a.status, a.body)
			}
			continue
		}
		if !a.is(403, 9109, "Unauthorized to access requested resource") {
			t.Errorf("%s %s with a token holding only AI Search Index Engine: %d %s", o.method, o.tmpl, a.status, a.body)
		}
	}
	if n := len(ts.APITokens(emulator.UserOwner)); n != 1 {
		t.Errorf("%d user tokens after the refused creates, want 1", n)
	}
}

// Row (continued): each operation requires what its official
// x-api-token-group / x-cfPermissionsRequired names, and a policy's
// resources scope it: a token for account A cannot act on B; deny wins over
// allow; Write also reads; Read does not write. The configured credentials
// stay all-powerful.
func TestPermissionsFollowPolicies(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	const other = "0123456789abcdef0123456789abcdef"
	acct := "com.cloudflare.api.account." + ts.AccountID
	tokens := map[string][]generated.Policy{
		"ai-edit":    {policy("allow", []string{grpAISearchEdit}, acct)},
		"ai-read":    {policy("allow", []string{grpAISearchRead}, acct)},
		"ai-all":     {policy("allow", []string{grpAISearchEdit}, "com.cloudflare.api.account.*")},
		"ai-denied":  {policy("allow", []string{grpAISearchEdit}, "com.cloudflare.api.account.*"), policy("deny", []string{grpAISearchEdit}, acct)},
		"user-write": {policy("allow", []string{grpAPITokensWrite}, userResource)},
		"user-read":  {policy("allow", []string{grpAPITokensRead}, userResource)},
		"acct-write": {policy("allow", []string{grpAccountAPITokensWrite}, acct)},
		"acct-read":  {policy("allow", []string{grpAccountAPITokensRead}, acct)},
		"wrong-user": {policy("allow", []string{grpAPITokensWrite}, "com.cloudflare.api.user.00000000000000000000000000000000")},
	}
	n := 0
	for name, pols := range tokens {
		n++
		seedToken(ts, fmt.Sprintf("%032x", n), "value-of-"+name, pols...)
	}
	ai := func(account string) string { return "/accounts/" + account + "/ai-search/tokens" }
	create := `{"name":"n","policies":[]}`
	for _, c := range []struct {
		token, method, path, body string
		ok                        bool
	}{
		{"ai-edit", "GET", ai(ts.AccountID), "", true},
		{"ai-edit", "POST", ai(ts.AccountID), `{"name":"n","cf_api_id":"x","cf_api_key":"y"}`, true}, // allowed, then 400 7012
		{"ai-edit", "GET", ai(other), "", false},
		{"ai-read", "GET", ai(ts.AccountID), "", true},
		{"ai-read", "DELETE", ai(ts.AccountID) + "/" + uuid.NewString(), "", false},
		{"ai-all", "GET", ai(other), "", true},
		{"ai-denied", "GET", ai(other), "", true},
		{"ai-denied", "POST", ai(ts.AccountID), `{"name":"n","cf_api_id":"x","cf_api_key":"y"}`, false},
		{"user-write", "POST", "/user/tokens", create, true},
		{"user-write", "GET", "/user/tokens", "", true},
		{"user-write", "GET", "/accounts/" + ts.AccountID + "/tokens", "", false},
		{"user-read", "GET", "/user/tokens", "", true},
		{"user-read", "GET", "/user/tokens/permission_groups", "", true},
		{"user-read", "POST", "/user/tokens", create, false},
		{"acct-write", "POST", "/accounts/" + ts.AccountID + "/tokens", create, true},
		{"acct-write", "POST", "/accounts/" + other + "/tokens", create, false},
		{"acct-write", "POST", "/user/tokens", create, false},
		{"acct-read", "GET", "/accounts/" + ts.AccountID + "/tokens", "", true},
		{"acct-read", "PUT", "/accounts/" + ts.AccountID + "/tokens/ed17574386854bf78a67040be0a770b0/value", "{}", false},
		{"wrong-user", "POST", "/user/tokens", create, false},
	} {
		a := call(t, ts, c.method, c.path, c.body, auth("value-of-"+c.token))
		if denied := a.is(403, 9109, "Unauthorized to access requested resource"); denied == c.ok || a.status == 401 {
			t.Errorf("%s: %s %s: %d %s, want allowed %v", c.token, c.method, c.path, a.status, a.body, c.ok)
		}
	}
	// The configured credential may do anything.
	if a := call(t, ts, "POST", "/accounts/"+other+"/tokens", create, auth(ts.APIToken)); a.status != 200 {
		t.Errorf("the configured credential: %d %s", a.status, a.body)
	}
}

// Row: verify from outside the token's request_ip range answers 200 (the
// docs: IP filtering is not applied to verify); elsewhere the token is
// refused with 403, code 9109, naming the address.
func TestVerifyIgnoresRequestIP(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	var cond generated.APITokenCondition
	if err := json.Unmarshal([]byte(`{"request_ip":{"in":["192.0.2.0/24"]}}`), &cond); err != nil {
		t.Fatal(err)
	}
	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "0123456789abcdef0123456789abcdef", Name: "elsewhere", Value: "elsewhere-token-value",
		Policies: []generated.Policy{policy("allow", []string{grpAPITokensWrite}, userResource)}, Condition: &cond})
	if a := call(t, ts, "GET", "/user/tokens/verify", "", auth("elsewhere-token-value")); a.status != 200 {
		t.Errorf("verify from outside request_ip: %d %s", a.status, a.body)
	}
	if a := call(t, ts, "GET", "/user/tokens", "", auth("elsewhere-token-value")); !a.is(403, 9109, "Cannot use the access token from location: 127.0.0.1") {
		t.Errorf("list from outside request_ip: %d %s", a.status, a.body)
	}
}

// Row: a create with condition {"request.ip": ...} (older clients'
// spelling) keeps the restriction, answered as request_ip, and enforced;
// a body with both spellings is refused.
func TestLegacyRequestIPIsHonoured(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	body := `{"name":"legacy","policies":[{"effect":"allow","permission_groups":[{"id":"` + grpAPITokensRead + `"}],"resources":{"` + userResource + `":"*"}}],` +
		`"condition":{"request.ip":{"in":["192.0.2.0/24"],"not_in":["192.0.2.7"]}}}`
	a := call(t, ts, "POST", "/user/tokens", body, auth(ts.APIToken))
	var created struct {
		Result struct {
			Value     string          `json:"value"`
			Condition json.RawMessage `json:"condition"`
		} `json:"result"`
	}
	if a.status != 200 || json.Unmarshal([]byte(a.body), &created) != nil ||
		string(created.Result.Condition) != `{"request_ip":{"in":["192.0.2.0/24"],"not_in":["192.0.2.7"]}}` {
		t.Fatalf("create with request.ip: %d %s", a.status, a.body)
	}
	if a := call(t, ts, "GET", "/user/tokens", "", auth(created.Result.Value)); a.status != 403 {
		t.Errorf("the restriction is not enforced: %d %s", a.status, a.body)
	}
	both := strings.Replace(body, `"condition":{`, `"condition":{"request_ip":{"in":["198.51.100.0/24"]},`, 1)
	if a := call(t, ts, "POST", "/user/tokens", both, auth(ts.APIToken)); a.status != 400 {
		t.Errorf("request.ip and request_ip both: %d %s", a.status, a.body)
	}
}

// Row: the token create response carries last_used_on: null; a use sets it
// (to the minute: many uses in one minute are one write).
func TestLastUsedOn(t *testing.T) {
	t.Parallel()
	clock := testsupport.NewClock(time.Date(2026, 5, 1, 10, 0, 42, 0, time.UTC))
	ts := answersServer(t, emulator.WithClock(clock.Now))
	a := call(t, ts, "POST", "/user/tokens", `{"name":"n","policies":[]}`, auth(ts.APIToken))
	var created struct {
		Result struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"result"`
	}
	if raw, ok := a.raw["result"]; a.status != 200 || !ok || json.Unmarshal(raw, &map[string]any{}) != nil || !strings.Contains(string(raw), `"last_used_on":null`) ||
		json.Unmarshal([]byte(a.body), &created) != nil {
		t.Fatalf("create: %d %s, want last_used_on null", a.status, a.body)
	}
	lastUsed := func() string {
		t.Helper()
		var got struct {
			Result struct {
				LastUsedOn *string `json:"last_used_on"`
			} `json:"result"`
		}
		a := call(t, ts, "GET", "/user/tokens/"+created.Result.ID, "", auth(ts.APIToken))
		if err := json.Unmarshal([]byte(a.body), &got); err != nil || got.Result.LastUsedOn == nil {
			return "null"
		}
		return *got.Result.LastUsedOn
	}
	if got := lastUsed(); got != "null" {
		t.Errorf("last_used_on before any use: %s", got)
	}
	call(t, ts, "GET", "/user/tokens/verify", "", auth(created.Result.Value))
	if got := lastUsed(); got != "2026-05-01T10:00:00Z" {
		t.Errorf("last_used_on after a use: %s, want 2026-05-01T10:00:00Z", got)
	}
	clock.Advance(3 * time.Minute)
	call(t, ts, "GET", "/user/tokens/verify", "", auth(created.Result.Value))
	if got := lastUsed(); got != "2026-05-01T10:03:00Z" {
		t.Errorf("last_used_on after a later use: %s, want 2026-05-01T10:03:00Z", got)
	}
}

// Row: a roll with no body, exactly as Cloudflare's TypeScript SDK sends it
// (client.user.tokens.value.update(id): PUT, no body, no Content-Type,
// Content-Length 0), gets 200 and a new value; so do an empty body and {}.
func TestRollWithoutBody(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	seedToken(ts, "0123456789abcdef0123456789abcdef", "the-first-value")
	last := "the-first-value"
	for what, send := range map[string]func() *http.Request{
		"no body (the TypeScript SDK)": func() *http.Request {
			r, _ := http.NewRequest("PUT", ts.BaseURL+"/user/tokens/0123456789abcdef0123456789abcdef/value", nil)
			return r
		},
		"an empty JSON body": func() *http.Request {
			r, _ := http.NewRequest("PUT", ts.BaseURL+"/user/tokens/0123456789abcdef0123456789abcdef/value", strings.NewReader(""))
			r.Header.Set("Content-Type", "application/json")
			return r
		},
		"{}": func() *http.Request {
			r, _ := http.NewRequest("PUT", ts.BaseURL+"/user/tokens/0123456789abcdef0123456789abcdef/value", strings.NewReader("{}"))
			r.Header.Set("Content-Type", "application/json")
			return r
		},
	} {
		req := send()
		req.Header.Set("Authorization", "Bearer "+ts.APIToken)
		if what == "no body (the TypeScript SDK)" && (req.Body != nil || req.Header.Get("Content-Type") != "") {
			t.Fatal("not the TypeScript SDK's request")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			Success bool   `json:"success"`
			Result  string `json:"result"`
		}
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || !env.Success || len(env.Result) != 40 || env.Result == last {
			t.Errorf("roll with %s: %d %+v %v", what, resp.StatusCode, env, err)
			continue
		}
		if !ts.ValueMatches("0123456789abcdef0123456789abcdef", env.Result) {
			t.Errorf("roll with %s: the new value is not the token's", what)
		}
		last = env.Result
	}
}

// Also: the 405 does not use 7001, which Cloudflare documents as "Internal
// Error".
func TestMethodNotAllowedIsNot7001(t *testing.T) {
	t.Parallel()
	ts := answersServer(t)
	a := call(t, ts, "PATCH", "/accounts/"+ts.AccountID+"/ai-search/tokens", "", auth(ts.APIToken))
	if a.status != 405 || len(a.errors) != 1 || a.errors[0].Code == 7001 {
		t.Errorf("405: %s", a.body)
	}
}

// Also: the permission group catalogue holds the groups the operations
// need, with their real ids and scopes, and the one the official examples
// use beside Zone Read.
func TestCatalogueHasTheGroups(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	a := call(t, ts, "GET", "/user/tokens/permission_groups", "", auth(ts.APIToken))
	var env struct {
		Result []struct {
			ID     string   `json:"id"`
			Name   string   `json:"name"`
			Scopes []string `json:"scopes"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(a.body), &env); err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ id, name, scope string }{
		{grpAPITokensRead, "API Tokens Read", "com.cloudflare.api.user"},
		{grpAPITokensWrite, "API Tokens Write", "com.cloudflare.api.user"},
		{grpAccountAPITokensRead, "Account API Tokens Read", "com.cloudflare.api.account"},
		{grpAccountAPITokensWrite, "Account API Tokens Write", "com.cloudflare.api.account"},
		{"c8fed203ed3043cba015a93ad1616f1f", "Zone Read", "com.cloudflare.api.account.zone"},
		{"82e64a83756745bbbb1c9c2701bf816b", "Magic Network Monitoring", "com.cloudflare.api.account"},
		{grpAISearchIndexEngine, "AI Search Index Engine", "com.cloudflare.api.account"},
		{"bf7481a1826f439697cb59a20b22293e", "Workers R2 Storage Write", "com.cloudflare.api.account"},
	} {
		if !slices.ContainsFunc(env.Result, func(g struct {
			ID     string   `json:"id"`
			Name   string   `json:"name"`
			Scopes []string `json:"scopes"`
		}) bool {
			return g.ID == want.id && g.Name == want.name && slices.Equal(g.Scopes, []string{want.scope})
		}) {
			t.Errorf("the catalogue lacks %s %q (%s)", want.id, want.name, want.scope)
		}
	}
}
