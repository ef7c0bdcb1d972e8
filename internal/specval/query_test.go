package specval

import (
	"encoding/json"
	"slices"
	"testing"
	"unicode/utf8"
)

// The path QueryProblems names must survive a JSON round trip unchanged:
// the emulator sends it in errors[].path, the checker compares it with its
// own (a fuzzer found a name with invalid UTF-8 that did not).
func TestQueryProblemPathsSurviveJSON(t *testing.T) {
	for _, raw := range []string{"t\xff\x00=%zz", "%zz=1", "a;b=1", "\xe2\x82=%", string(make([]byte, 100)) + "=%"} {
		vs := QueryProblems(raw)
		if len(vs) != 1 {
			t.Fatalf("%q: %d problems, want 1", raw, len(vs))
		}
		path := vs[0].Path
		b, _ := json.Marshal(path)
		var back []string
		if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back, path) {
			t.Errorf("%q: path %q comes back from JSON as %q", raw, path, back)
		}
		if !utf8.ValidString(path[1]) || len(path[1]) > 64 {
			t.Errorf("%q: name %q", raw, path[1])
		}
	}
	if vs := QueryProblems("page=2&search=ok%20go"); len(vs) != 0 {
		t.Errorf("a good query: %v", vs)
	}
}
