package bench

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
)

const (
	benchAccount = emulator.DefaultAccountID
	// listSize tokens are seeded, and a default list (20 per page) returns
	// them all: the bare handler's canned list has the same size.
	listSize = 20
)

// benchServiceToken is the live Cloudflare API token createBody registers
// (AI Search registers no other): seeded in every emulator.
const (
	benchServiceTokenID  = "cfa0000000000000000000000000042a"
	benchServiceTokenKey = "bench-not-a-secret"
)

// newEmulator returns an emulator holding listSize tokens.
func newEmulator(b *testing.B, validation bool) http.Handler {
	b.Helper()
	srv, err := emulator.New(emulator.WithAPITokens(benchToken), emulator.WithValidation(validation))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	seed := make([]emulator.SeedToken, listSize)
	for i := range seed {
		t := CannedToken(i)
		seed[i] = emulator.SeedToken{ID: t.ID, Name: t.Name, CfAPIID: t.CfAPIID, CfAPIKey: fmt.Sprintf("bench-key-%d", i)}
	}
	if err := srv.Seed(benchAccount, seed...); err != nil {
		b.Fatal(err)
	}
	if err := srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: benchServiceTokenID, Name: "service", Value: benchServiceTokenKey}); err != nil {
		b.Fatal(err)
	}
	return srv.Handler()
}

var createBody = []byte(`{"name":"bench-token-new","cf_api_id":"` + benchServiceTokenID + `","cf_api_key":"` + benchServiceTokenKey + `","legacy":true}`)

// emulatorRequests are the three measured calls: list, get and create.
func emulatorRequests() map[string]request {
	base := "/client/v4" + TokensPath(benchAccount)
	return map[string]request{
		"list":   {method: http.MethodGet, path: base, want: http.StatusOK},
		"get":    {method: http.MethodGet, path: base + "/" + CannedToken(3).ID, want: http.StatusOK},
		"create": {method: http.MethodPost, path: base, body: createBody, want: http.StatusCreated},
	}
}

// BenchmarkEmulator measures each call on loopback against the emulator with
// request validation (the default), without it, and against the bare
// net/http handler serving canned JSON of the same size. Client and server
// share the two cores, so every variant pays the same client cost.
func BenchmarkEmulator(b *testing.B) {
	reqs := emulatorRequests()
	for _, op := range []string{"list", "get", "create"} {
		b.Run(op, func(b *testing.B) {
			b.Run("validation", func(b *testing.B) { serveParallel(b, newEmulator(b, true), reqs[op]) })
			b.Run("novalidation", func(b *testing.B) { serveParallel(b, newEmulator(b, false), reqs[op]) })
			b.Run("bare", func(b *testing.B) { serveParallel(b, BareHandler(listSize), reqs[op]) })
		})
	}
}
