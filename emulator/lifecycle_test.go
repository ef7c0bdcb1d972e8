package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

// fakeClock advances one second per reading, so every write gets a
// distinct, predictable timestamp.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))}
	e := start(t, emulator.WithClock(clock.now))
	c := e.client(t, bearer(token))
	ctx := context.Background()

	var ids []string
	for i, name := range []string{"alpha", "beta", "Gamma"} {
		in := input(name)
		if i == 2 {
			in.Legacy = ptr(false)
		}
		res, err := c.CreateTokenWithResponse(ctx, account, in)
		if err != nil || res.StatusCode() != http.StatusCreated {
			t.Fatalf("create %s: %v %d %s", name, err, res.StatusCode(), res.Body)
		}
		tok := res.JSON201.Result
		if u, err := uuid.Parse(tok.ID); err != nil || u.Version() != 4 {
			t.Errorf("id %q is not a uuid v4", tok.ID)
		}
		if tok.CreatedAt.Location() != time.UTC || !tok.CreatedAt.Equal(tok.ModifiedAt) {
			t.Errorf("timestamps: created %v modified %v, want equal and UTC", tok.CreatedAt, tok.ModifiedAt)
		}
		if tok.Name != name || tok.CfAPIID != svcID || !*tok.Enabled || *tok.Legacy != (i != 2) {
			t.Errorf("created %+v", tok)
		}
		for _, want := range []string{`"errors":[]`, `"messages":[]`, `"success":true`} {
			if !strings.Contains(string(res.Body), want) {
				t.Errorf("create body lacks %s: %s", want, res.Body)
			}
		}
		if strings.Contains(string(res.Body), "cf_api_key") || strings.Contains(string(res.Body), svcKey) {
			t.Errorf("create echoes the secret: %s", res.Body)
		}
		ids = append(ids, tok.ID)
	}

	got, err := c.GetTokenWithResponse(ctx, account, ids[1])
	if err != nil || got.JSON200 == nil || got.JSON200.Result.Name != "beta" {
		t.Fatalf("get: %v %s", err, got.Body)
	}

	before := got.JSON200.Result
	upd, err := c.UpdateTokenWithResponse(ctx, account, ids[1], generated.TokenInput{Name: "beta2", CfAPIID: svc2ID, CfAPIKey: svc2Key})
	if err != nil || upd.JSON200 == nil {
		t.Fatalf("update: %v %s", err, upd.Body)
	}
	after := upd.JSON200.Result
	if after.Name != "beta2" || after.CfAPIID != svc2ID || !after.CreatedAt.Equal(before.CreatedAt) || !after.ModifiedAt.After(before.ModifiedAt) || !*after.Legacy {
		t.Errorf("update: before %+v after %+v", before, after)
	}
	if !e.srv.KeyMatches(account, ids[1], svc2Key) || e.srv.KeyMatches(account, ids[1], svcKey) {
		t.Error("update did not replace cf_api_key")
	}

	list, err := c.ListTokensWithResponse(ctx, account, nil)
	if err != nil || list.JSON200 == nil {
		t.Fatalf("list: %v %s", err, list.Body)
	}
	if names := tokenNames(list.JSON200.Result); names != "alpha,beta2,Gamma" {
		t.Errorf("list order %s, want creation order", names)
	}
	if ri := list.JSON200.ResultInfo; ri != (generated.ResultInfo{Page: 1, PerPage: 20, Count: 3, TotalCount: 3}) {
		t.Errorf("result_info %+v", ri)
	}

	// 409 while in use, 200 once released, then 404.
	if err := e.srv.MarkInUse(account, ids[0], "docs-search", "blog-search"); err != nil {
		t.Fatal(err)
	}
	del, _ := c.DeleteTokenWithResponse(ctx, account, ids[0])
	if del.StatusCode() != http.StatusConflict || del.JSON409.Errors[0].Code != emulator.CodeInUse ||
		del.JSON409.Errors[0].Message != "token_in_use_by_instances" {
		t.Errorf("delete in use: %d %s", del.StatusCode(), del.Body)
	}
	if err := e.srv.MarkInUse(account, ids[0]); err != nil {
		t.Fatal(err)
	}
	del, _ = c.DeleteTokenWithResponse(ctx, account, ids[0])
	if del.StatusCode() != http.StatusOK || string(del.Body) != `{"errors":[],"messages":[],"result":{},"success":true}`+"\n" {
		t.Errorf("delete: %d %s", del.StatusCode(), del.Body)
	}
	for _, op := range []func() (int, *generated.ErrorEnvelope){
		func() (int, *generated.ErrorEnvelope) {
			r, _ := c.GetTokenWithResponse(ctx, account, ids[0])
			return r.StatusCode(), r.JSON404
		},
		func() (int, *generated.ErrorEnvelope) {
			r, _ := c.DeleteTokenWithResponse(ctx, account, ids[0])
			return r.StatusCode(), r.JSON404
		},
		func() (int, *generated.ErrorEnvelope) {
			r, _ := c.UpdateTokenWithResponse(ctx, account, ids[0], input("x"))
			return r.StatusCode(), r.JSON404
		},
	} {
		if status, env := op(); status != http.StatusNotFound || env == nil || env.Errors[0].Code != emulator.CodeTokenNotFound || env.Errors[0].Message != "token_not_found" {
			t.Errorf("after delete: %d %+v, want 404 code %d", status, env, emulator.CodeTokenNotFound)
		}
	}
	if err := e.srv.MarkInUse(account, ids[0], "x"); err == nil {
		t.Error("MarkInUse of a deleted token succeeded")
	}
	if n := len(e.srv.Tokens(account)); n != 2 {
		t.Errorf("%d tokens left, want 2", n)
	}
}

