package contract_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

func TestCheckProvokedRule(t *testing.T) {
	v := newValidator(t)
	list := `{"success":true,"result":[],"result_info":{"page":1,"per_page":5,"count":0,"total_count":0}}`
	authErr := `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"result":{}}`
	denied := `{"success":false,"errors":[{"code":9109,"message":"Unauthorized to access requested resource"}],"result":{}}`
	noCred := `{"success":false,"errors":[{"code":9106,"message":"Missing X-Auth-Key, X-Auth-Email or Authorization headers"}],"result":{}}`
	pathErr := func(path string) string {
		return `{"success":false,"errors":[{"code":10001,"message":"bad","path":` + path + `}]}`
	}
	cases := []struct {
		name     string
		url      string
		header   http.Header
		status   int
		body     string
		provoked []string // request violations accepted as provoked
		failures []string // violations that break the contract
	}{
		{"400 reports per_page", base + "?per_page=101", bearer(), 400, pathErr(`["query","per_page"]`), []string{"request query.per_page"}, nil},
		{"400 reports another path", base + "?per_page=101", bearer(), 400, pathErr(`["query","page"]`), nil, []string{"request query.per_page", "response body.errors"}},
		{"2xx to a rejected request", base + "?per_page=101", bearer(), 200, list, nil, []string{"request query.per_page", "response status"}},
		{"401 before input", base + "?per_page=101", http.Header{"Authorization": {"Bearer refused-token"}}, 401, authErr, []string{"request query.per_page"}, nil},
		{"403 9109 before input", base + "?per_page=101", bearer(), 403, denied, []string{"request query.per_page"}, nil},
		{"403 without 9109 to bad input", base + "?per_page=101", bearer(), 403, authErr, nil, []string{"request query.per_page", "response status"}},
		{"429 before input", base + "?per_page=101", bearer(), 429, authErr, []string{"request query.per_page"}, nil},
		{"no credentials, 400 9106", base, nil, 400, noCred, []string{"request security"}, nil},
		{"malformed Authorization, 400 6003", base, http.Header{"Authorization": {"Basic x"}}, 400,
			`{"success":false,"errors":[{"code":6003,"message":"Invalid request headers","error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]}],"result":{}}`,
			[]string{"request security"}, nil},
		{"no credentials, 400 other code", base, nil, 400, pathErr(`["query","page"]`), nil, []string{"request security", "response body.errors"}},
		{"no credentials, 403", base, nil, 403, denied, nil, []string{"request security", "response status"}},
		{"no credentials, 401", base, nil, 401, authErr, nil, []string{"request security", "response status"}},
		{"no credentials and bad input, 400 9106", base + "?per_page=0", nil, 400, noCred, []string{"request security", "request query.per_page"}, nil},
		{"bad uuid, 404", base + "/nope", bearer(), 404, `{"success":false,"errors":[{"code":7002,"message":"not found"}]}`, nil, []string{"request path.id", "response status"}},
		{"valid request, 400 without path", base, bearer(), 400, pathErr(`[]`), nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hdr := jsonHeader()
			if tc.status == 429 {
				tc.body = `{"success":false,"errors":[{"code":971,"message":"slow"}]}`
				hdr.Set("Retry-After", "3")
			}
			res := v.Check(context.Background(), contract.Interaction{Method: "GET", URL: tc.url, RequestHeader: tc.header,
				Status: tc.status, ResponseHeader: hdr, ResponseBody: []byte(tc.body)})
			if got := paths(res.Provoked); !slices.Equal(got, sorted(tc.provoked)) {
				t.Errorf("provoked %v, want %v", got, tc.provoked)
			}
			if got := paths(res.All()); !slices.Equal(got, sorted(tc.failures)) {
				t.Errorf("failures %v, want %v\n%v", got, tc.failures, res.All())
			}
			if res.OK() != (len(tc.failures) == 0) {
				t.Errorf("OK() = %v", res.OK())
			}
		})
	}
}

func TestCheckEchoedSecret(t *testing.T) {
	v := newValidator(t)
	const key = "service-key-value-123"
	body := `{"name":"n","cf_api_id":"c","cf_api_key":"` + key + `"}`
	created := `{"success":true,"messages":[{"code":1,"message":"stored ` + key + `"}],"result":` + token + `}`
	hdr := jsonHeader()
	hdr.Set("X-Debug", "auth=tok-"+"abcdefghij")
	res := v.Check(context.Background(), contract.Interaction{Method: "POST", URL: base,
		RequestHeader: http.Header{"Authorization": {"Bearer abcdefghij"}, "Content-Type": {"application/json"}}, RequestBody: []byte(body),
		Status: 201, ResponseHeader: hdr, ResponseBody: []byte(created)})
	want := []string{"response body", "response header.X-Debug"}
	if got := paths(res.All()); !slices.Equal(got, want) {
		t.Fatalf("violations %v, want %v", got, want)
	}
	for _, viol := range res.All() {
		if strings.Contains(viol.Message, key) || strings.Contains(viol.Message, "abcdefghij") {
			t.Errorf("violation prints the secret: %s", viol)
		}
		if !(contract.Failure{Violation: viol}).EchoesSecret() {
			t.Errorf("%s: EchoesSecret is false", viol)
		}
	}
	// A breach of the spec is not an echo.
	broken := v.Check(context.Background(), contract.Interaction{Method: "POST", URL: base,
		RequestHeader: http.Header{"Authorization": {"Bearer abcdefghij"}, "Content-Type": {"application/json"}}, RequestBody: []byte(`{"name":"n"}`),
		Status: 201, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true}`)})
	if len(broken.All()) == 0 {
		t.Fatal("a body without cf_api_id and an answer without result passed")
	}
	for _, viol := range broken.All() {
		if (contract.Failure{Violation: viol}).EchoesSecret() {
			t.Errorf("%s: EchoesSecret is true", viol)
		}
	}
}

func paths(vs []contract.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Side+" "+strings.Join(v.Path, "."))
	}
	return sorted(out)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// A key that happens to be part of the token's name is echoed with the name;
// that is not a leak. The same key on its own in the response still is.
func TestCheckEchoedSecretInsidePublicValue(t *testing.T) {
	v := newValidator(t)
	const key = "00000000"
	body := `{"name":"svc-00000000-prod","cf_api_id":"c","cf_api_key":"` + key + `"}`
	named := strings.Replace(token, `"name":"n"`, `"name":"svc-00000000-prod"`, 1)
	req := http.Header{"Authorization": {"Bearer abcdefghij"}, "Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name, resp string
		want       []string
	}{
		{"name echoed", `{"success":true,"result":` + named + `}`, nil},
		{"key leaked beside the name", `{"success":true,"messages":[{"code":1,"message":"key ` + key + `"}],"result":` + named + `}`, []string{"response body"}},
	} {
		res := v.Check(context.Background(), contract.Interaction{Method: "POST", URL: base, RequestHeader: req,
			RequestBody: []byte(body), Status: 201, ResponseHeader: jsonHeader(), ResponseBody: []byte(tc.resp)})
		if got := paths(res.All()); !slices.Equal(got, tc.want) {
			t.Errorf("%s: violations %v, want %v", tc.name, got, tc.want)
		}
	}
}
