package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func runLoadCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"load"}, args...), Stdio{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestLoadRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--account", "a"},
		{"--base-url", "https://api.cloudflare.com/client/v4", "--account", "a"},
		{"--base-url", "http://10.1.2.3/client/v4", "--account", "a"},
		{"--base-url", "http://127.0.0.1:1/client/v4"},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account", "a", "--mix", "list=x"},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account", "a", "--requests", "0"},
		{"--base-url", "http://127.0.0.1:1/client/v4", "--account", "a", "--concurrency", "-1"},
	} {
		if code, _, stderr := runLoadCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, ExitUsage, stderr)
		}
	}
}

func TestLoadRunsAgainstLoopback(t *testing.T) {
	t.Setenv("CLOUDFLARE_API_TOKEN", "load-test-token")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer load-test-token" {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"success":true,"result":[],"result_info":{"page":1,"per_page":20,"count":0,"total_count":0}}`))
	}))
	defer srv.Close()
	code, out, stderr := runLoadCLI(t, "--base-url", srv.URL+"/client/v4", "--account", "acct", "--concurrency", "3", "--requests", "50", "--mix", "list=1", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Requests   int         `json:"requests"`
		Unexpected int         `json:"unexpected"`
		Statuses   map[int]int `json:"statuses"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Requests != 50 || got.Unexpected != 0 || got.Statuses[200] != 50 {
		t.Errorf("got %+v", got)
	}
	if strings.Contains(out+stderr, "load-test-token") {
		t.Error("the API token appears in the output")
	}
}
