package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// TestSpecDiffFromURL: a scheduled job runs spec-diff on Cloudflare's
// published schema by URL; here a loopback server stands in for GitHub.
func TestSpecDiffFromURL(t *testing.T) {
	ref, err := os.ReadFile(officialReference(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/cloudflare/api-schemas/main/openapi.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(ref)
	}))
	defer srv.Close()
	url := srv.URL + "/cloudflare/api-schemas/main/openapi.json"
	code, out, stderr := runSpecCLI(t, "spec-diff", "--upstream", url)
	if code != ExitOK || !strings.Contains(out, "vs "+url) || !strings.Contains(out, "unexplained differences: 0") {
		t.Fatalf("by URL: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = runSpecCLI(t, "spec-diff", "--upstream", srv.URL+"/moved.json")
	if code != ExitFailure || !strings.Contains(stderr, "upstream: GET "+srv.URL+"/moved.json: 404 Not Found") {
		t.Errorf("404: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runSpecCLI(t, "spec-diff", "--upstream", "http://example.com/openapi.json")
	if code != ExitFailure || !strings.Contains(stderr, "plain http is only for a loopback host") {
		t.Errorf("plain http elsewhere: exit %d, stderr %q", code, stderr)
	}
}
