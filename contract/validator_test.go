package contract_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

const (
	base  = "https://api.cloudflare.com/client/v4/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens"
	tokID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
	token = `{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"c","created_at":"2024-01-02T03:04:05Z","modified_at":"2024-01-02T03:04:05Z","created_by":null}`
)

func bearer() http.Header {
	return http.Header{"Authorization": {"Bearer REDACTED"}}
}

func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

func newValidator(t *testing.T) *contract.Validator {
	t.Helper()
	v, err := contract.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestValidate(t *testing.T) {
	v := newValidator(t)
	cases := []struct {
		name  string
		ix    contract.Interaction
		op    string
		paths []string // expected violation paths, joined with "."; empty means valid
	}{
		{"get ok", contract.Interaction{Method: "GET", URL: base + "/" + tokID, RequestHeader: bearer(),
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"errors":[],"messages":[],"result":` + token + `,"extra":1}`)},
			"ai-search-fetch-tokens", nil},
		{"emulator host routes", contract.Interaction{Method: "GET", URL: "http://127.0.0.1:8787/client/v4/accounts/a/ai-search/tokens?per_page=5", RequestHeader: http.Header{"X-Auth-Email": {"e"}, "X-Auth-Key": {"k"}},
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"result":[],"result_info":{"page":1,"per_page":5,"count":0,"total_count":0}}`)},
			"ai-search-list-tokens", nil},
		{"missing result.id", contract.Interaction{Method: "GET", URL: base + "/" + tokID, RequestHeader: bearer(),
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"result":` + strings.Replace(token, `"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0",`, "", 1) + `}`)},
			"ai-search-fetch-tokens", []string{"body.result.id"}},
		{"secret echoed", contract.Interaction{Method: "GET", URL: base + "/" + tokID, RequestHeader: bearer(),
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"result":` + strings.Replace(token, `{`, `{"cf_api_key":"s3cret",`, 1) + `}`)},
			"ai-search-fetch-tokens", []string{"body.result"}},
		{"per_page 101 and no credentials", contract.Interaction{Method: "GET", URL: base + "?per_page=101",
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"result":[],"result_info":{"page":1,"per_page":101,"count":0,"total_count":0}}`)},
			"ai-search-list-tokens", []string{"security", "query.per_page"}},
		{"bad uuid", contract.Interaction{Method: "DELETE", URL: base + "/not-a-uuid", RequestHeader: bearer(),
			Status: 404, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":false,"errors":[{"code":7002,"message":"nope"}]}`)},
			"ai-search-delete-tokens", []string{"path.id"}},
		{"undocumented status", contract.Interaction{Method: "GET", URL: base, RequestHeader: bearer(),
			Status: 502, ResponseHeader: http.Header{"Content-Type": {"text/html"}}, ResponseBody: []byte(`<html>bad gateway</html>`)},
			"ai-search-list-tokens", []string{"status"}},
		{"429 without Retry-After", contract.Interaction{Method: "GET", URL: base, RequestHeader: bearer(),
			Status: 429, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":false,"errors":[{"code":971,"message":"slow down"}]}`)},
			"ai-search-list-tokens", []string{"header.Retry-After"}},
		{"create missing cf_api_key", contract.Interaction{Method: "POST", URL: base, RequestHeader: http.Header{"Authorization": {"Bearer x"}, "Content-Type": {"application/json"}},
			RequestBody: []byte(`{"name":"n","cf_api_id":"c"}`),
			Status:      201, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"result":` + token + `}`)},
			"ai-search-create-tokens", []string{"body.cf_api_key"}},
		{"unknown route", contract.Interaction{Method: "GET", URL: "https://api.cloudflare.com/client/v4/accounts/a/other", RequestHeader: bearer(), Status: 200},
			"", []string{"route"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := v.Validate(context.Background(), tc.ix)
			if res.OperationID != tc.op {
				t.Errorf("operation %q, want %q", res.OperationID, tc.op)
			}
			var got []string
			for _, viol := range res.All() {
				got = append(got, strings.Join(viol.Path, "."))
				if strings.Contains(viol.Message, "s3cret") {
					t.Errorf("violation leaks the secret: %s", viol)
				}
			}
			slices.Sort(got)
			want := slices.Clone(tc.paths)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("violations %v, want paths %v\n%v", got, want, res.All())
			}
		})
	}
}

// TestRequestForm covers what kin-openapi lets through and Validate must
// not: a body that is not exactly one JSON value, or whose Content-Type
// does not parse or is sent twice, and a query string that does not
// decode. Each is one violation at the path the emulator's 400 names.
func TestRequestForm(t *testing.T) {
	v := newValidator(t)
	const (
		userTokens = "https://api.cloudflare.com/client/v4/user/tokens"
		create     = `{"name":"n","cf_api_id":"c","cf_api_key":"k"}`
		apiCreate  = `{"name":"n","policies":[]}`
	)
	withType := func(cts ...string) http.Header {
		h := bearer()
		for _, ct := range cts {
			h.Add("Content-Type", ct)
		}
		return h
	}
	cases := []struct {
		name   string
		method string
		url    string
		header http.Header
		body   string
		want   []string
	}{
		{"unparseable Content-Type", "POST", base, withType("application/json;;;"), create, []string{"body"}},
		{"trailing garbage", "POST", userTokens, withType("application/json"), apiCreate + " trailing garbage", []string{"body"}},
		{"two JSON values", "PUT", userTokens + "/ed17574386854bf78a67040be0a770b0/value", withType("application/json"), `{}{}`, []string{"body"}},
		{"two Content-Types", "POST", base, withType("application/json", "application/json"), create, []string{"body"}},
		{"not JSON: reported once", "POST", base, withType("text/plain"), create, []string{"body"}},
		{"malformed JSON: reported once", "POST", base, withType("application/json"), `{"name":`, []string{"body"}},
		{"charset parameter", "POST", base, withType("application/json; charset=utf-8"), create, nil},
		{"whitespace around the value", "POST", base, withType("application/json"), "\n " + create + "\n", nil},
		{"no body where none is taken", "GET", userTokens, bearer(), "", nil},
		{"bad escape in the query", "GET", userTokens + "/permission_groups?name=%zz", bearer(), "", []string{"query.name"}},
		{"';' in the query", "GET", userTokens + "?per_page=5;page=2", bearer(), "", []string{"query.per_page"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ix := contract.Interaction{Method: tc.method, URL: tc.url, RequestHeader: tc.header, RequestBody: []byte(tc.body)}
			var got []string
			for _, viol := range v.ValidateRequest(t.Context(), ix).Request {
				got = append(got, strings.Join(viol.Path, "."))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("violations %v, want %v", got, tc.want)
			}
		})
	}
	// A 400 that names ["body"] is the right answer to such a request.
	ix := contract.Interaction{Method: "POST", URL: userTokens, RequestHeader: withType("application/json"), RequestBody: []byte(apiCreate + " x"),
		Status: 400, ResponseHeader: jsonHeader(),
		ResponseBody: []byte(`{"success":false,"errors":[{"code":10001,"message":"malformed JSON","path":["body"]}],"messages":[],"result":null}`)}
	if res := v.Check(t.Context(), ix); !res.OK() || len(res.Provoked) != 1 {
		t.Errorf("the 400 reporting the body: %+v", res)
	}
}
