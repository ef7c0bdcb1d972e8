package contract_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/go-aisearch/tokens/contract"
)

func itoa(n int) string { return strconv.Itoa(n) }

func TestWriteAndLoadCassette(t *testing.T) {
	ix := contract.Interaction{Method: "GET", URL: base + "?page=2", RequestHeader: bearer(),
		Status: 200, ResponseHeader: jsonHeader(), ResponseBody: []byte(`{"success":true}`)}
	file := filepath.Join(t.TempDir(), "sub", "c.yaml")
	if err := contract.WriteCassette(file, []contract.Interaction{ix, ix}); err != nil {
		t.Fatal(err)
	}
	got, err := contract.LoadCassette(file)
	if err != nil || len(got) != 2 {
		t.Fatalf("loaded %d, %v", len(got), err)
	}
	if got[1].URL != ix.URL || got[1].Status != 200 || string(got[1].ResponseBody) != `{"success":true}` || got[1].RequestHeader.Get("Authorization") != "Bearer REDACTED" {
		t.Errorf("round trip changed the interaction: %+v", got[1])
	}
	if _, err := contract.LoadCassette(strings.TrimSuffix(file, ".yaml") + ".json"); err == nil {
		t.Error("a non-.yaml name was accepted")
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\ninteractions: []\n"), 0o644)
	if _, err := contract.LoadCassette(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("old cassette format: err %v, want one naming the file", err)
	}
	os.WriteFile(bad, []byte("version: 2\ninteractions:\n- null\n"), 0o644)
	if _, err := contract.LoadCassette(bad); err == nil || !strings.Contains(err.Error(), "interaction 0 is empty") {
		t.Errorf("null interaction: err %v, want one naming it", err)
	}
}

func TestCassetteFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.yaml", "a.yaml", "notes.txt", "sub/c.yaml"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	got, err := contract.CassetteFiles([]string{dir, filepath.Join(dir, "a.yaml")})
	want := []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("got %v, %v; want %v", got, err, want)
	}
	if _, err := contract.CassetteFiles([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("a missing path was accepted")
	}
}

func TestMatcher(t *testing.T) {
	rec := cassette.Request{Method: "PUT", URL: "http://127.0.0.1:1/client/v4/x?b=2&a=1", Body: `{"name":"n","legacy":true}`}
	req := func(method, url, body string) *http.Request {
		r, _ := http.NewRequest(method, url, strings.NewReader(body))
		return r
	}
	cases := []struct {
		name string
		r    *http.Request
		want bool
	}{
		{"other host, query order, key order", req("PUT", "https://api.cloudflare.com/client/v4/x?a=1&b=2", `{ "legacy": true, "name": "n" }`), true},
		{"method", req("POST", "https://h/client/v4/x?a=1&b=2", `{"name":"n","legacy":true}`), false},
		{"path", req("PUT", "https://h/client/v4/y?a=1&b=2", `{"name":"n","legacy":true}`), false},
		{"query", req("PUT", "https://h/client/v4/x?a=1", `{"name":"n","legacy":true}`), false},
		{"body", req("PUT", "https://h/client/v4/x?a=1&b=2", `{"name":"m","legacy":true}`), false},
	}
	for _, tc := range cases {
		if got := contract.Matcher(tc.r, rec); got != tc.want {
			t.Errorf("%s: match %v, want %v", tc.name, got, tc.want)
		}
	}
	r := req("PUT", "https://h/client/v4/x?a=1&b=2", `{"name":"n","legacy":true}`)
	contract.Matcher(r, rec)
	if b, _ := io.ReadAll(r.Body); !bytes.Equal(b, []byte(`{"name":"n","legacy":true}`)) {
		t.Error("the matcher consumed the request body")
	}
}
