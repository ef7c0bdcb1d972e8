package cli_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// wireProxy sits between the CLI and an emulator on 127.0.0.1: it can add
// a fault header to chosen requests, and it learns every secret that
// crosses it (API token values in answers, cf_api_key in requests), so the
// tests can look for them in everything the CLI and the emulator wrote.
type wireProxy struct {
	URL string // base URL to give the CLI, with /client/v4

	mu      sync.Mutex
	done    map[string]bool // for once
	secrets []string
	keys    []string // the cf_api_key of each registration request, in order
	fault   func(*http.Request) string
}

func newWireProxy(t *testing.T, target string) *wireProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &wireProxy{}
	rp := &httputil.ReverseProxy{
		ErrorLog: log.New(io.Discard, "", 0), // a client that gave up is no news
		Rewrite:  func(r *httputil.ProxyRequest) { r.SetURL(&url.URL{Scheme: u.Scheme, Host: u.Host}) },
		ModifyResponse: func(resp *http.Response) error {
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			resp.Body = io.NopCloser(bytes.NewReader(b))
			p.learnAnswer(b)
			return nil
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		p.learnRequest(b)
		if tok, ok := cfauth.BearerToken(r.Header.Get(cfauth.Authorization)); ok {
			p.add(tok)
		}
		p.mu.Lock()
		fault := p.fault
		p.mu.Unlock()
		if fault != nil {
			if f := fault(r); f != "" {
				r.Header.Set(emulator.FaultHeader, f)
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL + strings.TrimRight(u.Path, "/")
	return p
}

// learnAnswer records the value an answer carries: result.value (an API
// token's create) or a string result (its roll).
func (p *wireProxy) learnAnswer(body []byte) {
	var env struct{ Result json.RawMessage }
	if json.Unmarshal(body, &env) != nil {
		return
	}
	var value string
	var tok struct{ Value string }
	if json.Unmarshal(env.Result, &value) != nil && json.Unmarshal(env.Result, &tok) == nil {
		value = tok.Value
	}
	p.add(value)
}

// learnRequest records the cf_api_key a registration sends.
func (p *wireProxy) learnRequest(body []byte) {
	var reg struct {
		CfAPIKey string `json:"cf_api_key"`
	}
	if json.Unmarshal(body, &reg) == nil && reg.CfAPIKey != "" {
		p.add(reg.CfAPIKey)
		p.mu.Lock()
		p.keys = append(p.keys, reg.CfAPIKey)
		p.mu.Unlock()
	}
}

func (p *wireProxy) add(s string) {
	if len(s) < cfauth.MinSecretLen { // as the scrubbers: shorter matches ordinary text
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, have := range p.secrets {
		if have == s {
			return
		}
	}
	p.secrets = append(p.secrets, s)
}

// Secrets is every secret seen so far.
func (p *wireProxy) Secrets() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.secrets...)
}

// LastKey is the cf_api_key the last registration request sent.
func (p *wireProxy) LastKey() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.keys) == 0 {
		return ""
	}
	return p.keys[len(p.keys)-1]
}

// FailWhen makes the emulator inject the fault f returns for a request
// (see emulator.FaultHeader; "" for none).
func (p *wireProxy) FailWhen(f func(*http.Request) string) {
	p.mu.Lock()
	p.fault = f
	p.mu.Unlock()
}

// assertNoneOf fails if any text holds one of secrets, naming the text but
// not the secret.
func assertNoneOf(t *testing.T, secrets []string, texts map[string]string) {
	t.Helper()
	secrets = slices.Compact(slices.Sorted(slices.Values(secrets)))
	for name, text := range texts {
		for i, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%s holds secret #%d of %d (%d characters)", name, i+1, len(secrets), len(s))
			}
		}
	}
}

// once reports whether key was seen before, and notes it: a fault
// injected once.
func (p *wireProxy) once(key string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done == nil {
		p.done = map[string]bool{}
	}
	seen := p.done[key]
	p.done[key] = true
	return seen
}
