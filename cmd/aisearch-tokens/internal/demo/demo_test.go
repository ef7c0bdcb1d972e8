package demo_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/demo"
)

var tokenValue = regexp.MustCompile(`[A-Za-z0-9_-]{40}`)

func TestRun(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := demo.Run(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	for _, want := range []string{
		"→ 201", "page 1: docs-search, blog-search (2 of 3)", "page 2: archive-search (1 of 3)",
		`search "BLOG": blog-search`, "→ 404", "→ 409", "left: docs-search (rotated), blog-search",
		// the service-token workflow
		`provisioned: Cloudflare token `, `("AI Search Index Engine", "Workers R2 Storage Write")`, "provisioned again: created false, the same registration",
		"holds the live value of its token", "deleted true); instances keep token_id",
		"AI Search's stored key is now dead: the Cloudflare API token's value was rolled",
		"UNHEALTHY: changed_after_registration (heuristic)", "UNHEALTHY: gone",
		"provision refuses: the registration is broken", "deleted false); instances keep token_id",
		// an instance and its jobs
		"instance docs-search (built-in storage) with token_id ",
		"instance docs (r2, bucket docs-bucket) with token_id ", "ended well\n",
		"failed: end_reason service_token_value_rolled", "was rolled; update the registration",
		"UNHEALTHY (changed_after_registration); instance docs, status error, stops indexing: its last job failed (service_token_value_rolled)",
		"rotated with proof: ", " on docs ended well", "instance docs still names ",
		"96 requests, 96 valid against openapi.yaml",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "FAIL") {
		t.Errorf("report has failures:\n%s", report)
	}
	for _, secret := range []string{"demo-secret-", "Bearer", "cf_api_key"} {
		if strings.Contains(report, secret) {
			t.Errorf("report shows %q", secret)
		}
	}
	// Cloudflare token values (the emulator's too) are 40 characters of
	// [A-Za-z0-9_-]; the report has no such run at all.
	if v := tokenValue.FindString(report); v != "" {
		t.Errorf("report shows what may be a token value (%d characters)", len(v))
	}
	if got := strings.Count(report, "check: "); got != 7 {
		t.Errorf("report has %d checks, want 7", got)
	}
}

func TestRunStopsOnCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := demo.Run(ctx, &out); err == nil {
		t.Errorf("cancelled demo succeeded:\n%s", out.String())
	}
}

// cancelAt is a report writer that cancels the run when the report
// reaches a line holding at.
type cancelAt struct {
	bytes.Buffer
	at     string
	cancel context.CancelFunc
}

func (w *cancelAt) Write(p []byte) (int, error) {
	if strings.Contains(string(p), w.at) {
		w.cancel()
	}
	return w.Buffer.Write(p)
}

// Ctrl-C in the middle of a scene: every step after it fails, and the
// report of a failed step, whose results are zero (no ids), must still be
// written, not panic.
func TestRunStopsOnContextCancelledMidScene(t *testing.T) {
	t.Parallel()
	for _, at := range []string{"The service-token workflow", "Broken registrations", "An instance and its indexing jobs"} {
		ctx, cancel := context.WithCancel(context.Background())
		out := &cancelAt{at: at, cancel: cancel}
		err := demo.Run(ctx, out)
		cancel()
		if err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
			t.Errorf("cancelled at %q: Run = %v, want the cancellation\n%s", at, err, out.String())
		}
	}
}
