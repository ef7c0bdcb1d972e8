package cli_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
)

const serveToken = "serve-test-token"

// lockedBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// baseURL reads lines from r until the start-up line, and returns its URL.
func baseURL(t *testing.T, r io.Reader) (string, *bufio.Scanner) {
	t.Helper()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if _, url, ok := strings.Cut(sc.Text(), "serving the tokens API at "); ok {
			return url, sc
		}
	}
	t.Fatalf("no start-up line (scan error %v)", sc.Err())
	return "", nil
}

func call(method, url, body string) (int, []byte, error) {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+serveToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func TestServeInProcess(t *testing.T) {
	t.Parallel()
	seed := filepath.Join("..", "..", "..", "..", "emulator", "testdata", "seed.example.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--seed", seed, "--api-token", serveToken}, &cli.Env{Stdout: outW, Stderr: &errb})
		outW.Close()
	}()
	url, sc := baseURL(t, outR)
	go func() { // drain the rest so Main never blocks on stdout
		for sc.Scan() {
		}
	}()
	status, body, err := call("GET", url+"/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens", "")
	if err != nil || status != 200 || !strings.Contains(string(body), `"total_count":2`) {
		t.Errorf("list seeded: %v %d %s", err, status, body)
	}
	status, body, _ = call("DELETE", url+"/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens/62af0db3-c410-40b2-9ee3-0e93f6dd1de0", "")
	if status != 409 {
		t.Errorf("delete in-use seeded token: %d %s", status, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != cli.ExitOK {
			t.Errorf("exit %d, stderr %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	logs := errb.String()
	if !strings.Contains(logs, "msg=request") || !strings.Contains(logs, "msg=seeded accounts=2 registrations=3 api_tokens=3 permission_groups=1") {
		t.Errorf("logs lack request or seed lines:\n%s", logs)
	}
	for _, secret := range []string{serveToken, "example-not-a-real-key"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs hold a secret")
		}
	}
}

// Without --api-token or --api-key, serve accepts any credential and says
// so right after the start-up line; with one, it does not.
func TestServeSaysWhenAuthIsOpen(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{nil, {"--api-token", serveToken}} {
		ctx, cancel := context.WithCancel(context.Background())
		outR, outW := io.Pipe()
		done := make(chan int, 1)
		go func() {
			done <- cli.Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &cli.Env{Stdout: outW, Stderr: io.Discard})
			outW.Close()
		}()
		_, sc := baseURL(t, outR)
		cancel()
		var rest []string
		for sc.Scan() { // ends when Main returns and closes the pipe
			rest = append(rest, sc.Text())
		}
		<-done
		said := slices.ContainsFunc(rest, func(l string) bool { return strings.Contains(l, "accepting any non-empty credential") })
		if said != (args == nil) {
			t.Errorf("serve %v: output after start-up %q", args, rest)
		}
	}
}

// serveInProcess runs serve with args until stop is called, which returns
// its exit code; the base URL is what it printed at start-up.
func serveInProcess(t *testing.T, args ...string) (url string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- cli.Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--api-token", serveToken}, args...), &cli.Env{Stdout: outW, Stderr: io.Discard})
		outW.Close()
	}()
	url, sc := baseURL(t, outR)
	go func() { // drain the rest so Main never blocks on stdout
		for sc.Scan() {
		}
	}()
	return url, func() int { cancel(); return <-done }
}

// --seed fills a new state file only: a restart after every seeded token
// was deleted must not bring them back.
func TestServeSeedsOnlyANewStateFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed, state := filepath.Join(dir, "seed.json"), filepath.Join(dir, "state.log")
	const id = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
	os.WriteFile(seed, []byte(`{"accounts":{"acc":{"tokens":[{"id":"`+id+`","name":"n","cf_api_id":"i","cf_api_key":"k"}]}}}`), 0o600)
	list := func(url string) string {
		t.Helper()
		status, body, err := call("GET", url+"/accounts/acc/ai-search/tokens", "")
		if err != nil || status != 200 {
			t.Fatalf("list: %v %d %s", err, status, body)
		}
		return string(body)
	}
	url, stop := serveInProcess(t, "--state", state, "--seed", seed)
	if body := list(url); !strings.Contains(body, `"total_count":1`) {
		t.Errorf("first start did not seed: %s", body)
	}
	if status, body, _ := call("DELETE", url+"/accounts/acc/ai-search/tokens/"+id, ""); status != 200 {
		t.Fatalf("delete: %d %s", status, body)
	}
	if code := stop(); code != cli.ExitOK {
		t.Fatalf("exit %d", code)
	}
	url, stop = serveInProcess(t, "--state", state, "--seed", seed)
	defer stop()
	if body := list(url); !strings.Contains(body, `"total_count":0`) {
		t.Errorf("restart re-seeded deleted tokens: %s", body)
	}
}

func TestServeRejectsBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--api-key", "no-colon"}, {"--api-key", ":key"}, {"--fault-rate", "2"}, {"--latency", "-1s"}, {"extra"}, {"--nope"},
		{"--fault-rate", "NaN"}, {"--fault-rate", "-Inf"}, {"--fault-rate", "+Inf"}, {"--fault-seed", "-1"},
		{"--read-timeout", "0s"}, {"--idle-timeout", "-1s"}, {"--write-timeout", "2h"}, {"--read-header-timeout", "0s"},
		{"--read-header-timeout", "2m", "--read-timeout", "1m"}, {"--latency", "2s", "--read-timeout", "1s"}, {"--latency", "2s", "--write-timeout", "2s"},
	} {
		// Should a bad flag be accepted, serve runs until the context ends.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		var out, errb bytes.Buffer
		code := cli.Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), &cli.Env{Stdout: &out, Stderr: &errb})
		cancel()
		if code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, cli.ExitUsage, errb.String())
		}
	}
	var out, errb bytes.Buffer
	bad := filepath.Join(t.TempDir(), "seed.json")
	os.WriteFile(bad, []byte(`{"accounts":{"a":{"tokens":[{"id":"x"}]}}}`), 0o600)
	if code := cli.Main(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--seed", bad}, &cli.Env{Stdout: &out, Stderr: &errb}); code != cli.ExitFailure {
		t.Errorf("bad seed: exit %d", code)
	}
}

type serveProc struct {
	cmd    *exec.Cmd
	url    string
	out    *lockedBuffer
	errs   *lockedBuffer // stderr: the request log
	copied chan struct{} // closed once stdout after the start-up line is all in out
}

func startServe(t *testing.T, args ...string) *serveProc {
	t.Helper()
	cmd := program(t, nil, append([]string{"serve", "--addr", "127.0.0.1:0", "--api-token", serveToken}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb lockedBuffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() }) // bound the wait for start-up
	url, sc := baseURL(t, stdout)
	timer.Stop()
	p := &serveProc{cmd: cmd, url: url, out: &lockedBuffer{}, errs: &errb, copied: make(chan struct{})}
	go func() {
		defer close(p.copied)
		for sc.Scan() {
			fmt.Fprintln(p.out, sc.Text())
		}
	}()
	return p
}

// A burst of creates against `serve --state`, SIGKILLed in the middle: after
// a restart, every create that was answered 201 is there.
func TestServeStateSurvivesSIGKILL(t *testing.T) {
	t.Parallel() // slow and self-contained: overlaps the others
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	state, seed := filepath.Join(dir, "state.log"), filepath.Join(dir, "seed.json")
	// The service token the creates register: AI Search takes only a live one.
	if err := os.WriteFile(seed, []byte(`{"accounts":{},"user":{"api_tokens":[{"id":"a1b2c3d4e5f6","name":"service","value":"abc123"}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startServe(t, "--state", state, "--seed", seed)
	list := p.url + "/accounts/acc/ai-search/tokens"

	const workers, perWorker, killAfter = 6, 400, 150
	var (
		mu    sync.Mutex
		acked []string
		count atomic.Int64
		wg    sync.WaitGroup
	)
	killed := make(chan struct{})
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				status, body, err := call("POST", list, fmt.Sprintf(`{"name":"w%d-%d","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`, w, i))
				if err != nil {
					return // the server is gone
				}
				if status != http.StatusCreated {
					t.Errorf("create: %d %s", status, body)
					return
				}
				var env struct{ Result struct{ ID string } }
				if err := json.Unmarshal(body, &env); err != nil || env.Result.ID == "" {
					t.Errorf("create body %s", body)
					return
				}
				mu.Lock()
				acked = append(acked, env.Result.ID)
				mu.Unlock()
				if count.Add(1) == killAfter {
					p.cmd.Process.Signal(syscall.SIGKILL)
					close(killed)
				}
			}
		}()
	}
	select {
	case <-killed:
	case <-time.After(20 * time.Second):
		t.Fatalf("only %d creates acknowledged in 20s", count.Load())
	}
	wg.Wait()
	p.cmd.Wait()

	p2 := startServe(t, "--state", state)
	stored := map[string]bool{}
	for page := 1; page <= 100; page++ {
		status, body, err := call("GET", fmt.Sprintf("%s/accounts/acc/ai-search/tokens?per_page=100&page=%d", p2.url, page), "")
		if err != nil || status != 200 {
			t.Fatalf("list after restart: %v %d %s", err, status, body)
		}
		var env struct {
			Result []struct{ ID string }
		}
		json.Unmarshal(body, &env)
		for _, tok := range env.Result {
			stored[tok.ID] = true
		}
		if len(env.Result) < 100 {
			break
		}
	}
	missing := 0
	for _, id := range acked {
		if !stored[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged creates lost after SIGKILL", missing, len(acked))
	}
	if len(stored) > len(acked)+workers { // at most one unacknowledged create in flight per worker
		t.Errorf("%d tokens stored, only %d acknowledged", len(stored), len(acked))
	}
	t.Logf("%d creates acknowledged before SIGKILL, %d stored after restart", len(acked), len(stored))

	// SIGTERM stops the server gracefully. Read stdout to its end before
	// Wait, which closes the pipe and could drop the last line.
	p2.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p2.copied:
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10s after SIGTERM")
	}
	if err := p2.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	if !strings.Contains(p2.out.String(), "emulator: stopped") {
		t.Errorf("no stop line after SIGTERM: %q", p2.out.String())
	}
}

