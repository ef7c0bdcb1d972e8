package tokens_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

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

// SharedSpec parses once and hands every caller the same document; LoadSpec
// still gives a copy of its own, which a caller may change without
// touching the shared one.
func TestSharedSpecIsParsedOnce(t *testing.T) {
	a, err := tokens.SharedSpec()
	if err != nil {
		t.Fatal(err)
	}
	b, err := tokens.SharedSpec()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("SharedSpec returned two documents")
	}
	own, err := tokens.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if own == a {
		t.Fatal("LoadSpec returned the shared document")
	}
	own.Servers = nil
	if len(a.Servers) != 1 {
		t.Errorf("changing a LoadSpec copy changed the shared spec: servers = %v", a.Servers)
	}
}

// LoadSpec's copies are decoded from the JSON form of the parsed spec; they
// must be the document that parsing openapi.yaml itself gives, and valid.
func TestLoadSpecCopiesTheParsedYAML(t *testing.T) {
	fromYAML, err := openapi3.NewLoader().LoadFromData(tokens.SpecYAML)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tokens.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("a copy does not validate: %v", err)
	}
	want, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("LoadSpec differs from openapi.yaml parsed directly:\n got %.300s\nwant %.300s", got, want)
	}
}
