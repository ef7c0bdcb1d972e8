package aisearch_test

import (
	"context"
	"errors"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
)

func TestEnsure(t *testing.T) {
	t.Parallel()
	ts := newEmulator(t)
	ts.Seed(ts.AccountID, namedTokens("other", 120)...) // the match is on page 2
	w := &wire{}
	c, _ := newTestClient(t, ts.BaseURL, w.option())
	ctx := context.Background()
	svcID, svcKey := liveToken(t, ts.Server(), "svc")
	rotatedID, rotatedKey := liveToken(t, ts.Server(), "rotated")

	first, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "svc", CfAPIID: svcID, CfAPIKey: svcKey})
	if err != nil || !created || first.ID == "" || first.CfAPIID != svcID {
		t.Fatalf("first call: %+v, created %v, %v", first, created, err)
	}
	again, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "svc renamed", CfAPIID: svcID, CfAPIKey: svcKey})
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("second call: %+v, created %v, %v; want the first token, not created", again, created, err)
	}
	if got := w.hits("POST /collection"); got != 1 {
		t.Errorf("%d creates, want 1", got)
	}

	_, created, err = c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "svc", CfAPIID: rotatedID, CfAPIKey: rotatedKey})
	if !errors.Is(err, aisearch.ErrNameTaken) || created {
		t.Errorf("same name, other cf_api_id: created %v, err %v; want ErrNameTaken", created, err)
	}
	if got := w.hits("POST /collection"); got != 1 {
		t.Errorf("%d creates after the name clash, want 1", got)
	}

	if _, _, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "x", CfAPIID: "cf-x", CfAPIKey: ""}); err == nil {
		t.Error("empty key accepted")
	}
}

func TestEnsureReturnsListErrors(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(403, envelopeError(10000, "Authentication error")))
	c, _ := newTestClient(t, srv.baseURL())
	if _, _, err := c.Registrations.Ensure(context.Background(), aisearch.RegistrationParams{Name: "svc", CfAPIID: "cf", CfAPIKey: fakeCfAPIKey}); !errors.Is(err, aisearch.ErrAuth) {
		t.Errorf("err = %v, want ErrAuth", err)
	}
}
