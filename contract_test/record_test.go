package contract_test

import (
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/contract/record"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

var rerecord = flag.Bool("record", false, "re-record the emulator-* fixtures in testdata/ from the emulator")

// Known secrets the emulator accepts; none may reach a cassette. They have
// the shapes of real Cloudflare credentials so the shape scan sees them too.
const (
	secretToken = "Zq3vN8xK2mP5rT7wY9aB4cD6eF1gH0jL_sU-iO2x" // 40 chars, like an API token
	secretEmail = "owner-secret@example.org"
	secretKey   = "0123456789abcdef0123456789abcdef01234" // 37 hex, like a Global API key
	recordAcct  = "0f0e0d0c0b0a09080706050403020100"      // normalised away
)

// recordFromEmulator records every scenario from a fresh emulator with
// creds into dir and returns the files and the secrets in play.
func recordFromEmulator(t *testing.T, dir, prefix string, creds record.Credentials, only ...string) ([]string, []string) {
	t.Helper()
	// Jobs outlast a scenario (it cancels them); the limits are small
	// enough for instances-limits to reach.
	srv := emulator.NewTestServer(t, emulator.WithAPITokens(secretToken), emulator.WithAPIKey(secretEmail, secretKey),
		emulator.WithJobDuration(time.Hour), emulator.WithMaxInstances(6), emulator.WithMaxNamespaces(2))
	// The service token the scenarios register: a live API token of the
	// user (AI Search registers no other), which holds the groups an
	// instance's jobs need (so that they run) but no permission to manage
	// AI Search or API tokens (the forbidden scenarios use it as a bearer).
	serviceKey := "svc-key-" + strings.Repeat("s3", 16)
	srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "a1b2c3d4e5f6", Name: "ai-search-service", Value: serviceKey,
		Policies: []generated.Policy{{Effect: generated.Allow, Resources: generated.APITokenResources{"com.cloudflare.api.account." + recordAcct: "*"},
			PermissionGroups: []generated.PolicyPermissionGroup{{ID: emulator.AISearchIndexEngineGroupID}, {ID: emulator.WorkersR2StorageWriteGroupID}}}}})
	opts := record.Options{
		BaseURL: srv.BaseURL, AccountID: recordAcct, Credentials: creds, OutDir: dir, Prefix: prefix,
		ServiceTokenID: "a1b2c3d4e5f6", ServiceTokenKey: serviceKey, Only: only,
		MarkInUse: func(id string) error { return srv.Server().MarkInUse(recordAcct, id, "docs-search") },
		RateLimit: func(_ context.Context, req *http.Request) error {
			req.Header.Set(emulator.FaultHeader, "429,retry-after=30")
			return nil
		},
		Limits: &record.Limits{Instances: 6, Namespaces: 2},
	}
	files, err := record.Record(context.Background(), opts)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	return files, append(creds.Secrets(), serviceKey, recordAcct)
}

// TestRecordFromEmulator records the scripted lifecycle with both kinds of
// credentials, then proves that no secret reached the cassettes and that
// the recordings satisfy the contract and replay through the client.
func TestRecordFromEmulator(t *testing.T) {
	for name, creds := range map[string]record.Credentials{
		"bearer": {APIToken: secretToken},
		"legacy": {Email: secretEmail, APIKey: secretKey},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			files, secrets := recordFromEmulator(t, dir, "emulator-", creds)
			want := len(record.Scenarios)
			if creds.APIToken == "" { // the API token operations take only an API token
				want = len(slices.DeleteFunc(slices.Clone(record.Scenarios), func(s string) bool { return strings.HasPrefix(s, "api-tokens-") }))
			}
			if len(files) != want {
				t.Errorf("recorded %d cassettes, want %d: %v", len(files), want, files)
			}
			for _, f := range files {
				found, err := contract.ScanFile(f, secrets...)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range found {
					t.Errorf("secret in a recording: %s", s)
				}
			}
			v := validator(t)
			rep, err := v.Verify(context.Background(), []string{dir}, contract.VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Failures {
				t.Errorf("recording breaks the contract: %s", f)
			}
			for _, f := range files {
				for _, p := range replayFile(t, v, f) {
					t.Error(p)
				}
			}
			if *rerecord && name == "bearer" {
				writeRecorded(t, files)
			}
			if *rerecord && name == "legacy" {
				writeRecorded(t, files[:1], "legacy-")
			}
		})
	}
}

// writeRecorded copies recordings into testdata/ (run with -record).
func writeRecorded(t *testing.T, files []string, extraPrefix ...string) {
	t.Helper()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if len(extraPrefix) > 0 {
			name = strings.Replace(name, "emulator-", "emulator-"+extraPrefix[0], 1)
		}
		if err := os.WriteFile(filepath.Join(validDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Join(validDir, name))
	}
}

// TestRecordRedactsAPITokenValues records the API token lifecycles and
// requires every value the emulator issued (six creates and a roll per
// owner) to be absent from the cassettes: the placeholder stands where
// create and roll answered them, and the verifies made with them carry
// Bearer REDACTED.
func TestRecordRedactsAPITokenValues(t *testing.T) {
	srv := emulator.NewTestServer(t, emulator.WithAPITokens(secretToken))
	// Under the recorder, where nothing is redacted yet, collect every value
	// the emulator answers: a create's result.value, a roll's result.
	var mu sync.Mutex
	var values []string
	tap := &contract.Transport{Validator: validator(t), OnExchange: func(ix contract.Interaction, _ contract.Result) {
		var env struct {
			Result json.RawMessage `json:"result"`
		}
		var created struct {
			Value string `json:"value"`
		}
		var rolled string
		_ = json.Unmarshal(ix.ResponseBody, &env)
		mu.Lock()
		defer mu.Unlock()
		if json.Unmarshal(env.Result, &created) == nil && created.Value != "" {
			values = append(values, created.Value)
		}
		if json.Unmarshal(env.Result, &rolled) == nil && rolled != "" {
			values = append(values, rolled)
		}
	}}
	dir := t.TempDir()
	files, err := record.Record(t.Context(), record.Options{BaseURL: srv.BaseURL, AccountID: recordAcct, OutDir: dir,
		Credentials: record.Credentials{APIToken: secretToken}, Transport: tap, Only: []string{"api-tokens-user", "api-tokens-account"}})
	if err != nil {
		t.Fatal(err)
	}
	// 7 per owner (6 creates, 1 roll), and the service token Record minted
	// (outside the recordings: its value must not reach them either).
	if len(values) != 15 {
		t.Fatalf("the emulator answered %d values, want 15", len(values))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range values {
			if strings.Contains(string(data), v) {
				t.Errorf("%s holds an API token value the emulator issued", f)
			}
		}
		if n := strings.Count(string(data), contract.RedactedAPITokenValue); n != 7 {
			t.Errorf("%s: %d placeholders, want 7 (6 creates, 1 roll)", f, n)
		}
		ixs, err := contract.LoadCassette(f)
		if err != nil {
			t.Fatal(err)
		}
		verifies := 0
		for _, ix := range ixs {
			if strings.HasSuffix(ix.URL, "/verify") {
				verifies++
				if got := ix.RequestHeader.Get("Authorization"); got != contract.RedactedAuthorization {
					t.Errorf("%s: a verify's bearer is %q, want %q", f, got, contract.RedactedAuthorization)
				}
			}
		}
		if verifies != 3 {
			t.Errorf("%s: %d verifies, want 3 (new, rolled and revoked value)", f, verifies)
		}
	}
}
