package main

import (
	"fmt"
	"regexp"
	"strconv"
)

// versionHeading matches a Keep a Changelog entry: "## [1.2.3] - 2026-11-22".
var versionHeading = regexp.MustCompile(`(?m)^## \[v?(\d+)\.(\d+)\.(\d+)\]`)

// CheckChangelog checks the spec's CHANGELOG.md: its newest entry must be
// specVersion (info.version), and entries must go strictly down. Together
// with the breaking gate (which wants a bump for every spec change, a major
// one for a breaking change) this keeps every spec version documented.
func CheckChangelog(changelog []byte, specVersion string) error {
	entries := versionHeading.FindAllStringSubmatch(string(changelog), -1)
	if len(entries) == 0 {
		return fmt.Errorf("CHANGELOG.md has no `## [x.y.z]` entry")
	}
	version := func(e []string) string { return e[1] + "." + e[2] + "." + e[3] }
	if top := version(entries[0]); top != specVersion {
		return fmt.Errorf("CHANGELOG.md's newest entry is %s but info.version is %s: add an entry for %s", top, specVersion, specVersion)
	}
	for i := 1; i < len(entries); i++ {
		if !newer(entries[i-1][1:], entries[i][1:]) {
			return fmt.Errorf("CHANGELOG.md: entry %s is not newer than %s below it", version(entries[i-1]), version(entries[i]))
		}
	}
	return nil
}

// newer compares [major, minor, patch] triples of decimal strings.
func newer(a, b []string) bool {
	for i := range 3 {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x > y
		}
	}
	return false
}
