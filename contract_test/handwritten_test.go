package contract_test

import (
	"cmp"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-aisearch/tokens/contract"
)

// The hand-written fixtures: only what the emulator cannot produce
// (Cloudflare's documented examples, unknown fields, non-empty
// errors/messages on success, both credential headers at once, a
// well-formed create the server refuses). Everything else is recorded from
// the emulator (emulator-*.yaml, see record_test.go). Edit them here and run
// `go test ./contract_test -run TestHandwrittenFixtures -gen`;
// TestHandwrittenFixtures fails when the committed files differ.

const (
	acct    = contract.NormalAccountID
	apiURL  = "https://api.cloudflare.com/client/v4/accounts/" + acct + "/ai-search/tokens"
	docID   = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e" // the documented create example
	exID    = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0" // the docs' example token id
	otherID = "0f6b1a2e-4c39-4b7e-9d1f-3a5c7e9b2d40"
	badID   = "not-a-uuid"
)

// documentedCreate is the create response on Cloudflare's API reference page.
const documentedCreate = `{"result":{"id":"182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e","cf_api_id":"cf_api_id","created_at":"2019-12-27T18:11:19.117Z","modified_at":"2019-12-27T18:11:19.117Z","name":"name","created_by":"created_by","enabled":true,"legacy":true,"modified_by":"modified_by"},"success":true}`

type hx struct {
	base                string // the collection's URL; "" means apiURL (the AI Search tokens)
	method, path, query string // path below the collection ("" or "/<id>")
	auth                string // "bearer", "legacy", "both", "none", "refused"
	reqBody             string
	reqType             string // the request's Content-Type when it has a body; "" means application/json
	status              int
	respHeader          http.Header
	respBody            string
}

func (h hx) interaction() contract.Interaction {
	u := cmp.Or(h.base, apiURL) + h.path
	if h.query != "" {
		u += "?" + h.query
	}
	req := http.Header{"User-Agent": {"oapi-codegen/contract-fixture"}}
	switch h.auth {
	case "bearer", "refused":
		req.Set("Authorization", contract.RedactedAuthorization)
	case "legacy":
		req.Set("X-Auth-Email", contract.RedactedEmail)
		req.Set("X-Auth-Key", contract.RedactedAPIKey)
	case "both":
		req.Set("Authorization", contract.RedactedAuthorization)
		req.Set("X-Auth-Email", contract.RedactedEmail)
		req.Set("X-Auth-Key", contract.RedactedAPIKey)
	}
	if h.reqBody != "" {
		req.Set("Content-Type", cmp.Or(h.reqType, "application/json"))
	}
	resp := http.Header{"Content-Type": {"application/json"}, "Cf-Ray": {"8f0e1d2c3b4a5968-LHR"}}
	for k, v := range h.respHeader {
		resp[k] = v
	}
	return contract.Interaction{Method: h.method, URL: u, RequestHeader: req, RequestBody: []byte(h.reqBody),
		Status: h.status, ResponseHeader: resp, ResponseBody: []byte(h.respBody)}
}

// tok builds a token; extra is spliced in verbatim (",\"k\":v").
func tok(id, name, by, extra string) string {
	return `{"id":"` + id + `","name":"` + name + `","cf_api_id":"a1b2c3d4e5f6","created_at":"2026-11-02T09:15:00Z","modified_at":"2026-11-03T10:00:00.5Z","created_by":` + by + `,"modified_by":` + by + `,"enabled":true,"legacy":false` + extra + `}`
}

func ok(result string) string {
	return `{"success":true,"errors":[],"messages":[],"result":` + result + `}`
}

func list(page, perPage, count, total int, items ...string) string {
	return `{"success":true,"errors":[],"messages":[],"result":[` + strings.Join(items, ",") + `],"result_info":{"page":` + itoa(page) + `,"per_page":` + itoa(perPage) + `,"count":` + itoa(count) + `,"total_count":` + itoa(total) + `}}`
}

// fail is an AI Search failure: result {}, no messages (Cloudflare's docs,
// AI Search API error codes).
func fail(code int, msg string, path ...string) string {
	e := `{"code":` + itoa(code) + `,"message":"` + msg + `"`
	if len(path) > 0 {
		e += `,"path":["` + strings.Join(path, `","`) + `"]`
	}
	return `{"success":false,"errors":[` + e + `}],"result":{}}`
}

