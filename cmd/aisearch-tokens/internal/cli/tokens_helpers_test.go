package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

// Test secrets: the leak checks look for these in all CLI output.
const (
	cliAccount  = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	cliAPIToken = "tok-CLISECRET-7e8f9a0b"
	cliCfAPIKey = "cfk-CLISECRET-1c2d3e4f"
	cliTokenID  = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
)

// result is one CLI run.
type result struct {
	code     int
	out, err string
}

// harness runs the CLI with an environment of its own, so tests run in
// parallel: nothing is read from or written to the process's.
type harness struct {
	t   *testing.T
	env map[string]string
	// stdinTerminal and stderrTerminal make the CLI believe a person is
	// at stdin (it may ask) or watching stderr (it shows progress).
	stdinTerminal, stderrTerminal bool
}

func newHarness(t *testing.T) *harness {
	return &harness{t: t, env: map[string]string{}}
}

// useAPI points the CLI at baseURL with account and token (either may be
// empty: not set).
func useAPI(t *testing.T, baseURL, account, token string) *harness {
	h := newHarness(t)
	h.set("CLOUDFLARE_API_BASE_URL", baseURL)
	h.set("CLOUDFLARE_ACCOUNT_ID", account)
	h.set("CLOUDFLARE_API_TOKEN", token)
	return h
}

// set sets a variable of the CLI's environment; "" unsets it.
func (h *harness) set(k, v string) {
	if v == "" {
		delete(h.env, k)
		return
	}
	h.env[k] = v
}

// run executes the CLI with stdin and args.
func (h *harness) run(stdin string, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	env := &cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv:          func(k string) string { return h.env[k] },
		StdinIsTerminal: h.stdinTerminal, StderrIsTerminal: h.stderrTerminal,
		Retry: aisearch.NoWaitRetryPolicy(), // retries are tested, not their backoff
	}
	code := cli.Main(context.Background(), args, env)
	return result{code, out.String(), errb.String()}
}

// run executes the CLI with stdin and args, and no environment variable.
func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return newHarness(t).run(stdin, args...)
}

// assertNoSecrets fails if any CLI output holds a test secret: assertNoneOf
// with this file's secrets, so a failure names the output, not the secret.
func assertNoSecrets(t *testing.T, texts ...string) {
	t.Helper()
	named := make(map[string]string, len(texts))
	for i, s := range texts {
		named[fmt.Sprintf("output #%d", i+1)] = s
	}
	assertNoneOf(t, []string{cliAPIToken, cliCfAPIKey, "CLISECRET"}, named)
}

// recorder is an httptest API that answers with handler and records the
// requests it saw.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

type recorded struct {
	method, path, query, body string
}

func newRecorder(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, body string)) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, b.String()})
		rec.mu.Unlock()
		handler(w, r, b.String())
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) baseURL() string { return r.URL + "/client/v4" }

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

const tokenJSON = `{"id":"` + cliTokenID + `","name":"svc","cf_api_id":"cf-1","created_at":"2026-11-22T12:00:00Z","modified_at":"2026-11-22T12:00:00Z","created_by":null,"modified_by":null,"enabled":true,"legacy":false}`

func reply(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

func okToken(w http.ResponseWriter, _ *http.Request, _ string) {
	reply(w, 200, `{"success":true,"errors":[],"messages":[],"result":`+tokenJSON+`}`)
}
