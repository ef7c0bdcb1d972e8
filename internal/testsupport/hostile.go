// Package testsupport holds helpers that only tests import: hostile files
// and a hand-moved clock.
//
// Hostile files: it makes, for tests, the inputs that used to stall or
// exhaust the readers of user-named files: a device behind a symlink, a FIFO
// nobody writes to, a cassette whose YAML aliases expand a small file into a
// large one.
package testsupport

import (
	"fmt"
	"strings"
)

// AliasCassette returns a go-vcr cassette of n valid list answers that all
// repeat one anchored body of about size bytes through YAML aliases: a file
// of about size bytes that decodes to n times as much.
func AliasCassette(n, size int) []byte {
	var b strings.Builder
	b.WriteString("version: 2\ninteractions:\n")
	body := `'{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":20,"count":0,"total_count":0},"padding":"` + strings.Repeat("x", size) + `"}'`
	for i := range n {
		ref := "*body"
		if i == 0 {
			ref = "&body " + body
		}
		fmt.Fprintf(&b, "- request: {method: GET, url: 'https://api.cloudflare.com/client/v4/accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens', headers: {Authorization: [Bearer REDACTED]}}\n"+
			"  response: {code: 200, headers: {Content-Type: [application/json]}, body: %s}\n", ref)
	}
	return []byte(b.String())
}
