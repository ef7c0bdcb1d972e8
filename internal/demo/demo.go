// Package demo runs the project's end-to-end demonstration (`make demo`):
// the emulator in-process on a loopback port, the whole token lifecycle
// through the generated typed client, every exchange validated against
// openapi.yaml, and a short readable report.
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
	"time"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

// Account is the demo's account (the example account of Cloudflare's docs).
const Account = emulator.DefaultAccountID

// Run executes the demo and writes its report to w. It returns an error if
// any step did not behave as documented or any exchange broke the spec.
func Run(ctx context.Context, w io.Writer) error {
	apiToken := randomHex(20)
	srv, err := emulator.New(emulator.WithAPITokens(apiToken))
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()

	base := "http://" + ln.Addr().String() + emulator.BasePath
	v, err := contract.NewValidator()
	if err != nil {
		return err
	}
	rec := &recorder{base: emulator.BasePath}
	client, err := generated.NewClientWithResponses(base,
		generated.WithHTTPClient(&http.Client{Transport: rec.transport(v), Timeout: 10 * time.Second}),
		generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+apiToken)
			return nil
		}))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "aisearch-tokens demo: emulator in-process at %s, account %s\n\n", base, Account)
	r := &run{ctx: ctx, w: w, c: client, srv: srv, rec: rec}
	r.lifecycle()
	return r.finish()
}

// run is one demo run: each step makes a request, checks the answer and
// prints a line.
type run struct {
	ctx      context.Context
	w        io.Writer
	c        *generated.ClientWithResponses
	srv      *emulator.Server
	rec      *recorder
	problems []string
}

func (r *run) lifecycle() {
	var ids []string
	for _, name := range []string{"docs-search", "blog-search", "archive-search"} {
		res, err := r.c.CreateTokenWithResponse(r.ctx, Account, generated.TokenInput{
			Name: name, CfAPIID: "cfid-" + name, CfAPIKey: "demo-secret-" + randomHex(8),
		})
		if !r.step(err, code(res, err), http.StatusCreated, func() string {
			ids = append(ids, res.JSON201.Result.ID)
			return fmt.Sprintf("created %q", name)
		}) {
			return
		}
	}

	// Page by page, two per page, stopping on result_info.
	perPage, seen := 2, 0
	for page := 1; page <= 10; page++ {
		res, err := r.c.ListTokensWithResponse(r.ctx, Account, &generated.ListTokensParams{Page: &page, PerPage: &perPage})
		var info generated.ResultInfo
		if !r.step(err, code(res, err), http.StatusOK, func() string {
			info = res.JSON200.ResultInfo
			seen += len(res.JSON200.Result)
			return fmt.Sprintf("page %d: %s (%d of %d)", info.Page, names(res.JSON200.Result), info.Count, info.TotalCount)
		}) {
			return
		}
		if info.Page*info.PerPage >= info.TotalCount {
			break
		}
	}
	r.expect(seen == 3, "paging saw %d tokens, want 3", seen)

	search := "BLOG"
	res, err := r.c.ListTokensWithResponse(r.ctx, Account, &generated.ListTokensParams{Search: &search})
	r.step(err, code(res, err), http.StatusOK, func() string {
		r.expect(names(res.JSON200.Result) == "blog-search", "search %q found %s", search, names(res.JSON200.Result))
		return fmt.Sprintf("search %q: %s", search, names(res.JSON200.Result))
	})

	get, err := r.c.GetTokenWithResponse(r.ctx, Account, ids[0])
	r.step(err, code(get, err), http.StatusOK, func() string {
		return fmt.Sprintf("%q, created %s", get.JSON200.Result.Name, get.JSON200.Result.CreatedAt.Format(time.RFC3339))
	})

	upd, err := r.c.UpdateTokenWithResponse(r.ctx, Account, ids[0], generated.TokenInput{
		Name: "docs-search (rotated)", CfAPIID: "cfid-rotated", CfAPIKey: "demo-secret-" + randomHex(8),
	})
	r.step(err, code(upd, err), http.StatusOK, func() string {
		return fmt.Sprintf("renamed to %q, key rotated", upd.JSON200.Result.Name)
	})

	del, err := r.c.DeleteTokenWithResponse(r.ctx, Account, ids[2])
	r.step(err, code(del, err), http.StatusOK, func() string { return "deleted archive-search" })

	gone, err := r.c.GetTokenWithResponse(r.ctx, Account, ids[2])
	r.step(err, code(gone, err), http.StatusNotFound, func() string {
		return "gone: " + gone.JSON404.Errors[0].Message
	})

	if err := r.srv.MarkInUse(Account, ids[0], "docs-search"); err != nil {
		r.problems = append(r.problems, err.Error())
		return
	}
	fmt.Fprintf(r.w, "    (emulator: instance docs-search now uses %s)\n", short(ids[0]))
	busy, err := r.c.DeleteTokenWithResponse(r.ctx, Account, ids[0])
	r.step(err, code(busy, err), http.StatusConflict, func() string {
		return "refused: " + busy.JSON409.Errors[0].Message
	})

	final, err := r.c.ListTokensWithResponse(r.ctx, Account, nil)
	r.step(err, code(final, err), http.StatusOK, func() string {
		r.expect(final.JSON200.ResultInfo.TotalCount == 2, "final list has %d tokens, want 2", final.JSON200.ResultInfo.TotalCount)
		return "left: " + names(final.JSON200.Result)
	})
}

// step reports the latest exchange. When the status is the expected one it
// calls describe (which may read the typed body) for the line's note; it
// returns whether the step went as expected.
func (r *run) step(err error, status, want int, describe func() string) bool {
	if err != nil {
		r.problems = append(r.problems, err.Error())
		fmt.Fprintf(r.w, "  FAIL %v\n", err)
		return false
	}
	x := r.rec.last()
	note, ok := "", status == want
	if ok {
		note = describe()
	} else {
		r.problems = append(r.problems, fmt.Sprintf("%s %s: status %d, want %d", x.method, x.target, status, want))
	}
	mark := "ok  "
	if !ok || !x.result.OK() {
		mark = "FAIL"
	}
	fmt.Fprintf(r.w, "  %s %-6s %-46s → %d  %s\n", mark, x.method, shorten(x.target), status, note)
	for _, v := range x.result.All() {
		fmt.Fprintf(r.w, "         %s\n", v)
	}
	return ok
}

// code is the response's status, or 0 when the call failed (the generated
// responses are nil then, and StatusCode would panic).
func code[R any, P interface {
	*R
	StatusCode() int
}](res P, err error) int {
	if err != nil || res == nil {
		return 0
	}
	return res.StatusCode()
}

func (r *run) expect(ok bool, format string, args ...any) {
	if !ok {
		msg := fmt.Sprintf(format, args...)
		r.problems = append(r.problems, msg)
		fmt.Fprintf(r.w, "  FAIL %s\n", msg)
	}
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

var longID = regexp.MustCompile(`[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24})`)

// shorten abbreviates account ids and uuids in a path, for the report.
func shorten(target string) string {
	return longID.ReplaceAllStringFunc(target, short)
}

func short(id string) string { return id[:8] + "…" }

func names(ts []generated.Token) string {
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
