package aisearchtest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/aisearchtest"
	"github.com/go-aisearch/tokens/emulator"
)

// The client works as it comes: with the server's account, credential and
// base URL.
func TestClientIsReady(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []emulator.Option
	}{
		{"the token NewTestServer makes", nil},
		{"an API key only", []emulator.Option{emulator.WithAPIKey("ops@example.com", "an-api-key-for-the-test")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := aisearchtest.NewServer(t, tt.opts...)
			const id = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
			srv.Seed(srv.AccountID, emulator.SeedToken{ID: id, Name: "svc", CfAPIID: "a1b2c3d4e5f6", CfAPIKey: "abc123"})
			got, err := srv.Client().Registrations.Get(context.Background(), id)
			if err != nil || got.Name != "svc" {
				t.Fatalf("Get = %+v, %v; want the seeded registration", got, err)
			}
		})
	}
}

// Injected failures are retried (without waiting: aisearch tests that),
// and the caller's options override the defaults.
func TestClientRetriesAndTakesOptions(t *testing.T) {
	t.Parallel()
	srv := aisearchtest.NewServer(t)
	ctx := context.Background()
	srv.FailNext(503, 503, 503)
	if _, err := srv.Client().Registrations.List(ctx, aisearch.RegistrationListOptions{}); err != nil {
		t.Fatalf("List after three 503s: %v", err)
	}
	srv.FailNext(503)
	once := srv.Client(aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1}))
	var apiErr *aisearch.APIError
	if _, err := once.Registrations.List(ctx, aisearch.RegistrationListOptions{}); !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
		t.Fatalf("List with retries off after a 503: %v, want the 503", err)
	}
}

// fatalRecorder is a test whose Fatalf is recorded, not fatal.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) { f.msg = fmt.Sprintf(format, args...) }

func TestClientFailsTheTestOnABadOption(t *testing.T) {
	t.Parallel()
	rec := &fatalRecorder{TB: t}
	srv := aisearchtest.NewServer(rec)
	if c := srv.Client(aisearch.WithBaseURL("ftp://x")); c != nil || rec.msg == "" {
		t.Errorf("Client with a bad option = %v, and the test was failed with %q", c, rec.msg)
	}
}
