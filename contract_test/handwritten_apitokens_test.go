package contract_test

import (
	"strings"

	"github.com/go-aisearch/tokens/contract"
)

// The hand-written fixtures of the Cloudflare API token operations:
// Cloudflare's documented examples (the examples of its published schema,
// ../shared/reference/cloudflare-api-tokens.official.json, assembled into
// whole answers), and the 4XX answers of the two operations that take no
// input the emulator could refuse (the user's verify and permission groups).
// A token's secret value is the redaction placeholder, as in a recording.

const (
	userTokensURL = "https://api.cloudflare.com/client/v4/user/tokens"
	acctTokensURL = "https://api.cloudflare.com/client/v4/accounts/" + acct + "/tokens"
	apiTokenID    = "ed17574386854bf78a67040be0a770b0" // iam_token_identifier
	deletedID     = "023e105f4ecef8ad9ca31a8372d0c353" // iam_common_components-schemas-identifier
)

// The documented examples, field by field (iam_* schemas).
const (
	docCondition = `{"request_ip":{"in":["123.123.123.0/24","2606:4700::/32"],"not_in":["123.123.123.100/24","2606:4700:4700::/48"]}}`
	docResources = `{"com.cloudflare.api.account.` + acct + `":"*"}`
	docPolicy    = `{"id":"f267e341f3dd4697bd3b9f71dd96247f","effect":"allow","permission_groups":[` +
		`{"id":"c8fed203ed3043cba015a93ad1616f1f","meta":{"label":"load_balancer_admin","scopes":"com.cloudflare.api.account"},"name":"Zone Read"},` +
		`{"id":"82e64a83756745bbbb1c9c2701bf816b","meta":{"label":"fbm_user","scopes":"com.cloudflare.api.account"},"name":"Magic Network Monitoring"}],` +
		`"resources":` + docResources + `}`
	docWindow = `"expires_on":"2020-01-01T00:00:00Z","not_before":"2018-07-01T05:20:00Z"`
	docToken  = `{"id":"` + apiTokenID + `","name":"readonly token","status":"active","issued_on":"2018-07-01T05:20:00Z","modified_on":"2018-07-02T05:20:00Z",` +
		`"last_used_on":"2020-01-02T12:34:00Z",` + docWindow + `,"condition":` + docCondition + `,"policies":[` + docPolicy + `]}`
	// docCreate is the request that would create docToken.
	docCreate = `{"name":"readonly token","policies":[{"effect":"allow","permission_groups":[{"id":"c8fed203ed3043cba015a93ad1616f1f"},{"id":"82e64a83756745bbbb1c9c2701bf816b"}],"resources":` + docResources + `}],` +
		docWindow + `,"condition":` + docCondition + `}`
	docPermissionGroups = `[{"category":"account_and_billing","id":"7cf72faf220841aabcfdfab81c43c4f6","name":"Billing Read","scopes":["com.cloudflare.api.account"]},` +
		`{"category":"network_services","id":"9d24387c6e8544e2bc4024a03991339f","name":"Load Balancing: Monitors and Pools Read","scopes":["com.cloudflare.api.account"]},` +
		`{"category":"network_services","id":"d2a1802cc9a34e30852f8b33869b2f3c","name":"Load Balancing: Monitors and Pools Write","scopes":["com.cloudflare.api.account"]},` +
		`{"category":"developer_platform","id":"8b47d2786a534c08a1f94ee8f9f599ef","name":"Workers KV Storage Read","scopes":["com.cloudflare.api.account"]},` +
		`{"category":"developer_platform","id":"f7f0eda5697f475c90846e879bab8666","name":"Workers KV Storage Write","scopes":["com.cloudflare.api.account"]},` +
		`{"category":"developer_platform","id":"1a71c399035b4950a1bd1466bbe4f420","name":"Workers Scripts Read","scopes":["com.cloudflare.api.account"]},` +
		`{"category":"developer_platform","id":"e086da7e2179491d91ee5f35b3ca210a","name":"Workers Scripts Write","scopes":["com.cloudflare.api.account"]}]`
	// docFailure is iam_api-response-common-failure's example.
	docFailure = `{"success":false,"errors":[{"code":7003,"message":"No route for the URI"}],"messages":[],"result":null}`
	// invalidToken is what Cloudflare answers (401) to a verify whose
	// bearer is not a valid token.
	invalidToken = `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}`
)

// withValue is docToken as create answers it: with its (redacted) value.
func withValue(token string) string {
	return strings.TrimSuffix(token, "}") + `,"value":"` + contract.RedactedAPITokenValue + `"}`
}

