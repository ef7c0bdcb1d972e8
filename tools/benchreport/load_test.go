package main

import "testing"

// The load section runs the default mix against the emulator and the bare
// handler; a server that cannot answer any of its requests (the service
// token mint included) fails the whole report, so a short run is checked
// here rather than found at the end of make bench.
func TestRunLoad(t *testing.T) {
	rows, err := runLoad([]int{2}, 60)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	for name, res := range map[string]interface{ Unexpected() int }{"emulator": rows[0].Emulator, "bare": rows[0].Bare} {
		if res.Unexpected() != 0 {
			t.Errorf("%s: %d unexpected answers", name, res.Unexpected())
		}
	}
	if rows[0].Emulator.Requests != 60 || rows[0].Bare.Requests != 60 {
		t.Errorf("requests: emulator %d, bare %d, want 60 each", rows[0].Emulator.Requests, rows[0].Bare.Requests)
	}
}
