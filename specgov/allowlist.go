package specgov

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
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

// DefaultAllowList is allowlist.yaml as committed next to this package.
func DefaultAllowList() (AllowList, error) {
	a, err := ParseAllowList(defaultAllowList)
	if err != nil {
		return AllowList{}, fmt.Errorf("specgov/allowlist.yaml: %w", err)
	}
	return a, nil
}

// LoadAllowList reads an allow-list file (YAML or JSON).
func LoadAllowList(path string) (AllowList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return AllowList{}, err
	}
	a, err := ParseAllowList(data)
	if err != nil {
		return AllowList{}, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ParseAllowList parses an allow-list; every entry needs a key and a reason,
// and unknown fields are errors (a typo must not silently allow nothing).
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

// match returns the index of the first entry whose key matches, or -1.
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