// hostPort is the listen address of a base URL printed by serve.
func hostPort(t *testing.T, baseURL string) string {
	t.Helper()
	hp, ok := strings.CutPrefix(strings.TrimSuffix(baseURL, "/client/v4"), "http://")
	if !ok {
		t.Fatalf("base URL %q", baseURL)
	}
	return hp
}

// closedWithin reads conn until the server closes it and returns how long
// that took from start; ok is false if it was still open at the deadline.
func closedWithin(conn net.Conn, start time.Time, deadline time.Duration) (time.Duration, bool) {
	conn.SetReadDeadline(start.Add(deadline))
	_, err := io.Copy(io.Discard, conn) // returns at EOF (nil) or on an error
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return deadline, false
	}
	return time.Since(start), true
}

// A client trickling its body (a byte every 50 ms) loses its connection
// once --read-timeout has passed since the request began.
func TestServeReadTimeoutCutsATrickledBody(t *testing.T) {
	t.Parallel()
	const timeout = 500 * time.Millisecond
	url, stop := serveInProcess(t, "--read-timeout", timeout.String(), "--read-header-timeout", "200ms")
	defer stop()
	// Timed from before the dial: the server's deadline starts when it
	// accepts, which can be before Dial returns here (it was, by 7 ms, on
	// a loaded machine, and the test failed).
	start := time.Now()
	conn, err := net.Dial("tcp", hostPort(t, url))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /client/v4/accounts/acc/ai-search/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: 10000\r\n\r\n", serveToken)
	go func() { // the trickle; it ends when the server closes the connection
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for range tick.C {
			if _, err := conn.Write([]byte(" ")); err != nil {
				return
			}
		}
	}()
	took, ok := closedWithin(conn, start, 10*time.Second)
	if !ok {
		t.Fatalf("a trickled body still held the connection after %s (--read-timeout %s)", took, timeout)
	}
	if took < timeout {
		t.Errorf("connection closed after %s, before --read-timeout %s", took, timeout)
	}
	t.Logf("trickled body: connection closed after %s with --read-timeout %s", took.Round(10*time.Millisecond), timeout)
}

// Idle keep-alive connections are closed after --idle-timeout.
func TestServeIdleTimeoutClosesKeepAliveConnections(t *testing.T) {
	t.Parallel()
	const timeout, conns = 300 * time.Millisecond, 50
	url, stop := serveInProcess(t, "--idle-timeout", timeout.String())
	defer stop()
	start := time.Now()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		longest time.Duration
		open    int
	)
	for range conns {
		conn, err := net.Dial("tcp", hostPort(t, url))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "GET /client/v4/accounts/acc/ai-search/tokens HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n", serveToken)
		br := bufio.NewReader(conn)
		resp, err := http.ReadResponse(br, nil)
		if err != nil || resp.StatusCode != 200 || resp.Close {
			t.Fatalf("keep-alive request: %v %+v", err, resp)
		}
		io.Copy(io.Discard, resp.Body)
		wg.Go(func() {
			took, ok := closedWithin(conn, start, 10*time.Second)
			mu.Lock()
			defer mu.Unlock()
			longest = max(longest, took)
			if !ok {
				open++
			}
		})
	}
	wg.Wait()
	if open > 0 {
		t.Fatalf("%d of %d idle keep-alive connections still open after 10s (--idle-timeout %s)", open, conns, timeout)
	}
	t.Logf("%d idle keep-alive connections: all closed within %s with --idle-timeout %s", conns, longest.Round(10*time.Millisecond), timeout)
}

