package aisearch_test

import (
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
)

// An Owner is its word, the CLI's --owner value and the emulator's.
func TestParseOwner(t *testing.T) {
	t.Parallel()
	for _, o := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		if got, err := aisearch.ParseOwner(string(o)); err != nil || got != o {
			t.Errorf("ParseOwner(%q) = %q, %v", o, got, err)
		}
	}
	if aisearch.OwnerUser != "user" || aisearch.OwnerAccount != "account" {
		t.Errorf("owners are %q and %q, want user and account", aisearch.OwnerUser, aisearch.OwnerAccount)
	}
	for _, bad := range []string{"", "User", "zone"} {
		if _, err := aisearch.ParseOwner(bad); err == nil {
			t.Errorf("ParseOwner(%q) accepted", bad)
		}
	}
}
