package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/internal/demo"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := demo.Run(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	for _, want := range []string{
		"→ 201", "page 1: docs-search, blog-search (2 of 3)", "page 2: archive-search (1 of 3)",
		`search "BLOG": blog-search`, "→ 404", "→ 409", "left: docs-search (rotated), blog-search",
		"12 requests, 12 valid against openapi.yaml",
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
}

func TestRunStopsOnCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := demo.Run(ctx, &out); err == nil {
		t.Errorf("cancelled demo succeeded:\n%s", out.String())
	}
}
