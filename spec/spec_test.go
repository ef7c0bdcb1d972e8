package spec_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/spec"
)

func TestLoadValidates(t *testing.T) {
	doc, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(doc.Paths.Map()); got != 24 {
		t.Fatalf("paths: got %d, want 24 (AI Search tokens, instances, jobs and namespaces; Cloudflare API tokens, user and account)", got)
	}
	// Each call must hand out an independent document.
	doc.Servers = nil
	again, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Servers) != 1 {
		t.Fatalf("Load shares state between calls: servers = %v", again.Servers)
	}
}

// Shared parses once and hands every caller the same document; Load
// still gives a copy of its own, which a caller may change without
// touching the shared one.
func TestSharedIsParsedOnce(t *testing.T) {
	a, err := spec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	b, err := spec.Shared()
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Error("Shared returned two documents")
	}
	own, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	if own == a {
		t.Fatal("Load returned the shared document")
	}
	own.Servers = nil
	if len(a.Servers) != 1 {
		t.Errorf("changing a Load copy changed the shared spec: servers = %v", a.Servers)
	}
}

// Load's copies are decoded from the JSON form of the parsed spec; they
// must be the document that parsing openapi.yaml itself gives, and valid.
func TestLoadCopiesTheParsedYAML(t *testing.T) {
	fromYAML, err := openapi3.NewLoader().LoadFromData(spec.YAML)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := spec.Load()
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
		t.Errorf("Load differs from openapi.yaml parsed directly:\n got %.300s\nwant %.300s", got, want)
	}
}
