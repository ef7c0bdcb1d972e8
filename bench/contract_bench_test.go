package bench

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/go-aisearch/tokens/contract"
)

func fixtures(b *testing.B) ([]contract.Interaction, int) {
	b.Helper()
	ixs, files, err := FixtureInteractions()
	if err != nil || len(ixs) == 0 {
		b.Skipf("no contract fixtures to validate (%v)", err)
	}
	return ixs, files
}

// reportSet reports the size of the set and its rate; called after the
// loop, because ResetTimer clears reported metrics.
func reportSet(b *testing.B, ixs []contract.Interaction, files int) {
	b.ReportMetric(float64(files), "files")
	b.ReportMetric(float64(len(ixs)), "interactions")
	b.ReportMetric(float64(len(ixs))*float64(b.N)/b.Elapsed().Seconds(), "interactions/s")
}

// BenchmarkContractFixtureSet validates the whole fixture set once per
// iteration with a validator built once: ns/op is the time the contract
// suite needs for every fixture (target: well under a second).
func BenchmarkContractFixtureSet(b *testing.B) {
	ixs, files := fixtures(b)
	v, err := contract.NewValidator()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		for _, ix := range ixs {
			v.Check(ctx, ix)
		}
	}
	reportSet(b, ixs, files)
}

// BenchmarkContractFixtureSetJSONOnly is the baseline: decoding every request
// and response body of the fixture set with encoding/json, the least any
// validator must do.
func BenchmarkContractFixtureSetJSONOnly(b *testing.B) {
	ixs, files := fixtures(b)
	b.ResetTimer()
	for b.Loop() {
		for _, ix := range ixs {
			var req, resp any
			if len(ix.RequestBody) > 0 {
				_ = json.Unmarshal(ix.RequestBody, &req)
			}
			_ = json.Unmarshal(ix.ResponseBody, &resp)
		}
	}
	reportSet(b, ixs, files)
}

// BenchmarkContractNewValidator is what building a validator costs once the
// process has parsed the spec (spec.Shared) and built the router: what
// the suite would pay per fixture if it rebuilt the validator each time.
// The first validator, which parses the spec and builds the router, is
// built before the timed loop.
func BenchmarkContractNewValidator(b *testing.B) {
	if _, err := contract.NewValidator(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := contract.NewValidator(); err != nil {
			b.Fatal(err)
		}
	}
}
