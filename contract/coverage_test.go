package contract_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

func TestCoverage(t *testing.T) {
	v := newValidator(t)
	c := contract.NewCoverage(v.Doc())
	if _, total := c.Covered(); total != 253 {
		// 5 AI Search token operations: list 5, create 5, get 6, update 6,
		// delete 7; 16 API token operations: 200, 403, 429 and 4XX each, but
		// verify no 403; 26 instance, job and namespace operations: 162.
		t.Errorf("the spec documents %d pairs, want 253", total)
	}
	c.Add("ai-search-list-tokens", 200)
	c.Add("ai-search-list-tokens", 200)
	c.Add("ai-search-list-tokens", 502)
	c.Add("", 200)
	// A code the operation documents covers its own pair, any other 4xx
	// the 4XX range; a range the operation does not document covers nothing.
	c.Add("user-api-tokens-token-details", 403)
	c.Add("user-api-tokens-token-details", 404)
	c.Add("user-api-tokens-token-details", 418)
	c.Add("ai-search-fetch-tokens", 418)
	c.Add("user-api-tokens-token-details", 503)
	if covered, _ := c.Covered(); covered != 3 {
		t.Errorf("covered %d, want 3", covered)
	}
	if got := c.Seen[contract.Pair{OperationID: "user-api-tokens-token-details", Status: "4XX"}]; got != 2 {
		t.Errorf("4XX seen %d times, want 2 (the 404 and the 418, not the 403)", got)
	}
	var b bytes.Buffer
	c.WriteReport(&b)
	out := b.String()
	for _, want := range []string{"coverage: 3/253", "not covered: ai-search-delete-tokens 409", "not covered: user-api-tokens-roll-token 4XX",
		"undocumented but seen: ai-search-fetch-tokens 418", "undocumented but seen: ai-search-list-tokens 502",
		"undocumented but seen: user-api-tokens-token-details 503", "  429   4XX   503\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "not covered: user-api-tokens-token-details 4XX") {
		t.Errorf("the 404 did not cover 4XX:\n%s", out)
	}
}

