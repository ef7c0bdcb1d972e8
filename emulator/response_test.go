package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The token operations' answers are written from cached JSON; they must be
// exactly what the generated response types would have sent: status,
// headers and every byte of the body.
func TestResponsesMatchGenerated(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 890e6, time.UTC)
	records := []record{
		{ID: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0", Name: "plain", CfAPIID: "a1b2", Enabled: true, Legacy: true, CreatedAt: at, ModifiedAt: at},
		{ID: "x", Name: `<script>&"quoted"\ ✓ ` + "\u2028", CfAPIID: "", Enabled: false, Legacy: false, CreatedAt: at, ModifiedAt: at.Add(time.Hour)},
		{ID: "y", Name: "", CfAPIID: "c", Enabled: true, Legacy: false, CreatedAt: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "z", Name: "del\x7f", CfAPIID: "tab\t", Enabled: true, Legacy: true, CreatedAt: at.In(time.FixedZone("x", 3600)), ModifiedAt: at.Add(123456789)},
		{ID: "plain-ASCII_~!#$%'()*+,-./:;=?@[]^`{|}", Name: "a name", CfAPIID: "abc", CreatedAt: at, ModifiedAt: at},
		// One character encoding/json escapes per record, so each one alone
		// decides between the direct and the encoding/json path.
		{ID: "q", Name: `back\slash`, CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
		{ID: "q", Name: "n", CfAPIID: `"quoted"`, CreatedAt: at, ModifiedAt: at},
		{ID: "a<b", Name: "n", CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
		{ID: "h", Name: "a>b", CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
		{ID: "h", Name: "a&b", CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
		{ID: "h", Name: "n", CfAPIID: "é", CreatedAt: at, ModifiedAt: at},
		{ID: "h", Name: "bad\xffutf8", CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
		{ID: "h", Name: "line\u2028sep", CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
		{ID: "h", Name: "n\n", CfAPIID: "c", CreatedAt: at, ModifiedAt: at},
	}
	same := func(what string, got, want *httptest.ResponseRecorder) {
		t.Helper()
		if got.Code != want.Code || !slices.Equal(got.Header()["Content-Type"], want.Header()["Content-Type"]) || len(got.Header()) != len(want.Header()) {
			t.Errorf("%s: status %d %v, generated %d %v", what, got.Code, got.Header(), want.Code, want.Header())
		}
		if got.Body.String() != want.Body.String() {
			t.Errorf("%s:\n got %s\nwant %s", what, got.Body, want.Body)
		}
	}
	for _, r := range records {
		one := generated.TokenEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: r.api()}
		for _, tc := range []struct {
			name      string
			ours, gen func(http.ResponseWriter) error
		}{
			{"get", tokenResponse{http.StatusOK, r.encode()}.VisitGetTokenResponse, generated.GetToken200JSONResponse(one).VisitGetTokenResponse},
			{"create", tokenResponse{http.StatusCreated, r.encode()}.VisitCreateTokenResponse, generated.CreateToken201JSONResponse(one).VisitCreateTokenResponse},
			{"update", tokenResponse{http.StatusOK, r.encode()}.VisitUpdateTokenResponse, generated.UpdateToken200JSONResponse(one).VisitUpdateTokenResponse},
		} {
			got, want := httptest.NewRecorder(), httptest.NewRecorder()
			if err := tc.ours(got); err != nil {
				t.Fatal(err)
			}
			if err := tc.gen(want); err != nil {
				t.Fatal(err)
			}
			same(tc.name+" "+r.ID, got, want)
		}
	}
	for n := range len(records) + 1 {
		info := generated.ResultInfo{Page: n + 1, PerPage: 20 * n, Count: n, TotalCount: 1000 * n}
		var ours [][]byte
		gen := []generated.Token{}
		for _, r := range records[:n] {
			ours = append(ours, r.encode())
			gen = append(gen, r.api())
		}
		if ours == nil {
			ours = [][]byte{} // as store.list returns an empty page
		}
		got, want := httptest.NewRecorder(), httptest.NewRecorder()
		if err := (listResponse{tokens: ours, info: info}).VisitListTokensResponse(got); err != nil {
			t.Fatal(err)
		}
		env := generated.ListTokens200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages(), Result: gen, ResultInfo: info}
		if err := env.VisitListTokensResponse(want); err != nil {
			t.Fatal(err)
		}
		same(fmt.Sprintf("list of %d", n), got, want)
	}
}

// A stored token's cached JSON follows a change: a read after an update
// never shows the old fields.
func TestCachedJSONFollowsChanges(t *testing.T) {
	st := newStore(nil, nil)
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	r := record{ID: "t", Name: "before", CfAPIID: "c", Enabled: true, Legacy: true, CreatedAt: at, ModifiedAt: at}
	if _, err := st.create("acc", r, nil); err != nil {
		t.Fatal(err)
	}
	first, _ := st.getJSON("acc", "t")
	if _, err := st.replace("acc", "t", nil, func(r *record) error { r.Name = "after"; r.Legacy = false; return nil }); err != nil {
		t.Fatal(err)
	}
	after := r
	after.Name, after.Legacy = "after", false
	for _, got := range [][]byte{must(st.getJSON("acc", "t")), st.list("acc", "", 1, 20).Tokens[0]} {
		if string(got) != string(after.encode()) {
			t.Errorf("after the update: %s, want %s (before: %s)", got, after.encode(), first)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
