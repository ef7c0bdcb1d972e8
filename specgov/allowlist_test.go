package specgov_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/specgov"
)

func TestAllowListMatchesAndReportsStaleEntries(t *testing.T) {
	allow, err := specgov.ParseAllowList([]byte(`
deviations:
  - key: "*: status 403: ours documented, upstream absent"
    reason: every endpoint can answer 403
  - key: "GET /accounts/{account_id}/ai-search/tokens: param per_page maximum: ours 50, upstream 100"
    reason: exact key
  - key: "*: status 418: ours documented, upstream absent"
    reason: matches nothing
`))
	if err != nil {
		t.Fatal(err)
	}
	doc := loadSpec(t)
	queryParam(doc, "per_page").Schema.Value.Max = ptr(50.0)
	report := specgov.Diff(doc, officialReference(t), allow)

	var allowed []string
	for _, a := range report.Allowed {
		allowed = append(allowed, a.Key())
	}
	joined := strings.Join(allowed, "\n")
	if !strings.Contains(joined, "param per_page maximum: ours 50, upstream 100") {
		t.Errorf("exact entry did not allow its difference:\n%s", joined)
	}
	// Every operation documents 403: 5 AI Search token ones, 23 of the 26
	// instance, job and namespace ones (the three creates of an instance or
	// a namespace document their own 403 upstream), 8 user-owned and 8
	// account-owned API token ones.
	if n := strings.Count(joined, "status 403"); n != 44 {
		t.Errorf("glob entry allowed 403 on %d operations, want 44", n)
	}
	if len(report.Stale) != 1 || report.Stale[0].Key != "*: status 418: ours documented, upstream absent" {
		t.Errorf("stale entries = %v, want the 418 one", report.Stale)
	}
	if report.OK() {
		t.Error("report with a stale entry and unexplained differences is OK")
	}
	var out strings.Builder
	report.Write(&out, true)
	for _, want := range []string{"unexplained differences:", "status 429: ours documented, upstream absent", "stale allow-list entries", "reason: exact key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report text lacks %q", want)
		}
	}
}

func TestParseAllowListRejectsBadFiles(t *testing.T) {
	tests := map[string]string{
		"no reason":     "deviations:\n  - key: a\n",
		"empty key":     "deviations:\n  - key: ''\n    reason: r\n",
		"duplicate":     "deviations:\n  - {key: a, reason: r}\n  - {key: a, reason: s}\n",
		"unknown field": "deviations:\n  - {key: a, reason: r, resaon: typo}\n",
		"not yaml":      "deviations: [",
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := specgov.ParseAllowList([]byte(input)); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}

func TestLoadAllowListFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "allow.yaml")
	if err := os.WriteFile(p, []byte("deviations:\n  - {key: a, reason: r}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := specgov.LoadAllowList(p)
	if err != nil || len(a.Deviations) != 1 {
		t.Fatalf("got %v, %v", a, err)
	}
	if _, err := specgov.LoadAllowList(p + ".missing"); err == nil {
		t.Fatal("want an error for a missing file")
	}
}
