package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/tools/specgov/internal/spectest"
)

// TestRunExitCodes: 0 when every difference is explained, 1 on drift, 2 on
// a bad command line, 3 when the upstream schema cannot be read (the make
// target tells "drifted" from "could not check" by it).
func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	var ups []string
	for _, f := range referenceFiles(t) {
		ups = append(ups, "--upstream", f)
	}
	emptyAllow := filepath.Join(t.TempDir(), "allow.yaml")
	if err := os.WriteFile(emptyAllow, []byte("deviations: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"explained", append([]string{"--spec", spectest.Path}, ups...), 0, "drift: ok"},
		{"drift", append([]string{"--spec", spectest.Path, "--allow", emptyAllow}, ups...), 1, "drift: FAIL"},
		{"no upstream", []string{"--spec", spectest.Path}, 2, "usage: drift"},
		{"unreadable upstream", []string{"--spec", spectest.Path, "--upstream", "https://127.0.0.1:1/openapi.json"}, 3, "cannot read the upstream schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stdout.String()+stderr.String(), tc.out) {
				t.Fatalf("exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", code, tc.code, tc.out, stdout.String(), stderr.String())
			}
		})
	}
}
