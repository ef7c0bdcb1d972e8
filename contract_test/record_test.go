package contract_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
)

var record = flag.Bool("record", false, "re-record the emulator-* fixtures in testdata/ from the emulator")

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
func recordFromEmulator(t *testing.T, dir, prefix string, creds contract.Credentials, only ...string) ([]string, []string) {
	t.Helper()
	srv := emulator.NewTestServer(t, emulator.WithAPITokens(secretToken), emulator.WithAPIKey(secretEmail, secretKey))
	serviceKey := "svc-key-" + strings.Repeat("s3", 16)
	opts := contract.RecordOptions{
		BaseURL: srv.BaseURL, AccountID: recordAcct, Credentials: creds, OutDir: dir, Prefix: prefix,
		ServiceTokenID: "a1b2c3d4e5f6", ServiceTokenKey: serviceKey, Only: only,
		MarkInUse: func(id string) error { return srv.Server().MarkInUse(recordAcct, id, "docs-search") },
		RateLimit: func(_ context.Context, req *http.Request) error {
			req.Header.Set(emulator.FaultHeader, "429,retry-after=30")
			return nil
		},
	}
	files, err := contract.Record(context.Background(), opts)
	if err != nil {
		t.Fatalf("record: %v", err)
	}
	return files, append(creds.Secrets(), serviceKey, recordAcct)
}

// TestRecordFromEmulator records the scripted lifecycle with both kinds of
// credentials, then proves that no secret reached the cassettes and that
// the recordings satisfy the contract and replay through the client.
func TestRecordFromEmulator(t *testing.T) {
	for name, creds := range map[string]contract.Credentials{
		"bearer": {APIToken: secretToken},
		"legacy": {Email: secretEmail, APIKey: secretKey},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			files, secrets := recordFromEmulator(t, dir, "emulator-", creds)
			if len(files) != len(contract.Scenarios) {
				t.Errorf("recorded %d cassettes, want %d: %v", len(files), len(contract.Scenarios), files)
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
			if *record && name == "bearer" {
				writeRecorded(t, files)
			}
			if *record && name == "legacy" {
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
