package contract_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

func TestTransportValidatesEachExchange(t *testing.T) {
	const brokenGet = `{"success":true,"result":{"name":"no id"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/tokens") {
			_, _ = w.Write([]byte(`{"success":true,"result":[],"result_info":{"page":1,"per_page":20,"count":0,"total_count":0}}`))
			return
		}
		_, _ = w.Write([]byte(brokenGet))
	}))
	defer srv.Close()

	type seen struct {
		op    string
		paths []string
	}
	var got []seen
	hc := &http.Client{Transport: &contract.Transport{Validator: newValidator(t), OnExchange: func(ix contract.Interaction, res contract.Result) {
		got = append(got, seen{res.OperationID, paths(res.All())})
	}}}
	acct := srv.URL + "/client/v4/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens"
	for _, u := range []string{acct, acct + "/" + tokID} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer REDACTED")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.HasSuffix(u, tokID) && string(body) != brokenGet {
			t.Errorf("the caller got %q, want the body the server sent", body)
		}
	}
	if len(got) != 2 || got[0].op != "ai-search-list-tokens" || len(got[0].paths) != 0 ||
		got[1].op != "ai-search-fetch-tokens" || !slices.Contains(got[1].paths, "response body.result.id") {
		t.Fatalf("exchanges = %+v; want a valid list, then a get whose result breaks the contract", got)
	}
}

func TestTransportWithoutValidatorFailsCleanly(t *testing.T) {
	hc := &http.Client{Transport: &contract.Transport{}}
	resp, err := hc.Get("http://127.0.0.1:1/client/v4/accounts/a/ai-search/tokens")
	if err == nil {
		resp.Body.Close()
	}
	if err == nil || !strings.Contains(err.Error(), "no Validator") {
		t.Errorf("err = %v, want one saying the Validator is missing", err)
	}
}