func TestMutants(t *testing.T) {
	v := newValidator(t)
	ix := contract.Interaction{Method: "GET", URL: base + "/" + tokID, RequestHeader: bearer(),
		Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"errors":[],"messages":[],"result":` + token + `}`)}
	if !v.Check(t.Context(), ix).OK() {
		t.Fatal("the original is not valid")
	}
	names := map[string]bool{}
	for _, m := range v.Mutants(ix) {
		names[m.Name] = true
		if v.Check(t.Context(), m.Interaction).OK() {
			t.Errorf("mutant %q survived", m.Name)
		}
	}
	for _, want := range []string{"drop body.result.id", "retype body.result.name (string)", "null body.result.created_at",
		"malformed uuid body.result.id", "malformed date-time body.result.modified_at", "flip body.success",
		"leak body.result.cf_api_key", "status 201", "status 500", "drop request credentials", "malformed request path.id"} {
		if !names[want] {
			t.Errorf("no mutant %q in %v", want, names)
		}
	}
	if names["null body.result.created_by"] || names["status 200"] {
		t.Error("mutants that are not breakages: null of a nullable field, the recorded status")
	}
	if !bytes.Contains(ix.ResponseBody, []byte(`"id"`)) {
		t.Error("Mutants changed the original interaction")
	}
}

// TestAPITokenMutants: an API token create's mutants include the breakages
// the spec forbids (a short value, a leak of value where it is forbidden,
// a 201, a token id past 32 characters), and its status mutants pick only
// statuses that neither a code nor the 4XX range documents.
func TestAPITokenMutants(t *testing.T) {
	v := newValidator(t)
	const value = "REDACTED-cloudflare-api-token-value-placeholder"
	tok := `{"id":"ed17574386854bf78a67040be0a770b0","name":"n","status":"active","issued_on":"2018-07-01T05:20:00Z","modified_on":"2018-07-02T05:20:00Z","policies":[]`
	cases := []struct {
		name   string
		ix     contract.Interaction
		want   []string
		absent []string
	}{
		{"create", contract.Interaction{Method: "POST", URL: "https://api.cloudflare.com/client/v4/user/tokens",
			RequestHeader: http.Header{"Authorization": {"Bearer REDACTED"}, "Content-Type": {"application/json"}}, RequestBody: []byte(`{"name":"n","policies":[]}`),
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"errors":[],"messages":[],"result":` + tok + `,"value":"` + value + `"}}`)},
			[]string{"status 201", "status 500", "shorten body.result.value", "lengthen body.result.value", "drop body.result.value", "drop body.messages",
				"unknown enum value body.result.status", "lengthen body.result.id", "unparseable request Content-Type", "trailing garbage after the request body"},
			[]string{"status 401"}},
		{"get", contract.Interaction{Method: "GET", URL: "https://api.cloudflare.com/client/v4/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/tokens/ed17574386854bf78a67040be0a770b0",
			RequestHeader: bearer(), Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"errors":[],"messages":[],"result":` + tok + `}}`)},
			[]string{"leak body.result.value", "malformed request path.token_id", "malformed request path.account_id", "drop body.result.issued_on"},
			[]string{"status 401"}},
		{"roll", contract.Interaction{Method: "PUT", URL: "https://api.cloudflare.com/client/v4/user/tokens/ed17574386854bf78a67040be0a770b0/value",
			RequestHeader: http.Header{"Authorization": {"Bearer REDACTED"}, "Content-Type": {"application/json"}}, RequestBody: []byte(`{}`),
			Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true,"errors":[],"messages":[],"result":"` + value + `"}`)},
			[]string{"shorten body.result", "null body.result", "retype body.result (string)"}, nil},
		{"404", contract.Interaction{Method: "GET", URL: "https://api.cloudflare.com/client/v4/user/tokens/ed17574386854bf78a67040be0a770b0",
			RequestHeader: bearer(), Status: 404, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":false,"errors":[{"code":10003,"message":"API token not found"}],"messages":[],"result":null}`)},
			[]string{"drop body.result", "drop body.messages", "empty body.errors", "status 201", "status 500"},
			[]string{"status 401", "null body.result"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if res := v.Check(t.Context(), tc.ix); !res.OK() {
				t.Fatalf("the original is not valid: %v", res.All())
			}
			names := map[string]bool{}
			for _, m := range v.Mutants(tc.ix) {
				names[m.Name] = true
				if v.Check(t.Context(), m.Interaction).OK() {
					t.Errorf("mutant %q survived", m.Name)
				}
			}
			for _, want := range tc.want {
				if !names[want] {
					t.Errorf("no mutant %q in %v", want, names)
				}
			}
			for _, no := range tc.absent {
				if names[no] {
					t.Errorf("mutant %q: not a breakage here", no)
				}
			}
		})
	}
}

// TestLimitAnswerMutants: a 403 that is not about the credential (an
// instance create past the account's limit, code 7013) comes after the
// input is read, so a mutant drops its credential, which the check must
// catch; a 403 9109 (no permission) comes before, so no mutant does.
func TestLimitAnswerMutants(t *testing.T) {
	v := newValidator(t)
	for _, tc := range []struct {
		code     string
		wantDrop bool
	}{{`7013,"message":"max_instances_reached"`, true}, {`9109,"message":"Unauthorized to access requested resource"`, false}} {
		ix := contract.Interaction{Method: "POST", URL: strings.TrimSuffix(base, "tokens") + "namespaces/default/instances",
			RequestHeader: http.Header{"Authorization": {"Bearer REDACTED"}, "Content-Type": {"application/json"}}, RequestBody: []byte(`{"id":"docs-2"}`),
			Status: 403, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"errors":[{"code":` + tc.code + `}],"result":{},"success":false}`)}
		if res := v.Check(t.Context(), ix); !res.OK() {
			t.Fatalf("%s: the original is not valid: %v", tc.code, res.All())
		}
		names := map[string]bool{}
		for _, m := range v.Mutants(ix) {
			names[m.Name] = true
			if v.Check(t.Context(), m.Interaction).OK() {
				t.Errorf("%s: mutant %q survived", tc.code, m.Name)
			}
		}
		if names["drop request credentials"] != tc.wantDrop {
			t.Errorf("%s: a mutant drops the credential: %v, want %v", tc.code, names["drop request credentials"], tc.wantDrop)
		}
	}
}
