package aisearchtest_test

import (
	"context"
	"fmt"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/aisearchtest"
)

// A test that provisions AI Search's service token against a local
// Cloudflare, then checks it. Provision creates a Cloudflare API token with
// the service permissions and registers it with AI Search; Check finds the
// token behind every registration and says whether it works.
func Example() {
	t := newExampleT() // in a test, the test's *testing.T
	defer t.finish()

	srv := aisearchtest.NewServer(t)
	c := srv.Client()
	ctx := context.Background()

	p, err := c.Provision(ctx, aisearch.ServiceTokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("created:", p.Created, "registered as:", p.Registration.Name)

	report, err := c.Check(ctx, aisearch.CheckOptions{ExpiringWithin: aisearch.DefaultExpiryWarning})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range report {
		fmt.Println(h.Registration.Name, "healthy:", h.Healthy())
	}
	// Output:
	// created: true registered as: ai-search-service
	// ai-search-service healthy: true
}
