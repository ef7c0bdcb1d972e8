package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/oasdiff/yaml"
)

// AllowEntry explains one deliberate difference from upstream. Key is a
// Difference's Key, where "*" matches any run of characters (so one entry
// can cover the same deviation on every operation).
type AllowEntry struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

// AllowList is the reviewed list of deliberate deviations.
type AllowList struct {
	Deviations []AllowEntry `json:"deviations"`
}

//go:embed allowlist.yaml
var defaultAllowList []byte

// ParseAllowList parses an allow-list; every entry needs a key and a
// reason, and unknown fields are errors (a typo must not silently allow
// nothing).
func ParseAllowList(data []byte) (AllowList, error) {
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return AllowList{}, fmt.Errorf("parse: %w", err)
	}
	var a AllowList
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return AllowList{}, fmt.Errorf("parse: %w", err)
	}
	seen := map[string]bool{}
	for i, e := range a.Deviations {
		switch {
		case strings.TrimSpace(e.Key) == "":
			return AllowList{}, fmt.Errorf("deviation %d: empty key", i+1)
		case strings.TrimSpace(e.Reason) == "":
			return AllowList{}, fmt.Errorf("deviation %d (%s): empty reason", i+1, e.Key)
		case seen[e.Key]:
			return AllowList{}, fmt.Errorf("deviation %d: duplicate key %s", i+1, e.Key)
		}
		seen[e.Key] = true
	}
	return a, nil
}

// Allowed is a difference the allow-list explains.
type Allowed struct {
	Difference
	Reason string
}

// Report sorts the differences by the allow-list.
type Report struct {
	Unexplained []Difference // the spec or the allow-list must change
	Allowed     []Allowed
	Stale       []AllowEntry // entries that matched nothing: remove them
}

// OK reports whether every difference is explained and no entry is dead.
func (r Report) OK() bool { return len(r.Unexplained) == 0 && len(r.Stale) == 0 }

// Classify matches each difference against the allow-list's entries, in
// order; the first entry that matches explains it.
func Classify(diffs []Difference, allow AllowList) Report {
	var r Report
	used := make([]bool, len(allow.Deviations))
	for _, d := range diffs {
		i := allow.match(d.Key())
		if i < 0 {
			r.Unexplained = append(r.Unexplained, d)
			continue
		}
		used[i] = true
		r.Allowed = append(r.Allowed, Allowed{d, allow.Deviations[i].Reason})
	}
	for i, e := range allow.Deviations {
		if !used[i] {
			r.Stale = append(r.Stale, e)
		}
	}
	return r
}

func (a AllowList) match(key string) int {
	for i, e := range a.Deviations {
		if globMatch(e.Key, key) {
			return i
		}
	}
	return -1
}

// globMatch matches s against pattern, where "*" stands for any run of
// characters (including "/", unlike path.Match) and nothing else is special.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return len(s) >= len(last) && strings.HasSuffix(s, last)
}

// Write prints the report; verbose adds each allowed difference and its
// reason, which are otherwise counted only.
func (r Report) Write(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "unexplained differences: %d\n", len(r.Unexplained))
	for _, d := range r.Unexplained {
		fmt.Fprintf(w, "  %s\n", d.Key())
	}
	fmt.Fprintf(w, "stale allow-list entries (match nothing; remove them): %d\n", len(r.Stale))
	for _, e := range r.Stale {
		fmt.Fprintf(w, "  %s\n", e.Key)
	}
	fmt.Fprintf(w, "allowed (deliberate) differences: %d\n", len(r.Allowed))
	if verbose {
		for _, a := range r.Allowed {
			fmt.Fprintf(w, "  %s\n      reason: %s\n", a.Key(), a.Reason)
		}
	}
}
