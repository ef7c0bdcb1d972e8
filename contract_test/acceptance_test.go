package contract_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

// idField is a token id as it appears in a recorded response body.
var idField = regexp.MustCompile(`"id":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",?`)

// TestBreakingAFixtureByHand does what the acceptance criterion says: in a
// copy of each valid fixture that holds a token, delete the first result.id
// with a text edit, and require the suite's check to fail with a message
// naming the file and the field.
func TestBreakingAFixtureByHand(t *testing.T) {
	v := validator(t)
	broken := 0
	for _, src := range validFiles(t) {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		loc := idField.FindIndex(data)
		if loc == nil {
			continue
		}
		broken++
		dst := filepath.Join(t.TempDir(), filepath.Base(src))
		edited := append(append([]byte(nil), data[:loc[0]]...), data[loc[1]:]...)
		if err := os.WriteFile(dst, edited, 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := v.Verify(context.Background(), []string{dst}, contract.VerifyOptions{})
		if err != nil {
			t.Fatalf("%s: %v", dst, err)
		}
		msg := rep.Summary()
		named := regexp.MustCompile(regexp.QuoteMeta(dst) + `: interaction \d+ .*: response body\.result(\.\d+)?\.id: property "id" is missing`)
		if !named.MatchString(msg) {
			t.Errorf("%s without its first result.id: report does not name the file and the field:\n%s", src, msg)
		}
		if strings.Count(msg, "\n") == 0 {
			t.Errorf("%s: nothing reported", src)
		}
	}
	if broken == 0 {
		t.Fatal("no fixture holds a token id")
	}
	t.Logf("removed result.id by hand from %d fixtures: each failure names its file and field", broken)
}
