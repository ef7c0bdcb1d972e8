package aisearch_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// Lifecycle tests against the project's emulator: the real server side of
// the contract, with spec validation, both auth schemes and fault injection.

func emulatorClient(t *testing.T, ts *emulator.TestServer, cred aisearch.Option) (*aisearch.Client, *sleeps) {
	t.Helper()
	return newTestClient(t, ts.BaseURL, cred, aisearch.WithAccountID(ts.AccountID))
}

func TestEmulatorLifecycle(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	for name, cred := range map[string]aisearch.Option{
		"api token": aisearch.WithAPIToken(ts.APIToken),
		"api key":   aisearch.WithAPIKey(ts.APIEmail, ts.APIKey),
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := emulatorClient(t, ts, cred)
			ctx := context.Background()
			svcID, svcKey := liveToken(t, ts.Server(), name)
			nextID, nextKey := liveToken(t, ts.Server(), name+" 2")
			created, err := c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: "svc " + name, CfAPIID: svcID, CfAPIKey: svcKey})
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if created.ID == "" || !created.Enabled || !created.Legacy || created.CreatedAt.IsZero() || !created.CreatedAt.Equal(created.ModifiedAt) {
				t.Errorf("created = %+v", created)
			}
			if !ts.KeyMatches(ts.AccountID, created.ID, string(svcKey)) {
				t.Error("the emulator did not store the key sent")
			}
			got, err := c.Registrations.Get(ctx, created.ID)
			if err != nil || got != created {
				t.Errorf("Get = %+v, %v; want %+v", got, err, created)
			}
			found := false
			for tok, err := range c.Registrations.All(ctx, aisearch.RegistrationListOptions{Search: strings.ToUpper(name)}) {
				if err != nil {
					t.Fatal(err)
				}
				found = found || tok.ID == created.ID
			}
			if !found {
				t.Error("All(search) did not find the token")
			}
			no := false
			updated, err := c.Registrations.Update(ctx, created.ID, aisearch.RegistrationParams{Name: "renamed", CfAPIID: nextID, CfAPIKey: nextKey, Legacy: &no})
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
			if updated.ID != created.ID || updated.Name != "renamed" || updated.CfAPIID != nextID || updated.Legacy || !updated.CreatedAt.Equal(created.CreatedAt) {
				t.Errorf("updated = %+v", updated)
			}
			if !ts.KeyMatches(ts.AccountID, created.ID, string(nextKey)) {
				t.Error("Update did not replace the key")
			}
			if err := c.Registrations.Delete(ctx, created.ID); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if _, err := c.Registrations.Get(ctx, created.ID); !errors.Is(err, aisearch.ErrNotFound) {
				t.Errorf("Get after Delete: %v, want ErrNotFound", err)
			}
			if err := c.Registrations.Delete(ctx, created.ID); !errors.Is(err, aisearch.ErrNotFound) {
				t.Errorf("second Delete: %v, want ErrNotFound", err)
			}
		})
	}
}

func TestEmulatorErrors(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	c, _ := emulatorClient(t, ts, aisearch.WithAPIToken(ts.APIToken))
	svcID, svcKey := liveToken(t, ts.Server(), "svc")

	tok, err := c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: "svc", CfAPIID: svcID, CfAPIKey: svcKey})
	if err != nil {
		t.Fatal(err)
	}
	ts.MarkInUse(ts.AccountID, tok.ID, "my-instance")
	err = c.Registrations.Delete(ctx, tok.ID)
	var apiErr *aisearch.APIError
	if !errors.Is(err, aisearch.ErrConflict) || !errors.As(err, &apiErr) || apiErr.Attempts != 1 {
		t.Errorf("Delete in use: %v, want ErrConflict after one attempt", err)
	}

	if _, err := c.Registrations.Get(ctx, "not-a-uuid"); !errors.Is(err, aisearch.ErrInvalid) || !errors.As(err, &apiErr) || len(apiErr.Errors) == 0 || len(apiErr.Errors[0].Path) == 0 {
		t.Errorf("Get bad id: %v, want ErrInvalid with errors[].path", err)
	}
	if _, err := c.Registrations.List(ctx, aisearch.RegistrationListOptions{PerPage: 101}); !errors.Is(err, aisearch.ErrInvalid) || !strings.Contains(err.Error(), "per_page") {
		t.Errorf("List per_page 101: %v", err)
	}

	wrong, _ := emulatorClient(t, ts, aisearch.WithAPIToken("wrong-token"))
	if _, err := wrong.Registrations.List(ctx, aisearch.RegistrationListOptions{}); !errors.Is(err, aisearch.ErrAuth) {
		t.Errorf("wrong token: %v, want ErrAuth", err)
	}
}

