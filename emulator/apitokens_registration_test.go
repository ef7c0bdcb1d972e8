package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

// serviceToken is what an r2 instance's jobs need: AI Search Index Engine
// and Workers R2 Storage Write on the test's account.
func serviceToken(name string) generated.APITokenCreate {
	return generated.APITokenCreate{Name: name, Policies: []generated.Policy{
		allow(account, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID),
	}}
}

// The whole workflow through the generated client: create the service
// token, register it, rotate it without ever leaving the registration
// broken, and see the registration check refuse what AI Search would.
func TestRegistrationWorkflow(t *testing.T) {
	t.Parallel()
	e := startEmpty(t)
	c := e.client(t, bearer(token))
	ctx := context.Background()
	mint := func(name string) generated.APITokenWithValue {
		t.Helper()
		r, err := c.CreateUserAPITokenWithResponse(ctx, serviceToken(name))
		if err != nil || r.JSON200 == nil {
			t.Fatalf("create %s: %v %d %s", name, err, r.StatusCode(), r.Body)
		}
		return r.JSON200.Result
	}
	works := func(regID string) {
		t.Helper()
		if err := e.srv.CredentialWorks(account, regID); err != nil {
			t.Errorf("CredentialWorks: %v", err)
		}
	}
	invalid := func(what string, status int, body []byte, field string) {
		t.Helper()
		code, path := errorOf(t, body)
		if status != http.StatusBadRequest || code != emulator.CodeInvalidToken || path != "body."+field ||
			!strings.Contains(string(body), `"message":"ai_search_instance_invalid_token"`) {
			t.Errorf("%s: %d %s, want 400 %d on %s", what, status, body, emulator.CodeInvalidToken, field)
		}
	}

	t1 := mint("svc-1")
	reg, err := c.CreateTokenWithResponse(ctx, account, generated.TokenInput{Name: "svc", CfAPIID: t1.ID, CfAPIKey: t1.Value})
	if err != nil || reg.JSON201 == nil {
		t.Fatalf("register: %v %d %s", err, reg.StatusCode(), reg.Body)
	}
	regID := reg.JSON201.Result.ID
	works(regID)

	// A key that is not the token's value is refused, without echoing it.
	bad, err := c.CreateTokenWithResponse(ctx, account, generated.TokenInput{Name: "bad", CfAPIID: t1.ID, CfAPIKey: "not-the-value-123"})
	must(t, err)
	invalid("register with a wrong key", bad.StatusCode(), bad.Body, "cf_api_key")
	if strings.Contains(string(bad.Body), "not-the-value-123") {
		t.Error("the 400 echoes the key")
	}
	// An id the emulator never issued is refused: only a live token works.
	foreign, err := c.CreateTokenWithResponse(ctx, account, generated.TokenInput{Name: "foreign", CfAPIID: svcID, CfAPIKey: svcKey})
	must(t, err)
	invalid("register an unknown cf_api_id", foreign.StatusCode(), foreign.Body, "cf_api_id")
	// A seeded registration of an unknown id loads (seeds are state), and
	// does not work.
	foreignID := "1b4e28ba-2fa1-41d2-883f-0016d3cca427"
	if err := e.srv.Seed(account, emulator.SeedToken{ID: foreignID, Name: "foreign", CfAPIID: svcID, CfAPIKey: svcKey}); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.CredentialWorks(account, foreignID); !errors.Is(err, emulator.ErrNoSuchAPIToken) {
		t.Errorf("unknown cf_api_id: %v", err)
	}

	// Rolling the value breaks the registration until it is updated.
	roll, err := c.RollUserAPITokenWithResponse(ctx, t1.ID, generated.RollUserAPITokenJSONRequestBody{})
	if err != nil || roll.JSON200 == nil {
		t.Fatalf("roll: %v %d", err, roll.StatusCode())
	}
	if err := e.srv.CredentialWorks(account, regID); !errors.Is(err, emulator.ErrValueRolled) {
		t.Errorf("after the roll: %v", err)
	}
	stale, err := c.UpdateTokenWithResponse(ctx, account, regID, generated.TokenInput{Name: "svc", CfAPIID: t1.ID, CfAPIKey: t1.Value})
	must(t, err)
	invalid("update with the rolled-away value", stale.StatusCode(), stale.Body, "cf_api_key")
	fixed, err := c.UpdateTokenWithResponse(ctx, account, regID, generated.TokenInput{Name: "svc", CfAPIID: t1.ID, CfAPIKey: roll.JSON200.Result})
	if err != nil || fixed.StatusCode() != http.StatusOK {
		t.Fatalf("update with the new value: %v %d %s", err, fixed.StatusCode(), fixed.Body)
	}
	works(regID)

	// Rotation that never breaks it: new token, update, delete the old one.
	t2 := mint("svc-2")
	if r, err := c.UpdateTokenWithResponse(ctx, account, regID, generated.TokenInput{Name: "svc", CfAPIID: t2.ID, CfAPIKey: t2.Value}); err != nil || r.StatusCode() != http.StatusOK {
		t.Fatalf("rotate: %v %d %s", err, r.StatusCode(), r.Body)
	}
	works(regID)
	if r, err := c.DeleteUserAPITokenWithResponse(ctx, t1.ID); err != nil || r.JSON200 == nil {
		t.Fatalf("delete the old token: %v %d", err, r.StatusCode())
	}
	works(regID)
	gone, err := c.CreateTokenWithResponse(ctx, account, generated.TokenInput{Name: "gone", CfAPIID: t1.ID, CfAPIKey: roll.JSON200.Result})
	must(t, err)
	invalid("register a deleted token", gone.StatusCode(), gone.Body, "cf_api_id")

	// A disabled token cannot be registered.
	disabled := mint("svc-3")
	if err := e.srv.DisableAPIToken(disabled.ID); err != nil {
		t.Fatal(err)
	}
	off, err := c.CreateTokenWithResponse(ctx, account, generated.TokenInput{Name: "off", CfAPIID: disabled.ID, CfAPIKey: disabled.Value})
	must(t, err)
	invalid("register a disabled token", off.StatusCode(), off.Body, "cf_api_id")

	// An account's token serves that account only.
	acct, err := c.CreateAccountAPITokenWithResponse(ctx, account, serviceToken("acct"))
	if err != nil || acct.JSON200 == nil {
		t.Fatalf("account create: %v %d", err, acct.StatusCode())
	}
	a := acct.JSON200.Result
	if r, err := c.CreateTokenWithResponse(ctx, account, generated.TokenInput{Name: "own", CfAPIID: a.ID, CfAPIKey: a.Value}); err != nil || r.StatusCode() != http.StatusCreated {
		t.Errorf("register an account token in its account: %v %d %s", err, r.StatusCode(), r.Body)
	}
	elsewhere, err := c.CreateTokenWithResponse(ctx, other, generated.TokenInput{Name: "elsewhere", CfAPIID: a.ID, CfAPIKey: a.Value})
	must(t, err)
	invalid("register an account token in another account", elsewhere.StatusCode(), elsewhere.Body, "cf_api_id")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// CredentialWorks names each way a registration can be broken.
func TestCredentialWorks(t *testing.T) {
	t.Parallel()
	const value = "the-service-token-value"
	clock := newSetClock()
	now := clock.Now()
	cases := []struct {
		name    string
		token   emulator.SeedAPIToken
		owner   string // owner of the token (default: the user)
		regAcct string // account of the registration
		key     string
		after   func(s *emulator.Server, id string) error
		want    error
	}{
		{name: "works", want: nil},
		{name: "works: account token", owner: account, want: nil},
		{name: "disabled", after: func(s *emulator.Server, id string) error { return s.DisableAPIToken(id) }, want: emulator.ErrAPITokenDisabled},
		{name: "expired", after: func(s *emulator.Server, id string) error { return s.ExpireAPIToken(id, now) }, want: emulator.ErrAPITokenExpired},
		{name: "expires later", token: emulator.SeedAPIToken{ExpiresOn: now.Add(time.Minute)}, want: nil},
		{name: "not yet valid", token: emulator.SeedAPIToken{NotBefore: now.Add(time.Minute)}, want: emulator.ErrAPITokenNotYetValid},
		{name: "wrong key", key: "some-other-key", want: emulator.ErrWrongValue},
		{name: "other account", owner: account, regAcct: other, want: emulator.ErrOtherAccount},
		{name: "rolled", after: func(s *emulator.Server, id string) error { return roll(s, id) }, want: emulator.ErrValueRolled},
		{name: "deleted", after: func(s *emulator.Server, id string) error { return deleteAPIToken(s, id) }, want: emulator.ErrAPITokenDeleted},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := start(t, emulator.WithClock(clock.Now))
			s := e.srv
			tok := tc.token
			tok.ID, tok.Name, tok.Value = fmt.Sprintf("%032x", i+1), tc.name, value
			owner := emulator.UserOwner
			if tc.owner != "" {
				owner = tc.owner
			}
			if err := s.SeedAPITokens(owner, tok); err != nil {
				t.Fatal(err)
			}
			regAcct, key := account, value
			if tc.regAcct != "" {
				regAcct = tc.regAcct
			}
			if tc.key != "" {
				key = tc.key
			}
			regID := uuid.NewString()
			if err := s.Seed(regAcct, emulator.SeedToken{ID: regID, Name: "reg", CfAPIID: tok.ID, CfAPIKey: key}); err != nil {
				t.Fatal(err)
			}
			if tc.after != nil {
				if err := tc.after(s, tok.ID); err != nil {
					t.Fatal(err)
				}
			}
			err := s.CredentialWorks(regAcct, regID)
			if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("CredentialWorks = %v, want %v", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), value) {
				t.Errorf("the error quotes the value: %v", err)
			}
		})
	}
	e := start(t)
	if err := e.srv.CredentialWorks(account, uuid.NewString()); !errors.Is(err, emulator.ErrNotFound) {
		t.Errorf("no such registration: %v", err)
	}
}

// roll and deleteAPIToken go through the HTTP API of s, as a client would.
func roll(s *emulator.Server, id string) error {
	return viaHTTP(s, "PUT", "/user/tokens/"+id+"/value", "{}")
}

func deleteAPIToken(s *emulator.Server, id string) error {
	return viaHTTP(s, "DELETE", "/user/tokens/"+id, "")
}

func viaHTTP(s *emulator.Server, method, path, body string) error {
	if rec := serveDirect(s.Handler(), method, emulator.BasePath+path, body); rec.Code != http.StatusOK {
		return fmt.Errorf("%s %s: %d", method, path, rec.Code)
	}
	return nil
}
