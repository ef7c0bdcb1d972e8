package contract_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/internal/safefile"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

func TestParseCassetteBoundsAliasExpansion(t *testing.T) {
	data := testsupport.AliasCassette(10, 1000) // about 10 KB expanded
	ixs, err := contract.ParseCassette(data, 64<<10)
	if err != nil || len(ixs) != 10 || string(ixs[9].ResponseBody) != string(ixs[0].ResponseBody) || len(ixs[9].ResponseBody) < 1000 {
		t.Fatalf("aliases within the limit: %d interactions, %v", len(ixs), err)
	}
	if int64(len(data)) > 4<<10 {
		t.Fatalf("test cassette is %d bytes; want it under the 4 KiB limit below", len(data))
	}
	_, err = contract.ParseCassette(data, 4<<10)
	if !errors.Is(err, safefile.ErrTooLarge) || !strings.Contains(err.Error(), "aliases expand it to more than 4 KiB") {
		t.Errorf("aliases past the limit: %v", err)
	}
}

func TestParseCassetteHostileYAML(t *testing.T) {
	// A billion laughs: nine levels of ten aliases each.
	var laughs strings.Builder
	laughs.WriteString("a0: &a0 [lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", i-1), 10), ","))
	}
	for name, data := range map[string]string{
		"billion laughs":   laughs.String(),
		"self reference":   "version: 2\ninteractions: &x [*x]\n",
		"not a cassette":   "{{{",
		"wrong version":    "version: 1\ninteractions: []\n",
		"null interaction": "version: 2\ninteractions:\n- null\n",
	} {
		if _, err := contract.ParseCassette([]byte(data), contract.DefaultMaxCassetteSize); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestVerifyBoundsFileSize(t *testing.T) {
	v := newValidator(t)
	file := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(file, testsupport.AliasCassette(1, 3000), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(context.Background(), []string{file}, contract.VerifyOptions{MaxFileSize: 2 << 10})
	if !errors.Is(err, safefile.ErrTooLarge) || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "more than the limit of 2 KiB") {
		t.Errorf("file over the limit: %v", err)
	}
	rep, err := v.Verify(context.Background(), []string{file}, contract.VerifyOptions{MaxFileSize: 4 << 10})
	if err != nil || rep.Interactions != 1 {
		t.Errorf("file within the limit: %v", err)
	}
	if _, err := v.VerifyData(context.Background(), "data.yaml", testsupport.AliasCassette(1, 3000), contract.VerifyOptions{MaxFileSize: 2 << 10}); !errors.Is(err, safefile.ErrTooLarge) {
		t.Errorf("VerifyData over the limit: %v", err)
	}
}

func TestVerifyStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	file := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(file, testsupport.AliasCassette(3, 10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := newValidator(t).Verify(ctx, []string{file}, contract.VerifyOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Verify: %v", err)
	}
}

func TestVerifySecretsOnly(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	// The body breaks the contract, but only secrets are looked for.
	if err := os.WriteFile(file, []byte("version: 2\ninteractions:\n- request: {method: GET, url: '"+base+"', headers: {X-Auth-Key: [live-key-value]}}\n  response: {code: 200, body: 'nope'}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := newValidator(t).Verify(context.Background(), []string{file}, contract.VerifyOptions{SecretsOnly: true})
	if err != nil || len(rep.Failures) != 0 || len(rep.Secrets) != 1 || !strings.Contains(rep.Secrets[0].Where, "X-Auth-Key is not redacted") {
		t.Errorf("secrets only: %+v, %v", rep, err)
	}
}
