package contract_test

import (
	"context"
	"testing"
)

// TestMutation breaks every valid interaction in every systematic way
// Mutants knows and requires the contract check to catch every mutant.
func TestMutation(t *testing.T) {
	v := validator(t)
	ctx := context.Background()
	killed, total := 0, 0
	for _, fx := range loadAll(t, validFiles(t)) {
		for i, ix := range fx.ixs {
			if !v.Check(ctx, ix).OK() {
				t.Errorf("%s: interaction %d is itself invalid; its mutants are not counted", fx.file, i)
				continue
			}
			mutants := v.Mutants(ix)
			if len(mutants) == 0 {
				t.Errorf("%s: interaction %d: no mutants (is it routable and documented?)", fx.file, i)
			}
			for _, m := range mutants {
				total++
				if v.Check(ctx, m.Interaction).OK() {
					t.Errorf("%s: interaction %d: mutant survived: %s", fx.file, i, m.Name)
					continue
				}
				killed++
			}
		}
	}
	if total == 0 {
		t.Fatal("no mutants at all")
	}
	t.Logf("mutation score: %d/%d (%.1f%%)", killed, total, 100*float64(killed)/float64(total))
}
