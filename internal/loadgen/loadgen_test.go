package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseMix(t *testing.T) {
	m, err := ParseMix("list=5, get=3,CREATE=1,delete=0")
	if err != nil {
		t.Fatal(err)
	}
	if got := m.String(); got != "list=5,get=3,create=1,delete=0" {
		t.Errorf("String() = %q", got)
	}
	for _, bad := range []string{"", "list", "list=x", "list=-1", "lsit=1", "list=1,list=2", "list=0,get=0", "get=99999999"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
}

func TestCheckLoopback(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8787/client/v4", "http://localhost/client/v4", "http://[::1]:1/x", "https://127.0.0.2/"} {
		if err := CheckLoopback(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"https://api.cloudflare.com/client/v4", "http://10.0.0.1/", "http://0.0.0.0:80/", "ftp://127.0.0.1/", "http://127.0.0.1.example.com/", "::", "http://localhost.evil/"} {
		if err := CheckLoopback(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	good := Config{BaseURL: "http://127.0.0.1:1/client/v4", AccountID: "a", Requests: 1}
	for name, mut := range map[string]func(*Config){
		"remote":     func(c *Config) { c.BaseURL = "https://api.cloudflare.com/client/v4" },
		"unbounded":  func(c *Config) { c.Requests = 0 },
		"no account": func(c *Config) { c.AccountID = "" },
		"slash acct": func(c *Config) { c.AccountID = "a/b" },
		"huge conc":  func(c *Config) { c.Concurrency = MaxConcurrency + 1 },
		"long":       func(c *Config) { c.Duration = MaxDuration + 1 },
		"zero mix":   func(c *Config) { c.Mix = Mix{OpList: 0} },
	} {
		c := good
		mut(&c)
		if _, err := Run(context.Background(), c); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// mintedID is the id of the service token the fake mints.
const mintedID = "0123456789abcdef0123456789abcdef"

// fake is a minimal in-memory tokens API: enough to check the generator's
// bookkeeping without depending on the emulator package.
type fake struct {
	mu     sync.Mutex
	n      int
	tokens map[string]input
}

func newFake() (*httptest.Server, *fake) {
	f := &fake{tokens: map[string]input{}}
	mux := http.NewServeMux()
	base := "/client/v4/accounts/acct/ai-search/tokens"
	write := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET "+base, func(w http.ResponseWriter, r *http.Request) {
		write(w, 200, map[string]any{"success": true, "result": []any{}})
	})
	// The service token the run mints when it is given none.
	mux.HandleFunc("POST /client/v4/user/tokens", func(w http.ResponseWriter, r *http.Request) {
		write(w, 200, map[string]any{"success": true, "result": map[string]any{"id": mintedID, "value": "minted-value"}})
	})
	mux.HandleFunc("POST "+base, func(w http.ResponseWriter, r *http.Request) {
		var in input
		json.NewDecoder(r.Body).Decode(&in)
		f.mu.Lock()
		f.n++
		id := fmt.Sprintf("id-%d", f.n)
		f.tokens[id] = in
		f.mu.Unlock()
		write(w, 201, map[string]any{"success": true, "result": map[string]any{"id": id}})
	})
	mux.HandleFunc(base+"/{id}", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		f.mu.Lock()
		defer f.mu.Unlock()
		if _, ok := f.tokens[id]; !ok {
			write(w, 404, map[string]any{"success": false})
			return
		}
		switch r.Method {
		case http.MethodPut:
			var in input
			json.NewDecoder(r.Body).Decode(&in)
			f.tokens[id] = in
		case http.MethodDelete:
			delete(f.tokens, id)
		}
		write(w, 200, map[string]any{"success": true, "result": map[string]any{}})
	})
	f.tokens["seed"] = input{} // not the run's: it must survive untouched
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			write(w, 403, map[string]any{"success": false})
			return
		}
		mux.ServeHTTP(w, r)
	}))
	return srv, f
}

