package contract_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
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

// TestTransportValidatesAPITokenOperations runs the aisearch client's API
// token calls of both owners against the emulator through Transport: every
// one of the sixteen operations is seen, and each exchange is valid, the
// 404 after the delete included.
func TestTransportValidatesAPITokenOperations(t *testing.T) {
	ts := emulator.NewTestServer(t)
	var mu sync.Mutex
	seen := map[string]int{}
	var bad []string
	hc := &http.Client{Transport: &contract.Transport{Validator: newValidator(t), OnExchange: func(ix contract.Interaction, res contract.Result) {
		mu.Lock()
		defer mu.Unlock()
		seen[res.OperationID]++
		for _, v := range res.All() {
			bad = append(bad, fmt.Sprintf("%s %s -> %d: %s", ix.Method, ix.URL, ix.Status, v))
		}
	}}}
	c, err := aisearch.New(ts.AccountID, aisearch.WithAPIToken(ts.APIToken), aisearch.WithBaseURL(ts.BaseURL), aisearch.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, owner := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		api := c.APITokens(owner)
		params := aisearch.APITokenParams{Name: "svc-" + owner.String(), Policies: []aisearch.Policy{{
			Effect: "allow", PermissionGroups: []aisearch.PermissionGroup{{ID: aisearch.PermissionAISearchIndexEngine}},
			Resources: map[string]any{aisearch.AccountResource(ts.AccountID): "*"}}}}
		created, err := api.Create(ctx, params)
		if err != nil {
			t.Fatalf("%s: create: %v", owner, err)
		}
		steps := []func() error{
			func() error { _, err := api.VerifyValue(ctx, created.Value); return err },
			func() error { _, err := api.Get(ctx, created.ID); return err },
			func() error { _, err := api.List(ctx, aisearch.APITokenListOptions{PerPage: 5}); return err },
			func() error { params.Name += "-renamed"; _, err := api.Update(ctx, created.ID, params); return err },
			func() error { _, err := api.Roll(ctx, created.ID); return err },
			func() error { _, err := api.PermissionGroups(ctx, aisearch.PermissionGroupFilter{}); return err },
			func() error { return api.Delete(ctx, created.ID) },
			func() error {
				if _, err := api.Get(ctx, created.ID); !errors.Is(err, aisearch.ErrNotFound) {
					return fmt.Errorf("get after delete: %v, want ErrNotFound", err)
				}
				return nil
			},
		}
		for i, step := range steps {
			if err := step(); err != nil {
				t.Fatalf("%s: step %d: %v", owner, i, err)
			}
		}
	}
	for _, v := range bad {
		t.Error(v)
	}
	for _, op := range []string{"list-tokens", "create-token", "token-details", "update-token", "delete-token", "roll-token", "verify-token"} {
		for _, owner := range []string{"user", "account"} {
			if seen[owner+"-api-tokens-"+op] == 0 {
				t.Errorf("%s-api-tokens-%s not seen: %v", owner, op, seen)
			}
		}
	}
	if seen["permission-groups-list-permission-groups"] == 0 || seen["account-api-tokens-list-permission-groups"] == 0 || len(seen) != 16 {
		t.Errorf("operations seen: %v, want the 16 API token operations", seen)
	}
}

// TestTransportFlagsLeakedValue: an API token get that carries the secret
// value breaks the contract, and Transport says so.
func TestTransportFlagsLeakedValue(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"result":{"id":"ed17574386854bf78a67040be0a770b0","name":"n","status":"active",` +
			`"issued_on":"2018-07-01T05:20:00Z","modified_on":"2018-07-02T05:20:00Z","policies":[],"value":"` + strings.Repeat("v", 40) + `"}}`))
	}))
	defer srv.Close()
	var got []string
	hc := &http.Client{Transport: &contract.Transport{Validator: newValidator(t), OnExchange: func(_ contract.Interaction, res contract.Result) {
		got = append(got, paths(res.All())...)
	}}}
	req, _ := http.NewRequest("GET", srv.URL+"/client/v4/user/tokens/ed17574386854bf78a67040be0a770b0", nil)
	req.Header.Set("Authorization", "Bearer REDACTED")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !slices.Equal(got, []string{"response body.result"}) {
		t.Errorf("violations %v, want the leaked value at response body.result", got)
	}
}