const (
	authFail   = `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"result":{}}`
	noCredFail = `{"success":false,"errors":[{"code":9106,"message":"Missing X-Auth-Key, X-Auth-Email or Authorization headers"}],"result":{}}`
	limitFail  = `{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"result":{}}`
	input      = `{"name":"my-token","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"REDACTED"}`
	byUser     = `"user@example.com"`
)

var retryAfter = http.Header{"Retry-After": {"30"}}

func itoa(n int) string { return strconv.Itoa(n) }

// handwritten returns every hand-written valid fixture, by file name.
func handwritten() map[string][]hx {
	out := map[string][]hx{
		"documented-examples": {
			{method: "POST", auth: "bearer", reqBody: `{"name":"name","cf_api_id":"cf_api_id","cf_api_key":"REDACTED","legacy":true}`, status: 201, respBody: documentedCreate},
			{method: "GET", path: "/" + exID, auth: "bearer", status: 200, respBody: ok(tok(exID, "my-token", byUser, ""))},
			{method: "DELETE", path: "/" + exID, auth: "bearer", status: 200, respBody: `{"result":{},"success":true,"errors":[],"messages":[]}`},
			{method: "GET", auth: "refused", status: 401, respBody: authFail},
			{method: "GET", auth: "none", status: 400, respBody: noCredFail},
			{method: "GET", auth: "bearer", status: 429, respHeader: retryAfter, respBody: limitFail},
		},
		"refused-input": {
			// A well-formed request the server refuses: the documented create
			// 400, which the emulator cannot produce.
			{method: "POST", auth: "bearer", reqBody: input, status: 400, respBody: fail(7012, "ai_search_instance_invalid_token")},
		},
		"both-auth-headers": {
			// What official SDKs may send: bearer and legacy headers together.
			{method: "GET", path: "/" + exID, auth: "both", status: 200, respBody: ok(tok(exID, "my-token", byUser, ""))},
			{method: "DELETE", path: "/" + exID, auth: "both", status: 200, respBody: `{"success":true,"errors":[],"messages":[],"result":{}}`},
		},
		"extra-fields": {
			// Unknown fields everywhere, messages and errors filled on success,
			// nullable fields null, optional fields absent.
			{method: "GET", auth: "bearer", status: 200, respBody: `{"success":true,"errors":[{"code":1001,"message":"deprecated field","documentation_url":"https://developers.cloudflare.com"}],"messages":[{"code":1000,"message":"OK","type":"info"}],"result":[` +
				`{"id":"` + exID + `","name":"minimal","cf_api_id":"c","created_at":"2026-11-02T09:15:00+01:00","modified_at":"2026-11-02T09:15:00Z"},` +
				tok(otherID, "nulls", "null", `,"source":"dashboard","instances":["docs-search"],"meta":{"region":"weur"}`) +
				`],"result_info":{"page":1,"per_page":20,"count":2,"total_count":2,"total_pages":1,"cursor":null},"trace_id":"abc"}`},
			{method: "GET", path: "/" + otherID, auth: "bearer", status: 200, respBody: `{"success":true,"errors":[],"messages":[{"code":1000,"message":"OK"}],"result":{"id":"` + otherID + `","name":"disabled","cf_api_id":"c","created_at":"2026-11-02T09:15:00Z","modified_at":"2026-11-02T09:15:00Z","created_by":null,"modified_by":null,"enabled":false,"future_field":{"nested":[1,2,3]}},"request_id":"r-1"}`},
			{method: "DELETE", path: "/" + otherID, auth: "bearer", status: 404, respBody: `{"success":false,"errors":[{"code":7075,"message":"token_not_found","documentation_url":"https://developers.cloudflare.com/ai-search/"}],"messages":[{"code":1000,"message":"see docs"}],"result":{}}`},
			{method: "GET", query: "per_page=101", auth: "bearer", status: 400, respBody: `{"success":false,"errors":[{"code":10001,"message":"per_page: number must be at most 100","path":["query","per_page"]},{"code":10002,"message":"also reported","path":["query"]}],"messages":[],"result":{}}`},
		},
	}
	maps.Copy(out, handwrittenAPITokens())
	maps.Copy(out, handwrittenInstances())
	return out
}
