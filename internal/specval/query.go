package specval

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// QueryProblems reports each pair of a raw query string that does not
// decode, at ["query", <its name>] (the raw name when the name itself does
// not decode; see pathName): a bad escape (search=%zz) or a ';'
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
		name = pathName(name)
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

// pathName makes a parameter name fit to travel in errors[].path: valid
// UTF-8 (a JSON encoder would replace bad bytes anyway, and the checker must
// expect what the server sends), cut to 64 bytes on a character boundary.
func pathName(name string) string {
	name = strings.ToValidUTF8(name, "\uFFFD")
	for len(name) > 64 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	return name
}
