package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecDiffFromURL: a scheduled job runs spec-diff on Cloudflare's
// published schema by URL; here a loopback server stands in for GitHub.
func TestSpecDiffFromURL(t *testing.T) {
	t.Parallel()
	// One URL per reference file (--upstream FILE --upstream FILE).
	files := map[string][]byte{}
	args := []string{"spec-diff"}
	var urls []string
	ref := officialReference(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	defer srv.Close()
	for i := 1; i < len(ref); i += 2 {
		data, err := os.ReadFile(ref[i])
		if err != nil {
			t.Fatal(err)
		}
		path := "/cloudflare/api-schemas/main/" + filepath.Base(ref[i])
		files[path] = data
		urls = append(urls, srv.URL+path)
		args = append(args, "--upstream", srv.URL+path)
	}
	code, out, stderr := runSpecCLI(t, args...)
	if code != ExitOK || !strings.Contains(out, "vs "+strings.Join(urls, " + ")) || !strings.Contains(out, "unexplained differences: 0") {
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