func TestEmulatorFaultsAreRetriedSafely(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	c, s := emulatorClient(t, ts, aisearch.WithAPIToken(ts.APIToken))

	ts.FailNext(503, 429, 502)
	if _, err := c.Registrations.List(ctx, aisearch.RegistrationListOptions{}); err != nil {
		t.Errorf("List through three faults: %v", err)
	}
	if n := len(s.get()); n != 3 {
		t.Errorf("%d waits, want 3", n)
	}

	ts.FailNext(503)
	if _, err := c.Registrations.Create(ctx, createParams); err == nil {
		t.Error("Create through a 503 succeeded: it must not be retried")
	}
	if n := len(ts.Tokens(ts.AccountID)); n != 0 {
		t.Errorf("%d tokens after a failed create", n)
	}
}

func TestEmulatorPaginationAndRegister(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	ctx := context.Background()
	seed := make([]emulator.SeedToken, 250)
	for i := range seed {
		seed[i] = emulator.SeedToken{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), Name: fmt.Sprintf("t-%03d", i+1), CfAPIID: fmt.Sprintf("cf-%d", i+1), CfAPIKey: fakeCfAPIKey}
	}
	ts.Seed(ts.AccountID, seed...)
	c, _ := emulatorClient(t, ts, aisearch.WithAPIToken(ts.APIToken))
	var ids []string
	for tok, err := range c.Registrations.All(ctx, aisearch.RegistrationListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tok.ID)
	}
	if len(ids) != 250 || ids[0] != seed[0].ID || ids[249] != seed[249].ID {
		t.Errorf("All: %d tokens", len(ids))
	}

	existing, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "anything", CfAPIID: "cf-200", CfAPIKey: fakeCfAPIKey})
	if err != nil || created || existing.ID != seed[199].ID {
		t.Errorf("Ensure existing (page 2): %+v, %v, %v", existing, created, err)
	}
	newID, newKey := liveToken(t, ts.Server(), "new")
	fresh, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "svc", CfAPIID: newID, CfAPIKey: newKey})
	if err != nil || !created {
		t.Fatalf("Ensure new: %v, %v", created, err)
	}
	again, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "svc", CfAPIID: newID, CfAPIKey: newKey})
	if err != nil || created || again.ID != fresh.ID {
		t.Errorf("Ensure again: %+v, %v, %v", again, created, err)
	}
	if n := len(ts.Tokens(ts.AccountID)); n != 251 {
		t.Errorf("%d tokens, want 251", n)
	}
}

func TestEmulatorConcurrentUse(t *testing.T) {
	t.Parallel()
	ts := emulator.NewTestServer(t)
	c, _ := emulatorClient(t, ts, aisearch.WithAPIToken(ts.APIToken))
	ctx := context.Background()
	svcID, svcKey := liveToken(t, ts.Server(), "svc")
	const n = 16
	errs := make(chan error, n)
	for i := range n {
		go func() {
			tok, err := c.Registrations.Create(ctx, aisearch.RegistrationParams{Name: fmt.Sprint("c-", i), CfAPIID: svcID, CfAPIKey: svcKey})
			if err == nil {
				_, err = c.Registrations.Get(ctx, tok.ID)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	count := 0
	for _, err := range c.Registrations.All(ctx, aisearch.RegistrationListOptions{PerPage: 5}) {
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	if count != n {
		t.Errorf("All found %d tokens, want %d", count, n)
	}
}
