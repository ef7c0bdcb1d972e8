package aisearch_test

import (
	"context"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// TestEnsureTakesRegistrationParams: Ensure takes what Create
// takes, so a non-legacy service token can be registered idempotently.
func TestEnsureTakesRegistrationParams(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	c, err := aisearch.New(ts.AccountID, aisearch.WithAPIToken(ts.APIToken), aisearch.WithBaseURL(ts.BaseURL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	notLegacy := false
	svcID, svcKey := liveToken(t, ts.Server(), "svc")
	p := aisearch.RegistrationParams{Name: "svc", CfAPIID: svcID, CfAPIKey: svcKey, Legacy: &notLegacy}
	tok, created, err := c.Registrations.Ensure(ctx, p)
	if err != nil || !created || tok.Legacy || tok.Name != "svc" || tok.CfAPIID != svcID {
		t.Fatalf("first call: %+v, created %v, %v", tok, created, err)
	}
	legacy := true
	p.Legacy = &legacy
	again, created, err := c.Registrations.Ensure(ctx, p)
	if err != nil || created || again.ID != tok.ID || again.Legacy {
		t.Errorf("second call: %+v, created %v, %v; want the existing, non-legacy registration", again, created, err)
	}
	if _, _, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "x", CfAPIID: "y"}); err == nil {
		t.Error("no key: accepted")
	}
}
