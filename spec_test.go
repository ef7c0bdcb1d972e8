package tokens_test

import (
	"testing"

	tokens "github.com/go-aisearch/tokens"
)

func TestLoadSpecValidates(t *testing.T) {
	doc, err := tokens.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(doc.Paths.Map()); got != 12 {
		t.Fatalf("paths: got %d, want 12 (AI Search tokens and Cloudflare API tokens, user and account)", got)
	}
	// Each call must hand out an independent document.
	doc.Servers = nil
	again, err := tokens.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Servers) != 1 {
		t.Fatalf("LoadSpec shares state between calls: servers = %v", again.Servers)
	}
}
