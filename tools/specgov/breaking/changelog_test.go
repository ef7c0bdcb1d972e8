package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-aisearch/tokens/tools/specgov/internal/spectest"
)

func TestChangelogTopEntryIsSpecVersion(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckChangelog(data, spectest.Copy(t).Info.Version); err != nil {
		t.Fatal(err)
	}
}

func TestCheckChangelogFixtures(t *testing.T) {
	t.Parallel()
	const good = "# Changelog\n\n## [2.0.0] - 2027-01-02\n- removed x\n\n## [1.1.0] - 2027-01-01\n- added y\n\n## [1.0.0] - 2026-11-22\n- initial\n"
	tests := []struct {
		name, changelog, version string
		ok                       bool
	}{
		{"top is the version", good, "2.0.0", true},
		{"version not recorded", good, "2.1.0", false},
		{"version is an older entry", good, "1.1.0", false},
		{"no entries", "# Changelog\n", "1.0.0", false},
		{"out of order", "## [1.0.0]\n## [1.1.0]\n", "1.0.0", false},
		{"duplicate entry", "## [1.0.0]\n## [1.0.0]\n", "1.0.0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckChangelog([]byte(tt.changelog), tt.version)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckChangelog = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
