package contract_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

func TestCoverage(t *testing.T) {
	v := newValidator(t)
	c := contract.NewCoverage(v.Doc())
	if _, total := c.Covered(); total != 24 {
		// 5 operations: list 4, create 4, get 5, update 5, delete 6.
		t.Errorf("the spec documents %d pairs, want 24", total)
	}
	c.Add("ai-search-list-tokens", 200)
	c.Add("ai-search-list-tokens", 200)
	c.Add("ai-search-list-tokens", 502)
	c.Add("", 200)
	if covered, _ := c.Covered(); covered != 1 {
		t.Errorf("covered %d, want 1", covered)
	}
	var b bytes.Buffer
	c.WriteReport(&b)
	out := b.String()
	for _, want := range []string{"coverage: 1/24", "not covered: ai-search-delete-tokens 409", "undocumented but seen: ai-search-list-tokens 502"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
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
