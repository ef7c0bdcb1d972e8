package emulator

import (
	"encoding/json"
	"testing"
	"time"
)

// An instance row of a state file written before instances kept their
// settings loads with every default, modified_at its created_at.
func TestOldInstanceRowsGetTheDefaults(t *testing.T) {
	t.Parallel()
	var in instance
	if err := json.Unmarshal([]byte(`{"account":"a","namespace":"default","id":"docs","token_id":"r","created_at":"2026-01-02T03:04:05Z"}`), &in); err != nil {
		t.Fatal(err)
	}
	want := newInstance("a", defaultNamespace, "docs", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	want.TokenID = "r"
	got, _ := json.Marshal(in)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Fatalf("loaded\n%s\nwant\n%s", got, exp)
	}
	// A stored setting is not overwritten by its default.
	if err := json.Unmarshal([]byte(`{"id":"x","cache":false,"cache_ttl":600}`), &in); err != nil || in.Cache || in.CacheTTL != 600 || in.ChunkOverlap != 10 {
		t.Fatalf("%+v %v", in, err)
	}
}
