package emulator_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A Content-Type the server cannot parse must not open a side door past
// the one-JSON-value guard: every way of calling a body JSON is decided
// once, and a body that is not exactly one JSON value is refused.
func TestUnusualContentTypesGetTheSameChecks(t *testing.T) {
	t.Parallel()
	e := start(t)
	path := "/accounts/" + account + "/ai-search/tokens"
	good := `{"name":"a","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`
	cases := []struct {
		contentType, body string
		want              int
		path              string // errors[].path of the 400, joined by "."
	}{
		{"application/json", good + " trailing garbage", 400, "body"},
		{"application/json;;;", good + " trailing garbage", 400, "body"},
		{"application/json; charset", good + " trailing garbage", 400, "body"},
		{"application/json; =", good + " trailing garbage", 400, "body"},
		{"application/json;;;", good, 400, "body"},
		{"application/json; charset", good, 400, "body"},
		{"application/json; =", good, 400, "body"},
		{"text/plain", good, 400, "body"},
		{"", good, 400, "body"},
		{"application/json", good, 201, ""},
		{"application/json; charset=utf-8", good, 201, ""},
		{"APPLICATION/JSON ; charset=UTF-8", good, 201, ""},
		{"Application/JSON", good, 201, ""},
	}
	for _, tc := range cases {
		h := bearer(token)
		if tc.contentType != "" {
			h["Content-Type"] = tc.contentType
		}
		before := len(e.srv.Tokens(account))
		status, _, body := e.do(t, "POST", path, tc.body, h)
		created := len(e.srv.Tokens(account)) - before
		if status != tc.want || created != map[bool]int{true: 1, false: 0}[tc.want == 201] {
			t.Errorf("Content-Type %q, body %.50q: %d (%d created) %s, want %d", tc.contentType, tc.body, status, created, body, tc.want)
			continue
		}
		if tc.want == 400 && !hasErrorPath(body, tc.path) {
			t.Errorf("Content-Type %q: 400 without errors[].path %s: %s", tc.contentType, tc.path, body)
		}
	}
	// The same holds for update.
	id := e.srv.Tokens(account)[0].ID
	status, _, body := e.do(t, "PUT", path+"/"+id, good+" x", map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json;;;"})
	if status != 400 || !hasErrorPath(body, "body") {
		t.Errorf("update with an unparseable Content-Type: %d %s", status, body)
	}
}

func hasErrorPath(body []byte, path string) bool {
	var env struct {
		Errors []struct {
			Path []string `json:"path"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil {
		return false
	}
	for _, e := range env.Errors {
		if strings.Join(e.Path, ".") == path {
			return true
		}
	}
	return false
}

// A malformed query string is refused, not silently dropped: search=%zz
// must not list every token.
func TestMalformedQueryIsRefused(t *testing.T) {
	t.Parallel()
	e := start(t)
	seedN(t, e.srv, account, 2)
	path := "/accounts/" + account + "/ai-search/tokens"
	for q, where := range map[string]string{
		"search=%zz":          "query.search",
		"page=1&search=%zz":   "query.search",
		"%zz=1":               "query.%zz",
		"search=a;per_page=1": "query.search",
		"per_page=%":          "query.per_page",
	} {
		status, _, body := e.do(t, "GET", path+"?"+q, "", bearer(token))
		if status != 400 || !hasErrorPath(body, where) {
			t.Errorf("?%s: %d %s, want 400 with errors[].path %s", q, status, body, where)
		}
	}
	if status, _, body := e.do(t, "GET", path+"?search=tok%2D000&per_page=5", "", bearer(token)); status != 200 || !strings.Contains(string(body), `"total_count":1`) {
		t.Errorf("a well-formed query: %d %s", status, body)
	}
}

// A request with both Content-Length and Transfer-Encoding: chunked is the
// shape of request smuggling (RFC 9112 §6.1). net/http drops the
// Content-Length before the handler runs, so the emulator cannot tell such
// a request from an honest chunked one: it closes the connection after
// answering any chunked request, and the request hidden in the body is
// never answered.
func TestSmuggledRequestIsNeverAnswered(t *testing.T) {
	t.Parallel()
	e := start(t)
	addr := strings.TrimPrefix(strings.TrimSuffix(e.URL, "/client/v4"), "http://")
	hidden := "GET /client/v4/accounts/" + account + "/ai-search/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n"
	body := "0\r\n\r\n" + hidden
	raw := "POST /client/v4/accounts/" + account + "/ai-search/tokens HTTP/1.1\r\nHost: x\r\n" +
		"Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n", len(body)) + "Transfer-Encoding: chunked\r\n\r\n" + body
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	var statuses []int
	for range 3 {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			break // the server closed the connection
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	if len(statuses) != 1 {
		t.Errorf("answers %v: the request hidden in the chunked body was answered", statuses)
	}
	if _, err := br.ReadByte(); err == nil {
		t.Error("the connection is still open after the chunked request")
	}
}

// Member names match the schema's exactly: a second member spelled in
// another case is an unknown member (allowed, ignored), never the field.
// (encoding/json alone matches names case-insensitively, so "NAME" would
// have overwritten "name".)
func TestMemberNamesMatchExactly(t *testing.T) {
	t.Parallel()
	e := start(t)
	path := "/accounts/" + account + "/ai-search/tokens"
	status, _, body := e.do(t, "POST", path, `{"name":"exact","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123","NAME":"other","Cf_Api_Id":"y"}`,
		map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	got := e.srv.Tokens(account)
	if len(got) != 1 || got[0].Name != "exact" || got[0].CfAPIID != svcID {
		t.Errorf("stored %+v, want name %q and cf_api_id %q", got, "exact", svcID)
	}
}