func handwrittenAPITokens() map[string][]hx {
	user := func(h hx) hx { h.base = userTokensURL; return h }
	account := func(h hx) hx { h.base = acctTokensURL; return h }
	return map[string][]hx{
		"api-tokens-documented-examples": {
			user(hx{method: "POST", auth: "bearer", reqBody: docCreate, status: 200, respBody: ok(withValue(docToken))}),
			user(hx{method: "GET", auth: "bearer", status: 200, respBody: `{"success":true,"errors":[],"messages":[],"result":[` + docToken + `],"result_info":{"page":1,"per_page":20,"count":1,"total_count":2000}}`}),
			user(hx{method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 200, respBody: ok(docToken)}),
			user(hx{method: "GET", path: "/verify", auth: "bearer", status: 200, respBody: `{"success":true,"errors":[],"messages":[{"code":10000,"message":"This API Token is valid and active","type":null}],"result":{"id":"` + apiTokenID + `","status":"active",` + docWindow + `}}`}),
			user(hx{method: "PUT", path: "/" + apiTokenID + "/value", auth: "bearer", reqBody: `{}`, status: 200, respBody: ok(`"` + contract.RedactedAPITokenValue + `"`)}),
			user(hx{method: "GET", path: "/permission_groups", auth: "bearer", status: 200, respBody: ok(docPermissionGroups)}),
			account(hx{method: "GET", path: "/permission_groups", auth: "bearer", status: 200, respBody: ok(docPermissionGroups)}),
			account(hx{method: "DELETE", path: "/" + deletedID, auth: "bearer", status: 200, respBody: ok(`{"id":"` + deletedID + `"}`)}),
		},
		"api-tokens-refused": {
			// 4XX answers the emulator cannot give: the user's verify and
			// permission groups have no parameter to get wrong.
			user(hx{method: "GET", path: "/verify", auth: "bearer", status: 401, respBody: invalidToken}),
			user(hx{method: "GET", path: "/permission_groups", auth: "bearer", status: 400, respBody: docFailure}),
		},
	}
}

// invalidAPITokenFixtures are the invalid fixtures of the API token
// operations and of the request body checks (see invalidFixtures).
func invalidAPITokenFixtures() map[string]invalidFixture {
	user := func(h hx) hx { h.base = userTokensURL; return h }
	emptyList := `{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":100,"count":0,"total_count":0}}`
	return map[string]invalidFixture{
		"api-token-get-leaks-value": {user(hx{method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 200, respBody: ok(withValue(docToken))}),
			[]string{"response body.result"}},
		"api-token-created-answered-201": {user(hx{method: "POST", auth: "bearer", reqBody: docCreate, status: 201, respBody: ok(withValue(docToken))}),
			[]string{"response status"}},
		"api-token-legacy-auth-answered-200": {user(hx{method: "GET", auth: "legacy", status: 200, respBody: emptyList}),
			[]string{"request security", "response status"}},
		"api-token-per-page-100-answered-200": {user(hx{method: "GET", query: "per_page=100", auth: "bearer", status: 200, respBody: emptyList}),
			[]string{"request query.per_page", "response status"}},
		"api-token-failure-without-result": {user(hx{method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 404,
			respBody: `{"success":false,"errors":[{"code":10003,"message":"API token not found"}],"messages":[]}`}),
			[]string{"response body.result"}},
		"api-token-verify-without-credentials-answered-200": {user(hx{method: "GET", path: "/verify", auth: "none", status: 200,
			respBody: ok(`{"id":"` + apiTokenID + `","status":"active"}`)}),
			[]string{"request security", "response status"}},
		// What kin-openapi lets through: a Content-Type that does not parse,
		// a body that is more than one JSON value.
		"content-type-unparseable-answered-201": {hx{method: "POST", auth: "bearer", reqBody: input, reqType: "application/json; x=y", status: 201,
			respBody: ok(tok(exID, "my-token", byUser, ""))},
			[]string{"request body", "response status"}},
		"body-trailing-garbage-answered-200": {user(hx{method: "POST", auth: "bearer", reqBody: docCreate + " trailing garbage", status: 200, respBody: ok(withValue(docToken))}),
			[]string{"request body", "response status"}},
	}
}

// invalidPatches edit written invalid fixtures, by name: patch[0] becomes
// patch[1] in the file. They hold what go-vcr refuses to record (it parses
// a request's Content-Type) but a cassette file may hold.
var invalidPatches = map[string][2]string{
	"content-type-unparseable-answered-201": {"application/json; x=y", "application/json;;;"},
}
