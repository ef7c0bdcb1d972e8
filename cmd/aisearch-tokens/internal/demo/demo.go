// Package demo runs the project's end-to-end demonstration (`make demo`):
// the emulator in-process on a loopback port, driven through the aisearch
// package that users import, every exchange validated against openapi.yaml
// by contract.Transport, and a short readable report.
//
// A demo is a list of scenes (scenes.go), each a sequence of steps: one call
// of the client per step, whose exchanges the report prints.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
)

// Account is the demo's account (the example account of Cloudflare's docs).
const Account = emulator.DefaultAccountID

// Run executes the demo and writes its report to w. It returns an error if
// any step did not behave as documented or any exchange broke the spec.
func Run(ctx context.Context, w io.Writer) error {
	env, err := start()
	if err != nil {
		return err
	}
	defer env.close()
	fmt.Fprintf(w, "aisearch-tokens demo: the aisearch client against an emulator in-process at %s, account %s\n", env.base, Account)
	r := env.run(ctx, w)
	for _, sc := range scenes {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(w, "\n%s\n", sc.title)
		sc.play(r)
	}
	if err := ctx.Err(); err != nil {
		r.problems = append(r.problems, err.Error())
	}
	return r.finish()
}

// env is what a demo runs against: the emulator on a loopback port and an
// aisearch client whose every exchange is validated and recorded.
type env struct {
	srv   *emulator.Server // for what only it can do, like seeding a token
	hs    *http.Server
	base  string
	rec   *recorder
	c     *aisearch.Client // the lifecycle's, on Account
	svc   *aisearch.Client // the service-token scenes', on ServiceAccount
	idx   *aisearch.Client // the indexing scene's, on IndexAccount
	clock *clock
}

// run starts a demo run on e.
func (e *env) run(ctx context.Context, w io.Writer) *run {
	return &run{env: e, ctx: ctx, w: w}
}

// clock is the emulator's: real time, moved on by the scenes that need
// time to pass (a token rolled an hour after it was registered), and by
// every wait of the clients (their retry policy's Sleep): waiting for an
// indexing job to end costs the demo no real time.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

func start() (*env, error) {
	apiToken := randomHex(20)
	clk := &clock{}
	srv, err := emulator.New(emulator.WithAPITokens(apiToken), emulator.WithClock(clk.now))
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, err
	}
	e := &env{srv: srv, hs: &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second},
		base: "http://" + ln.Addr().String() + emulator.BasePath, rec: &recorder{base: emulator.BasePath}, clock: clk}
	go e.hs.Serve(ln)
	v, err := contract.NewValidator()
	if err != nil {
		e.close()
		return nil, err
	}
	// contract.Transport sits under the client's retries and credentials,
	// so it sees and validates each request exactly as sent.
	policy := aisearch.DefaultRetryPolicy()
	policy.Sleep = func(ctx context.Context, d time.Duration) error {
		clk.advance(d)
		return ctx.Err()
	}
	opts := []aisearch.Option{
		aisearch.WithAPIToken(apiToken),
		aisearch.WithBaseURL(e.base),
		aisearch.WithHTTPClient(&http.Client{Transport: e.rec.transport(v), Timeout: 10 * time.Second}),
		aisearch.WithUserAgent("aisearch-tokens-demo"),
		aisearch.WithRetryPolicy(policy),
	}
	if e.c, err = aisearch.New(Account, opts...); err == nil {
		if e.svc, err = aisearch.New(ServiceAccount, opts...); err == nil {
			e.idx, err = aisearch.New(IndexAccount, opts...)
		}
	}
	if err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *env) close() {
	e.hs.Close()
	e.srv.Close()
}

// run is one demo run on an env (its clients and emulator), the report it
// writes, and what went wrong so far.
type run struct {
	*env
	ctx      context.Context
	w        io.Writer
	problems []string
	// serviceReg is the registration the workflow scene provisioned.
	serviceReg string
}

// step makes one call of the client and prints a line per exchange it
// made, marked FAIL when the exchange broke the contract; the last line
// carries call's note. want is nil when the call must succeed, else the
// error it must return (errors.Is: aisearch.ErrNotFound...). It returns
// whether the call went as expected.
func (r *run) step(want error, call func() (note string, err error)) bool {
	before := r.rec.count()
	note, err := call()
	ok := errors.Is(err, want) || (want == nil && err == nil)
	if !ok {
		if want == nil {
			note = fmt.Sprintf("FAIL %v", err)
		} else {
			note = fmt.Sprintf("FAIL got %v, want %v", err, want)
		}
		r.problems = append(r.problems, note)
	}
	xs := r.rec.since(before)
	if len(xs) == 0 {
		fmt.Fprintf(r.w, "  FAIL no request was made: %s\n", note)
		if ok {
			r.problems = append(r.problems, "a step made no request")
		}
		return false
	}
	for i, x := range xs {
		mark, line := "ok  ", ""
		if !ok || !x.result.OK() {
			mark = "FAIL"
		}
		if i == len(xs)-1 {
			line = note
		}
		fmt.Fprintf(r.w, "  %s %-6s %-46s → %d  %s\n", mark, x.method, shorten(x.target), x.status, line)
		for _, v := range x.result.All() {
			fmt.Fprintf(r.w, "         %s\n", v)
		}
	}
	return ok
}

// expect records a problem the steps cannot see (a wrong count, say).
func (r *run) expect(ok bool, format string, args ...any) {
	if !ok {
		msg := fmt.Sprintf(format, args...)
		r.problems = append(r.problems, msg)
		fmt.Fprintf(r.w, "  FAIL %s\n", msg)
	}
}

// note prints a line about something done outside the API.
func (r *run) note(format string, args ...any) {
	fmt.Fprintf(r.w, "    ("+format+")\n", args...)
}

func (r *run) finish() error {
	all := r.rec.all()
	valid := 0
	for _, x := range all {
		if x.result.OK() {
			valid++
		} else {
			r.problems = append(r.problems, fmt.Sprintf("%s %s breaks openapi.yaml", x.method, x.target))
		}
	}
	fmt.Fprintf(r.w, "\n%d requests, %d valid against openapi.yaml\n", len(all), valid)
	if len(r.problems) > 0 {
		return errors.New("demo failed: " + strings.Join(r.problems, "; "))
	}
	return nil
}

// apiMessage is the first message of an API error, for the report.
func apiMessage(err error) string {
	var apiErr *aisearch.APIError
	if errors.As(err, &apiErr) && len(apiErr.Errors) > 0 {
		return apiErr.Errors[0].Message
	}
	return fmt.Sprint(err)
}

var longID = regexp.MustCompile(`[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24})`)

// shorten abbreviates account ids and uuids in a path, for the report.
func shorten(target string) string {
	return longID.ReplaceAllStringFunc(target, short)
}

// short abbreviates an id to its first 8 characters; a shorter one (none,
// after a failed step) is kept whole.
func short(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:8] + "…"
}

func names(ts []aisearch.Registration) string {
	if len(ts) == 0 {
		return "(none)"
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return strings.Join(out, ", ")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