func tokenNames(ts []generated.Token) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return strings.Join(names, ",")
}

func seedN(t testing.TB, srv *emulator.Server, acc string, n int) {
	t.Helper()
	for i := range n {
		err := srv.Seed(acc, emulator.SeedToken{ID: uuid.NewString(), Name: fmt.Sprintf("tok-%03d", i), CfAPIID: "id", CfAPIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	e := start(t)
	seedN(t, e.srv, account, 5)
	c := e.client(t, bearer(token))
	cases := []struct {
		page, perPage *int
		search        *string
		acc           string
		names         string
		info          generated.ResultInfo
	}{
		{perPage: ptr(2), names: "tok-000,tok-001", info: generated.ResultInfo{Page: 1, PerPage: 2, Count: 2, TotalCount: 5}},
		{page: ptr(2), perPage: ptr(2), names: "tok-002,tok-003", info: generated.ResultInfo{Page: 2, PerPage: 2, Count: 2, TotalCount: 5}},
		{page: ptr(3), perPage: ptr(2), names: "tok-004", info: generated.ResultInfo{Page: 3, PerPage: 2, Count: 1, TotalCount: 5}},
		{page: ptr(4), perPage: ptr(2), names: "", info: generated.ResultInfo{Page: 4, PerPage: 2, Count: 0, TotalCount: 5}},
		{page: ptr(100), perPage: ptr(100), names: "", info: generated.ResultInfo{Page: 100, PerPage: 100, Count: 0, TotalCount: 5}},
		{page: ptr(5), perPage: ptr(1), names: "tok-004", info: generated.ResultInfo{Page: 5, PerPage: 1, Count: 1, TotalCount: 5}},
		{perPage: ptr(100), names: "tok-000,tok-001,tok-002,tok-003,tok-004", info: generated.ResultInfo{Page: 1, PerPage: 100, Count: 5, TotalCount: 5}},
		{acc: other, names: "", info: generated.ResultInfo{Page: 1, PerPage: 20, Count: 0, TotalCount: 0}},
		{search: ptr("TOK-00"), perPage: ptr(3), page: ptr(2), names: "tok-003,tok-004", info: generated.ResultInfo{Page: 2, PerPage: 3, Count: 2, TotalCount: 5}},
		{search: ptr("k-004"), names: "tok-004", info: generated.ResultInfo{Page: 1, PerPage: 20, Count: 1, TotalCount: 1}},
		{search: ptr("nope"), names: "", info: generated.ResultInfo{Page: 1, PerPage: 20, Count: 0, TotalCount: 0}},
		{search: ptr(""), names: "tok-000,tok-001,tok-002,tok-003,tok-004", info: generated.ResultInfo{Page: 1, PerPage: 20, Count: 5, TotalCount: 5}},
	}
	for _, tc := range cases {
		acc := account
		if tc.acc != "" {
			acc = tc.acc
		}
		res, err := c.ListTokensWithResponse(context.Background(), acc, &generated.ListTokensParams{Page: tc.page, PerPage: tc.perPage, Search: tc.search})
		if err != nil || res.JSON200 == nil {
			t.Fatalf("list: %v %s", err, res.Body)
		}
		if got := tokenNames(res.JSON200.Result); got != tc.names || res.JSON200.ResultInfo != tc.info {
			t.Errorf("%+v: got %q %+v, want %q %+v", tc, got, res.JSON200.ResultInfo, tc.names, tc.info)
		}
		if tc.names == "" && !strings.Contains(string(res.Body), `"result":[]`) {
			t.Errorf("empty page is not []: %s", res.Body)
		}
	}
}

func TestAccountIsolation(t *testing.T) {
	t.Parallel()
	e := start(t)
	c := e.client(t, bearer(token))
	ctx := context.Background()
	res, err := c.CreateTokenWithResponse(ctx, account, input("mine"))
	if err != nil || res.JSON201 == nil {
		t.Fatalf("create: %v", err)
	}
	id := res.JSON201.Result.ID
	if l, _ := c.ListTokensWithResponse(ctx, other, nil); l.JSON200 == nil || len(l.JSON200.Result) != 0 {
		t.Errorf("other account lists %s", l.Body)
	}
	if r, _ := c.GetTokenWithResponse(ctx, other, id); r.StatusCode() != http.StatusNotFound {
		t.Errorf("other account get: %d", r.StatusCode())
	}
	if r, _ := c.UpdateTokenWithResponse(ctx, other, id, input("x")); r.StatusCode() != http.StatusNotFound {
		t.Errorf("other account update: %d", r.StatusCode())
	}
	if r, _ := c.DeleteTokenWithResponse(ctx, other, id); r.StatusCode() != http.StatusNotFound {
		t.Errorf("other account delete: %d", r.StatusCode())
	}
	if got := e.srv.Tokens(account); len(got) != 1 || got[0].Name != "mine" {
		t.Errorf("owner's tokens changed: %+v", got)
	}
	if got := e.srv.Tokens(other); got == nil || len(got) != 0 {
		t.Errorf("Tokens(other) = %#v, want empty non-nil", got)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	e := start(t)
	path := "/accounts/" + account + "/ai-search/tokens"
	// code: 0 when the credential works; else the refusal's code (and its
	// status: 9106 and 6003 are 400s, 10000 a 401).
	cases := []struct {
		name    string
		headers map[string]string
		code    int
	}{
		{"no credentials", nil, emulator.CodeNoCredential},
		{"right bearer", bearer(token), 0},
		{"wrong bearer", bearer("nope"), emulator.CodeAuth},
		{"lowercase scheme", map[string]string{"Authorization": "bearer " + token}, 0},
		{"empty bearer", map[string]string{"Authorization": "Bearer "}, emulator.CodeInvalidHeaders},
		{"basic scheme", map[string]string{"Authorization": "Basic " + token}, emulator.CodeInvalidHeaders},
		{"right key pair", map[string]string{"X-Auth-Email": email, "X-Auth-Key": key}, 0},
		{"wrong key", map[string]string{"X-Auth-Email": email, "X-Auth-Key": "nope"}, emulator.CodeAuth},
		{"wrong email", map[string]string{"X-Auth-Email": "x@example.com", "X-Auth-Key": key}, emulator.CodeAuth},
		{"key without email", map[string]string{"X-Auth-Key": key}, emulator.CodeNoCredential},
		{"token as key", map[string]string{"X-Auth-Email": email, "X-Auth-Key": token}, emulator.CodeAuth},
		{"bearer decides: right bearer, wrong key", map[string]string{"Authorization": "Bearer " + token, "X-Auth-Email": email, "X-Auth-Key": "nope"}, 0},
		{"bearer decides: wrong bearer, right key", map[string]string{"Authorization": "Bearer nope", "X-Auth-Email": email, "X-Auth-Key": key}, emulator.CodeAuth},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			body := ""
			h := map[string]string{}
			for k, v := range tc.headers {
				h[k] = v
			}
			if method == http.MethodPost {
				body, h["Content-Type"] = `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`, "application/json"
			}
			status, _, b := e.do(t, method, path, body, h)
			want := map[int]int{0: map[string]int{http.MethodGet: 200, http.MethodPost: 201}[method],
				emulator.CodeAuth: 401, emulator.CodeNoCredential: 400, emulator.CodeInvalidHeaders: 400}[tc.code]
			if status != want {
				t.Errorf("%s %s: %d, want %d: %s", tc.name, method, status, want, b)
			}
			if tc.code != 0 && !strings.Contains(string(b), fmt.Sprintf(`"code":%d`, tc.code)) {
				t.Errorf("%s: body lacks code %d: %s", tc.name, tc.code, b)
			}
		}
	}

	// With no credentials configured, any non-empty one is accepted.
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	if !srv.AcceptsAnyCredential() {
		t.Error("AcceptsAnyCredential false without configured credentials")
	}
	open := &checked{t: t, srv: srv}
	hs := httpServer(t, open.middleware(sharedValidator(t), srv.Handler()))
	open.URL = hs + emulator.BasePath
	for _, h := range []map[string]string{bearer("anything"), {"X-Auth-Email": "a", "X-Auth-Key": "b"}} {
		if status, _, b := open.do(t, "GET", path, "", h); status != 200 {
			t.Errorf("open auth %v: %d %s", h, status, b)
		}
	}
	if status, _, _ := open.do(t, "GET", path, "", map[string]string{"X-Auth-Key": "b"}); status != 400 {
		t.Errorf("open auth with half a key pair: %d, want 400 (code 9106)", status)
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	e := start(t)
	id := uuid.NewString()
	cases := []struct {
		method, path string
		status, code int
		allow        string // a 405's Allow: the path's methods, as the spec lists them
	}{
		{"GET", "/accounts/" + account + "/ai-search/nope", 404, emulator.CodeNoRoute, ""},
		{"GET", "/accounts/" + account + "/ai-search/tokens/" + id + "/extra", 404, emulator.CodeNoRoute, ""},
		{"GET", "/accounts/" + account + "/ai-search/tokens/", 404, emulator.CodeNoRoute, ""},
		{"GET", "/accounts//ai-search/tokens", 404, emulator.CodeNoRoute, ""},
		{"PATCH", "/accounts/" + account + "/ai-search/tokens/" + id, 405, emulator.CodeMethodNotAllow, "DELETE, GET, PUT"},
		{"DELETE", "/accounts/" + account + "/ai-search/tokens", 405, emulator.CodeMethodNotAllow, "GET, POST"},
		{"POST", "/user/tokens/verify", 405, emulator.CodeMethodNotAllow, "GET"},
		{"GET", "/../accounts/" + account + "/ai-search/tokens", 404, emulator.CodeNoRoute, ""},
	}
	for _, tc := range cases {
		status, h, b := e.do(t, tc.method, tc.path, "", bearer(token))
		var env generated.ErrorEnvelope
		if status != tc.status || h.Get("Content-Type") != "application/json" || json.Unmarshal(b, &env) != nil || env.Success || env.Errors[0].Code != tc.code {
			t.Errorf("%s %s: %d %s, want %d code %d", tc.method, tc.path, status, b, tc.status, tc.code)
		}
		if h.Get("Allow") != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, h.Get("Allow"), tc.allow)
		}
	}
	// Outside /client/v4 entirely.
	base := strings.TrimSuffix(e.URL, emulator.BasePath)
	resp, err := http.Get(base + "/accounts/" + account + "/ai-search/tokens")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("outside the base path: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestRequestVariantsClientsSend(t *testing.T) {
	t.Parallel()
	e := start(t)
	path := "/accounts/" + account + "/ai-search/tokens"
	// Members the schema does not name are ignored (Content-Type spellings
	// are TestUnusualContentTypesGetTheSameChecks's).
	body := `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123","unknown_field":1}`
	if status, _, b := e.do(t, "POST", path, body, jsonAuth); status != 201 {
		t.Errorf("a body with an unknown member: %d %s", status, b)
	}
	// A body on a GET is ignored, as are headers the official SDKs add.
	h := map[string]string{"Authorization": "Bearer " + token, "X-Stainless-Retry-Count": "0", "Accept": "application/json", "Content-Type": "application/json"}
	if status, _, b := e.do(t, "GET", path+"?page=1&per_page=2&search=n", `{"x":1}`, h); status != 200 {
		t.Errorf("GET with body: %d %s", status, b)
	}
}
