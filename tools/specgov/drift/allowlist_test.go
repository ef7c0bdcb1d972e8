package main

import (
	"strings"
	"testing"
)

func TestAllowListMatchesAndReportsStaleEntries(t *testing.T) {
	t.Parallel()
	allow, err := ParseAllowList([]byte(`
deviations:
  - key: "*: responses: added 403"
    reason: every endpoint can answer 403
  - key: "GET /user/tokens: responses: added 429"
    reason: exact key
  - key: "*: responses: added 418"
    reason: matches nothing
`))
	if err != nil {
		t.Fatal(err)
	}
	diffs := []Difference{
		{"GET /user/tokens", "responses", "added 403"},
		{"POST /user/tokens", "responses", "added 403"},
		{"GET /user/tokens", "responses", "added 429"},
		{"POST /user/tokens", "responses", "added 429"},
	}
	report := Classify(diffs, allow)
	if len(report.Allowed) != 3 || report.Allowed[2].Reason != "exact key" {
		t.Errorf("allowed %v, want both 403s and the exact 429", report.Allowed)
	}
	if got := keys(report.Unexplained); len(got) != 1 || got[0] != "POST /user/tokens: responses: added 429" {
		t.Errorf("unexplained %v", got)
	}
	if len(report.Stale) != 1 || report.Stale[0].Key != "*: responses: added 418" {
		t.Errorf("stale entries = %v, want the 418 one", report.Stale)
	}
	if report.OK() {
		t.Error("a report with a stale entry and an unexplained difference is OK")
	}
	var out strings.Builder
	report.Write(&out, true)
	for _, want := range []string{"unexplained differences: 1", "POST /user/tokens: responses: added 429", "stale allow-list entries", "reason: exact key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report text lacks %q:\n%s", want, out.String())
		}
	}
}

func TestParseAllowListRejectsBadFiles(t *testing.T) {
	t.Parallel()
	for name, input := range map[string]string{
		"no reason":     "deviations:\n  - key: a\n",
		"empty key":     "deviations:\n  - key: ''\n    reason: r\n",
		"duplicate":     "deviations:\n  - {key: a, reason: r}\n  - {key: a, reason: s}\n",
		"unknown field": "deviations:\n  - {key: a, reason: r, resaon: typo}\n",
		"not yaml":      "deviations: [",
	} {
		if _, err := ParseAllowList([]byte(input)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"a*c", "abc", true}, {"a*c", "a/b/c", true}, {"a*c", "abd", false},
		{"*x*", "axb", true}, {"a", "a", true}, {"a", "ab", false}, {"ab*b", "ab", false},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}