// --propagation-delay: a token minted through serve registers only once the
// delay has passed (400 code 7012 before).
func TestServePropagationDelay(t *testing.T) {
	t.Parallel()
	url, stop := serveInProcess(t, "--propagation-delay", "1h")
	defer stop()
	status, body, err := call("POST", url+"/user/tokens", `{"name":"svc","policies":[]}`)
	var created struct {
		Result struct{ ID, Value string } `json:"result"`
	}
	if err != nil || status != 200 || json.Unmarshal(body, &created) != nil {
		t.Fatalf("mint: %v %d %s", err, status, body)
	}
	status, body, err = call("POST", url+"/accounts/acc/ai-search/tokens", `{"name":"svc","cf_api_id":"`+created.Result.ID+`","cf_api_key":"`+created.Result.Value+`"}`)
	if err != nil || status != 400 || !strings.Contains(string(body), `"code":7012`) {
		t.Errorf("register a token minted a moment ago: %v %d %s, want 400 code 7012", err, status, body)
	}
	if r := run(t, "", "serve", "--propagation-delay", "-1s"); r.code != 2 || !strings.Contains(r.err, "--propagation-delay must not be negative") {
		t.Errorf("a negative delay: exit %d, %q", r.code, r.err)
	}
}

// serve answers as Cloudflare does (issue 16's rows, through the serve
// command rather than a TestServer): 400 9106 and 6003, 401 10000 and 1000,
// 403 9109 for a seeded token lacking the group, 400 7012 for an unknown
// cf_api_id, 404 7075, verify's message, a roll without a body, and the AI
// Search failure envelope.
func TestServeAnswersAsCloudflare(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seed, []byte(`{"accounts":{},"user":{"api_tokens":[
		{"id":"0123456789abcdef0123456789abcdef","name":"service","value":"service-token-value",
		 "policies":[{"effect":"allow","permission_groups":[{"id":"9e9b428a0bcd46fd80e580b46a69963c"}],"resources":{"com.cloudflare.api.account.c3dc5f0b34a14ff8e1b3ec04895e1b22":"*"}}]}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	url, stop := serveInProcess(t, "--seed", seed)
	defer stop()
	ai := url + "/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens"
	send := func(method, u, auth, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, u, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	bearer := "Bearer " + serveToken
	for _, c := range []struct {
		what, method, url, auth, body string
		status                        int
		has                           string
	}{
		{"no credential", "GET", ai, "", "", 400, `{"errors":[{"code":9106,"message":"Missing X-Auth-Key, X-Auth-Email or Authorization headers"}],"result":{},"success":false}`},
		{"malformed Authorization", "GET", ai, "Basic x", "", 400, `"code":6003,"error_chain":[{"code":6111,"message":"Invalid format for Authorization header"}]`},
		{"AI Search, unknown token", "GET", ai, "Bearer nope", "", 401, `{"errors":[{"code":10000,"message":"Authentication error"}],"result":{},"success":false}`},
		{"API tokens, unknown token", "GET", url + "/user/tokens", "Bearer nope", "", 401, `{"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null,"success":false}`},
		{"a token without API Tokens Write", "POST", url + "/user/tokens", "Bearer service-token-value", `{"name":"n","policies":[]}`, 403, `"code":9109,"message":"Unauthorized to access requested resource"`},
		{"an unknown cf_api_id", "POST", ai, bearer, `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`, 400, `"code":7012,"message":"ai_search_instance_invalid_token"`},
		{"an unknown registration", "GET", ai + "/62af0db3-c410-40b2-9ee3-0e93f6dd1de0", bearer, "", 404, `{"errors":[{"code":7075,"message":"token_not_found"}],"result":{},"success":false}`},
		{"verify", "GET", url + "/user/tokens/verify", "Bearer service-token-value", "", 200, `"messages":[{"code":10000,"message":"This API Token is valid and active","type":null}]`},
		{"a roll without a body", "PUT", url + "/user/tokens/0123456789abcdef0123456789abcdef/value", bearer, "", 200, `"success":true`},
	} {
		if status, body := send(c.method, c.url, c.auth, c.body); status != c.status || !strings.Contains(body, c.has) {
			t.Errorf("%s: %d %s, want %d with %s", c.what, status, body, c.status, c.has)
		}
	}
}
