package emulator_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// The emulator's handler under httptest, driven by this project's client:
// Provision creates a Cloudflare API token with AI Search's service
// permissions and registers it; Check finds it healthy. In a test,
// aisearchtest.NewServer(t).Client() does the setup in one line.
func Example_aisearch() {
	srv, err := emulator.New(emulator.WithAPITokens("example-token"))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	c, err := aisearch.New(emulator.DefaultAccountID,
		aisearch.WithAPIToken("example-token"), aisearch.WithBaseURL(hs.URL+emulator.BasePath))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	p, err := c.Provision(ctx, aisearch.ServiceTokenOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("created:", p.Created, "holds the new token:", p.Registration.CfAPIID == p.APIToken.ID)

	report, err := c.Check(ctx, aisearch.CheckOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("registrations:", len(report), "healthy:", report[0].Healthy())
	// Output:
	// created: true holds the new token: true
	// registrations: 1 healthy: true
}
