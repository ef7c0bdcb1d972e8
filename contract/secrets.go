package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/go-aisearch/tokens/internal/cfauth"
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
// tokens are 40 characters of [A-Za-z0-9_-], Global API keys 37 hex
// digits. A shape matches a run of exactly that many such characters.
var secretShapes = []struct {
	name string
	n    int
	in   func(byte) bool
}{
	{"a string shaped like a Cloudflare API token", 40, func(c byte) bool {
		return isHex(c) || 'g' <= c && c <= 'z' || 'G' <= c && c <= 'Z' || c == '_' || c == '-'
	}},
	{"a string shaped like a Global API key", 37, isHex},
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// hasRun reports whether s holds a run of exactly n characters that in
// accepts, with none either side. A linear scan: a regular expression with a
// bounded repetition of 40 costs forty times as much on a large file.
func hasRun(s []byte, n int, in func(byte) bool) bool {
	run := 0
	for _, c := range s {
		if in(c) {
			run++
			continue
		}
		if run == n {
			return true
		}
		run = 0
	}
	return run == n
}

// ScanFile looks for secrets in a cassette file: credential headers and
// cf_api_key fields that do not hold the redaction placeholders, strings
// shaped like Cloudflare credentials, and any of the known values given (for
// example the credentials a recording was made with).
func ScanFile(path string, known ...string) ([]Finding, error) {
	raw, ixs, err := readCassette(path, DefaultMaxCassetteSize)
	if err != nil {
		return nil, err
	}
	return scanCassette(path, raw, ixs, known...), nil
}

// scanCassette is ScanFile on a cassette already read. A credential-shaped
// string is reported with its interaction and part; the file's raw text is
// scanned too, for one outside any interaction's fields.
func scanCassette(name string, raw []byte, ixs []Interaction, known ...string) []Finding {
	var out []Finding
	shaped := map[string]bool{}
	for i, ix := range ixs {
		for _, w := range ScanInteraction(ix) {
			out = append(out, Finding{File: name, Index: i, Where: w})
		}
		for _, sh := range secretShapes {
			for _, part := range shapedParts(ix, sh.n, sh.in) {
				out = append(out, Finding{File: name, Index: i, Where: sh.name + " in the " + part})
				shaped[sh.name] = true
			}
		}
	}
	for _, sh := range secretShapes {
		if !shaped[sh.name] && hasRun(raw, sh.n, sh.in) {
			out = append(out, Finding{File: name, Index: -1, Where: sh.name})
		}
	}
	for _, k := range known {
		if k != "" && bytes.Contains(raw, []byte(k)) {
			out = append(out, Finding{File: name, Index: -1, Where: "a known secret value"})
		}
	}
	return out
}

// shapedParts names the parts of ix that hold a run of exactly n
// characters in accepts: "request URL", "request header X", "response body"...
func shapedParts(ix Interaction, n int, in func(byte) bool) []string {
	var out []string
	if hasRun([]byte(ix.URL), n, in) {
		out = append(out, "request URL")
	}
	for _, side := range []struct {
		name   string
		header map[string][]string
		body   []byte
	}{{"request", ix.RequestHeader, ix.RequestBody}, {"response", ix.ResponseHeader, ix.ResponseBody}} {
		for _, h := range slices.Sorted(maps.Keys(side.header)) {
			if slices.ContainsFunc(side.header[h], func(v string) bool { return hasRun([]byte(v), n, in) }) {
				out = append(out, side.name+" header "+h)
			}
		}
		if hasRun(side.body, n, in) {
			out = append(out, side.name+" body")
		}
	}
	return out
}

// ScanInteraction returns where an interaction holds an unredacted
// credential: a credential header or a cf_api_key that is not a
// placeholder, or an API token value (a create's result.value, a roll's
// result) that is not RedactedAPITokenValue.
func ScanInteraction(ix Interaction) []string {
	var out []string
	for _, name := range cfauth.Headers() {
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
	var env any
	if json.Unmarshal(ix.ResponseBody, &env) == nil {
		tokenValues(env, func(where, val string, _ func(string)) {
			if val != RedactedAPITokenValue {
				out = append(out, "response body "+where+" is not redacted (a Cloudflare API token value)")
			}
		})
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
