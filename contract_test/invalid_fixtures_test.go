package contract_test

import (
	"maps"
	"net/http"
	"strings"
)

// invalidFixture is an interaction the contract check must reject, with
// every violation ("side path") it must produce, no more, no fewer.
type invalidFixture struct {
	hx
	want []string
}

func token200(result string) hx {
	return hx{method: "GET", path: "/" + exID, auth: "bearer", status: 200, respBody: ok(result)}
}

func token200Body(body string) hx {
	h := token200("")
	h.respBody = body
	return h
}

// invalidFixtures are written to testdata/invalid/ (see handwritten_test.go)
// with their expectations in testdata/invalid/expectations.txt.
func invalidFixtures() map[string]invalidFixture {
	good := tok(exID, "my-token", byUser, "")
	out := map[string]invalidFixture{
		"missing-result-id": {token200(strings.Replace(good, `"id":"`+exID+`",`, "", 1)),
			[]string{"response body.result.id"}},
		"missing-success": {hx{method: "GET", auth: "bearer", status: 200, respBody: strings.Replace(list(1, 20, 0, 0), `"success":true,`, "", 1)},
			[]string{"response body.success"}},
		"wrong-type-name": {token200(strings.Replace(good, `"name":"my-token"`, `"name":42`, 1)),
			[]string{"response body.result.name"}},
		"wrong-type-total-count": {hx{method: "GET", auth: "bearer", status: 200, respBody: strings.Replace(list(1, 20, 0, 0), `"total_count":0`, `"total_count":"0"`, 1)},
			[]string{"response body.result_info.total_count"}},
		"created-at-not-a-date": {token200(strings.Replace(good, `"created_at":"2026-11-02T09:15:00Z"`, `"created_at":"02/11/2026"`, 1)),
			[]string{"response body.result.created_at"}},
		"result-id-not-a-uuid": {token200(strings.Replace(good, `"id":"`+exID+`"`, `"id":"12345"`, 1)),
			[]string{"response body.result.id"}},
		"list-result-null": {hx{method: "GET", auth: "bearer", status: 200, respBody: strings.Replace(list(1, 20, 0, 0), `"result":[]`, `"result":null`, 1)},
			[]string{"response body.result"}},
		"success-false-on-200": {token200Body(strings.Replace(ok(good), `"success":true`, `"success":false`, 1)),
			[]string{"response body.success"}},
		"secret-echoed": {hx{method: "POST", auth: "bearer", reqBody: input, status: 201,
			respBody: ok(strings.Replace(good, `{`, `{"cf_api_key":"REDACTED",`, 1))},
			[]string{"response body.result", "response body"}},
		"undocumented-status": {hx{method: "GET", path: "/" + exID, auth: "bearer", status: 500,
			respHeader: http.Header{"Content-Type": {"text/html"}}, respBody: "<html>internal error</html>"},
			[]string{"response status"}},
		"created-answered-200": {hx{method: "POST", auth: "bearer", reqBody: input, status: 200, respBody: ok(good)},
			[]string{"response status"}},
		"bad-uuid-answered-200": {hx{method: "GET", path: "/" + badID, auth: "bearer", status: 200, respBody: ok(good)},
			[]string{"request path.id", "response status"}},
		"bad-uuid-answered-404": {hx{method: "DELETE", path: "/" + badID, auth: "bearer", status: 404, respBody: fail(7002, "Token not found")},
			[]string{"request path.id", "response status"}},
		"per-page-101-answered-200": {hx{method: "GET", query: "per_page=101", auth: "bearer", status: 200, respBody: list(1, 101, 0, 0)},
			[]string{"request query.per_page", "response status"}},
		"per-page-101-wrong-path": {hx{method: "GET", query: "per_page=101", auth: "bearer", status: 400, respBody: fail(10001, "bad page", "query", "page")},
			[]string{"request query.per_page", "response body.errors"}},
		// Neither an input-validation error (it lacks a path) nor a
		// credential one (its code is not 9106 or 6003): the error matches no
		// branch of the items' anyOf.
		"validation-error-without-path": {hx{method: "GET", query: "per_page=101", auth: "bearer", status: 400, respBody: fail(10001, "per_page too big")},
			[]string{"request query.per_page", "response body.errors.0", "response body.errors"}},
		"missing-credentials-answered-200": {hx{method: "GET", auth: "none", status: 200, respBody: list(1, 20, 0, 0)},
			[]string{"request security", "response status"}},
		"missing-credentials-answered-404": {hx{method: "GET", path: "/" + exID, auth: "none", status: 404, respBody: fail(7002, "Token not found")},
			[]string{"request security", "response status"}},
		"missing-credentials-wrong-code": {hx{method: "DELETE", path: "/" + exID, auth: "none", status: 400, respBody: fail(10001, "id: bad", "path", "id")},
			[]string{"request security", "response body.errors"}},
		"missing-credentials-answered-403": {hx{method: "DELETE", path: "/" + exID, auth: "none", status: 403, respBody: fail(9109, "Unauthorized to access requested resource")},
			[]string{"request security", "response status"}},
		"ai-search-failure-result-null": {hx{method: "GET", path: "/" + exID, auth: "bearer", status: 404,
			respBody: `{"success":false,"errors":[{"code":7075,"message":"token_not_found"}],"messages":[],"result":null}`},
			[]string{"response body.result"}},
		"missing-body-field-answered-201": {hx{method: "POST", auth: "bearer", reqBody: `{"name":"my-token","cf_api_id":"a1b2c3d4e5f6"}`, status: 201, respBody: ok(good)},
			[]string{"request body.cf_api_key", "response status"}},
		"rate-limited-without-retry-after": {hx{method: "GET", auth: "bearer", status: 429, respBody: limitFail},
			[]string{"response header.Retry-After"}},
		"delete-result-not-empty": {hx{method: "DELETE", path: "/" + exID, auth: "bearer", status: 200, respBody: `{"success":true,"errors":[],"messages":[],"result":{"id":"` + exID + `"}}`},
			[]string{"response body.result"}},
		"unknown-route": {hx{method: "GET", path: "/" + exID + "/instances", auth: "bearer", status: 200, respBody: `{"success":true,"result":[]}`},
			[]string{"request route"}},
	}
	maps.Copy(out, invalidAPITokenFixtures())
	return out
}
