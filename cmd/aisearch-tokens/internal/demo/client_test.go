package demo

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestDemoDrivesTheClientPackage: the demo shows what users import, so
// every exchange must come from the aisearch client (its User-Agent), and
// be validated.
func TestDemoDrivesTheClientPackage(t *testing.T) {
	t.Parallel()
	e, err := start()
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	r := e.run(context.Background(), io.Discard)
	for _, sc := range scenes {
		sc.play(r)
	}
	if err := r.finish(); err != nil {
		t.Fatal(err)
	}
	all := e.rec.all()
	if len(all) == 0 {
		t.Fatal("no exchange recorded")
	}
	for _, x := range all {
		if !strings.Contains(x.userAgent, "go-aisearch-tokens/") || !strings.HasPrefix(x.userAgent, "aisearch-tokens-demo ") {
			t.Errorf("%s %s sent User-Agent %q: not the aisearch client", x.method, x.target, x.userAgent)
		}
	}
}