func TestRunRecordsAcknowledgedState(t *testing.T) {
	srv, f := newFake()
	defer srv.Close()
	res, err := Run(context.Background(), Config{
		BaseURL: srv.URL + "/client/v4", AccountID: "acct", APIToken: "tok",
		Concurrency: 4, Requests: 600, Seed: 1, Record: true,
		Mix: Mix{OpList: 2, OpGet: 2, OpCreate: 3, OpUpdate: 2, OpDelete: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 600 || res.Failed != 0 || res.Unexpected() != 0 {
		var b strings.Builder
		res.WriteText(&b)
		t.Fatalf("want 600 clean requests:\n%s", b.String())
	}
	for _, op := range Ops {
		if res.ByOp[op] == nil || res.ByOp[op].Requests == 0 {
			t.Errorf("no %s requests sent", op)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	live := 0
	for id, e := range res.Final {
		got, ok := f.tokens[id]
		if e.Deleted {
			if ok {
				t.Errorf("%s: deleted but still stored", id)
			}
			continue
		}
		live++
		legacy := got.Legacy == nil || *got.Legacy
		if !ok || got.Name != e.Name || got.CfAPIID != e.CfAPIID || legacy != e.Legacy {
			t.Errorf("%s: stored %+v (present %v), want %+v", id, got, ok, e)
		}
		if got.CfAPIID != mintedID || got.CfAPIKey != "minted-value" {
			t.Errorf("%s: registered %q, want the minted service token %q", id, got.CfAPIID, mintedID)
		}
	}
	if len(f.tokens) != live+1 { // +1: the seeded token
		t.Errorf("store holds %d tokens, the run acknowledged %d live ones (+1 seeded)", len(f.tokens), live)
	}
}

func TestRunStopsAtDuration(t *testing.T) {
	srv, _ := newFake()
	defer srv.Close()
	start := time.Now()
	res, err := Run(context.Background(), Config{BaseURL: srv.URL + "/client/v4", AccountID: "acct", APIToken: "tok", Concurrency: 2, Duration: 150 * time.Millisecond, Mix: Mix{OpList: 1},
		ServiceTokenID: "svc", ServiceTokenKey: "svc-key"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Unexpected() != 0 {
		t.Errorf("requests %d, unexpected %d", res.Requests, res.Unexpected())
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("a 150ms run took %s", el)
	}
}

// A loopback server that redirects elsewhere must not pull traffic off
// loopback: the generator counts the 3xx and never follows it.
func TestRunDoesNotFollowRedirects(t *testing.T) {
	var followed atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Add(1) }))
	defer target.Close()
	srv := httptest.NewServer(http.RedirectHandler(target.URL+"/elsewhere", http.StatusFound))
	defer srv.Close()
	res, err := Run(context.Background(), Config{BaseURL: srv.URL + "/client/v4", AccountID: "acct", APIToken: "tok", Requests: 5, Mix: Mix{OpList: 1},
		ServiceTokenID: "svc", ServiceTokenKey: "svc-key"})
	if err != nil {
		t.Fatal(err)
	}
	if n := followed.Load(); n != 0 || res.Statuses[http.StatusFound] != 5 || res.Unexpected() != 5 {
		t.Errorf("followed %d redirects; statuses %v, unexpected %d", n, res.Statuses, res.Unexpected())
	}
}

// A service token that cannot be minted stops the run before any traffic.
func TestRunRefusedMint(t *testing.T) {
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer srv.Close()
	_, err := Run(context.Background(), Config{BaseURL: srv.URL + "/client/v4", AccountID: "acct", APIToken: "tok", Requests: 5})
	if !errors.Is(err, ErrServiceToken) || !strings.Contains(err.Error(), "mint the service token") || !strings.Contains(err.Error(), "403") {
		t.Errorf("Run = %v, want the refused mint", err)
	}
	if n := sent.Load(); n != 1 {
		t.Errorf("%d requests sent, want only the mint", n)
	}
}
