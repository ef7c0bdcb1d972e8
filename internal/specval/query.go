package specval

import (
	"net/url"
	"strings"
)

// QueryProblems reports each pair of a raw query string that does not
// decode, at ["query", <its name>] (the raw name when the name itself does
// not decode, cut to 64 bytes): a bad escape (search=%zz) or a ';'
// separator. url.Values drops such a pair without a word, so the filter it
// carried would silently not apply; the emulator refuses it and the
// contract checker flags it, with these paths.
func QueryProblems(raw string) []Violation {
	var out []Violation
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, nameErr := url.QueryUnescape(rawName)
		if nameErr != nil || name == "" {
			name = rawName
		}
		name = name[:min(len(name), 64)]
		_, valueErr := url.QueryUnescape(rawValue)
		var msg string
		switch {
		case strings.Contains(pair, ";"):
			msg = "';' does not separate query parameters; use '&', or %3B inside a value"
		case nameErr != nil || valueErr != nil:
			msg = "malformed percent-encoding"
		default:
			continue
		}
		out = append(out, Violation{Side: "request", Path: []string{"query", name}, Message: msg})
	}
	return out
}
