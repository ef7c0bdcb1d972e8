package cli_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/cmd/aisearch-tokens/internal/cli"
	"github.com/go-aisearch/tokens/emulator"
)

// The acceptance test of the service-token workflow: the aisearch-tokens
// binary against `aisearch-tokens serve` in another process, as a deploy
// script and a cron job would run it. Counts are taken through the API;
// every output, the state file and the emulator's log are searched for
// every secret that crossed the wire.
func TestWorkflowAgainstServe(t *testing.T) {
	t.Parallel() // slow and self-contained: overlaps the others
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	const issuerID = "1f2e3d4c5b6a1f2e3d4c5b6a1f2e3d4c"
	issuerValue := "issuer-WORKFLOW-" + fmt.Sprint(time.Now().UnixNano())
	// The "Token Creator" token of Cloudflare's guide, seeded with its
	// permission group on the emulator's user (the emulator enforces it).
	seed := writeFile(t, dir, "seed.json", `{
  "permission_groups": [{"id": "686d18d5ac6c441c867cbf6771e58a0a", "name": "API Tokens Write", "category": "account_and_billing", "scopes": ["com.cloudflare.api.user"]}],
  "user": {"api_tokens": [{"id": "`+issuerID+`", "name": "Token Creator", "value": "`+issuerValue+`",
    "policies": [{"effect": "allow", "permission_groups": [{"id": "686d18d5ac6c441c867cbf6771e58a0a"}], "resources": {"com.cloudflare.api.user.`+emulator.UserID+`": "*"}}]}]}
}`)
	issuerFile := writeFile(t, dir, "issuer-token", issuerValue+"\n")
	state := filepath.Join(dir, "state.log")
	srv := startServe(t, "--state", state, "--seed", seed)
	proxy := newWireProxy(t, srv.url)

	ctx := context.Background()
	api, err := aisearch.New(emulator.DefaultAccountID, aisearch.WithAPIToken(serveToken), aisearch.WithBaseURL(srv.url))
	if err != nil {
		t.Fatal(err)
	}
	count := func() (userTokens, registrations int) {
		t.Helper()
		for _, err := range api.APITokens(aisearch.OwnerUser).All(ctx, aisearch.APITokenListOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			userTokens++
		}
		for _, err := range api.Registrations.All(ctx, aisearch.RegistrationListOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			registrations++
		}
		return userTokens, registrations
	}

	outputs := map[string]string{}
	runCLI := func(code int, args ...string) result {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		cmd := program(t, map[string]string{"HOME": dir, "CLOUDFLARE_API_BASE_URL": proxy.URL, "CLOUDFLARE_ACCOUNT_ID": emulator.DefaultAccountID, "CLOUDFLARE_API_TOKEN": serveToken}, args...)
		stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
		defer stop()
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("%v: %v", args, err)
		}
		r := result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
		outputs[fmt.Sprintf("%v stdout", args)] += r.out
		outputs[fmt.Sprintf("%v stderr", args)] += r.err
		if r.code != code {
			t.Fatalf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, code, r.out, r.err)
		}
		return r
	}

	users0, regs0 := count()
	if users0 != 1 || regs0 != 0 {
		t.Fatalf("seeded: %d user tokens, %d registrations", users0, regs0)
	}
	runCLI(cli.ExitNotFound, "check")

	// provision, with the token-creating credential apart.
	p := decodeJSON[provisionOut](t, runCLI(cli.ExitOK, "provision", "--json", "--issuer-token-file", issuerFile))
	if !p.Created || p.TokenID == "" || p.CfAPIID == "" || p.CfAPIID == issuerID {
		t.Fatalf("provision: %+v", p)
	}
	users1, regs1 := count()
	if users1 != users0+1 || regs1 != 1 {
		t.Errorf("after provision: %d user tokens, %d registrations; want %d, 1", users1, regs1, users0+1)
	}
	reg, err := api.Registrations.Get(ctx, p.TokenID)
	if err != nil || reg.CfAPIID != p.CfAPIID || reg.Name != aisearch.DefaultServiceTokenName {
		t.Errorf("the registration: %+v, %v", reg, err)
	}

	// A second run, with the main credential for everything, creates nothing.
	again := decodeJSON[provisionOut](t, runCLI(cli.ExitOK, "provision", "--json"))
	if again.Created || again.TokenID != p.TokenID || again.CfAPIID != p.CfAPIID {
		t.Errorf("second provision: %+v, want %+v not created", again, p)
	}
	if users, regs := count(); users != users1 || regs != regs1 {
		t.Errorf("the second provision created something: %d user tokens, %d registrations; want %d, %d", users, regs, users1, regs1)
	}

	runCLI(cli.ExitOK, "check")

	// Someone deletes the Cloudflare token behind the registration.
	if err := api.APITokens(aisearch.OwnerUser).Delete(ctx, p.CfAPIID); err != nil {
		t.Fatal(err)
	}
	r := runCLI(cli.ExitUnhealthy, "check")
	if !strings.Contains(r.out, "gone: ") || !strings.Contains(r.out, "repair: aisearch-tokens rotate "+p.TokenID) {
		t.Errorf("check after the delete:\n%s", r.out)
	}
	got := decodeJSON[checkOut](t, runCLI(cli.ExitUnhealthy, "check", "--json"))
	if len(got) != 1 || got[0].TokenID != p.TokenID || got[0].Healthy || len(got[0].Problems) != 1 || got[0].Problems[0].Kind != "gone" {
		t.Errorf("check --json after the delete: %+v", got)
	}

	// rotate repairs it: same token_id, a new Cloudflare token.
	rot := decodeJSON[rotateOut](t, runCLI(cli.ExitOK, "rotate", p.TokenID, "--json", "--issuer-token-file", issuerFile))
	if rot.TokenID != p.TokenID || rot.OldCfAPIID != p.CfAPIID || rot.CfAPIID == p.CfAPIID || rot.CfAPIID == "" || rot.OldDeleted {
		t.Errorf("rotate: %+v", rot)
	}
	runCLI(cli.ExitOK, "check")
	if users, regs := count(); users != users1 || regs != 1 {
		t.Errorf("after rotate: %d user tokens, %d registrations; want %d, 1", users, regs, users1)
	}
	// The value the registration was last given is the new token's, alive.
	if v, err := api.APITokens(aisearch.OwnerUser).VerifyValue(ctx, aisearch.Secret(proxy.LastKey())); err != nil || v.ID != rot.CfAPIID || v.Status != aisearch.StatusActive {
		t.Errorf("the registered value verifies as %+v, %v; want token %s active", v, err, rot.CfAPIID)
	}

	// Stop the emulator, then search everything for every secret.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-srv.copied:
	case <-time.After(10 * time.Second):
		t.Fatal("serve still running 10s after SIGTERM")
	}
	srv.cmd.Wait()
	stateFile, err := os.ReadFile(state)
	if err != nil || len(stateFile) == 0 {
		t.Fatalf("state file: %v (%d bytes)", err, len(stateFile))
	}
	outputs["serve stdout"], outputs["serve stderr (its log)"], outputs["state file"] = srv.out.String(), srv.errs.String(), string(stateFile)
	if !strings.Contains(srv.errs.String(), "msg=request") {
		t.Errorf("the emulator logged no request:\n%s", srv.errs.String())
	}
	// The wire carried the main credential, the issuer's, and the values of
	// the two service tokens (provision's and rotate's): the scan is not
	// vacuous.
	secrets := proxy.Secrets()
	if len(secrets) != 4 || !slices.Contains(secrets, serveToken) || !slices.Contains(secrets, issuerValue) {
		t.Errorf("%d secrets seen on the wire, want 4 with both credentials", len(secrets))
	}
	assertNoneOf(t, append(secrets, serveToken, issuerValue), outputs)
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
