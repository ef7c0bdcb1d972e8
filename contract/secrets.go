package contract

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// Finding is a secret found in a recording. It never holds the secret.
type Finding struct {
	File  string
	Index int    // interaction index, -1 for the raw file text
	Where string // "request header Authorization", "response body cf_api_key", ...
}

func (f Finding) String() string {
	if f.Index < 0 {
		return fmt.Sprintf("%s: %s", f.File, f.Where)
	}
	return fmt.Sprintf("%s: interaction %d: %s", f.File, f.Index, f.Where)
}

// Shapes of Cloudflare credentials that may appear anywhere in a file: API
// tokens are 40 characters of [A-Za-z0-9_-], Global API keys 37 hex digits.
var secretShapes = []struct {
	name string
	re   *regexp.Regexp
}{
	{"a string shaped like a Cloudflare API token", regexp.MustCompile(`(^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{40}($|[^A-Za-z0-9_-])`)},
	{"a string shaped like a Global API key", regexp.MustCompile(`(^|[^0-9a-fA-F])[0-9a-fA-F]{37}($|[^0-9a-fA-F])`)},
}

// ScanFile looks for secrets in a cassette file: credential headers and
// cf_api_key fields that do not hold the redaction placeholders, strings
// shaped like Cloudflare credentials, and any of the known values given (for
// example the credentials a recording was made with).
func ScanFile(path string, known ...string) ([]Finding, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, s := range secretShapes {
		if s.re.Match(raw) {
			out = append(out, Finding{File: path, Index: -1, Where: s.name})
		}
	}
	for _, k := range known {
		if k != "" && strings.Contains(string(raw), k) {
			out = append(out, Finding{File: path, Index: -1, Where: "a known secret value"})
		}
	}
	ixs, err := LoadCassette(path)
	if err != nil {
		return out, err
	}
	for i, ix := range ixs {
		for _, w := range ScanInteraction(ix) {
			out = append(out, Finding{File: path, Index: i, Where: w})
		}
	}
	return out, nil
}

// ScanInteraction returns where an interaction holds an unredacted
// credential.
func ScanInteraction(ix Interaction) []string {
	var out []string
	for _, name := range []string{"Authorization", "X-Auth-Key", "X-Auth-Email"} {
		for _, val := range ix.RequestHeader.Values(name) {
			if val != secretHeaders[name] && !looksRedacted(val) {
				out = append(out, "request header "+name+" is not redacted")
			}
		}
		if len(ix.ResponseHeader.Values(name)) > 0 {
			out = append(out, "response header "+name+" is present")
		}
	}
	if n := unredactedKeys(ix.RequestBody); n > 0 {
		out = append(out, "request body cf_api_key is not redacted")
	}
	if n := unredactedKeys(ix.ResponseBody); n > 0 {
		out = append(out, "response body cf_api_key is not redacted")
	}
	return out
}

// looksRedacted accepts other tools' placeholders ("Bearer [REDACTED]",
// "***", "<redacted>"), so verify can check recordings redacted by
// something other than Record.
func looksRedacted(v string) bool {
	if strings.Contains(strings.ToLower(v), "redacted") {
		return true
	}
	_, rest, hasScheme := strings.Cut(v, " ")
	if !hasScheme {
		rest = v
	}
	return rest != "" && strings.Trim(rest, "*xX.#-_<>[]") == ""
}

// unredactedKeys counts cf_api_key fields whose value is not the
// placeholder. A body that is not JSON but mentions cf_api_key counts too:
// it cannot be checked.
func unredactedKeys(body []byte) int {
	if !strings.Contains(string(body), "cf_api_key") {
		return 0
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return 1
	}
	return countKey(v, "cf_api_key", RedactedCFAPIKey)
}

func countKey(v any, key, allowed string) int {
	n := 0
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if k == key && child != allowed && !looksRedacted(fmt.Sprint(child)) {
				n++
				continue
			}
			n += countKey(child, key, allowed)
		}
	case []any:
		for _, child := range t {
			n += countKey(child, key, allowed)
		}
	}
	return n
}
