package interop_test

// The official SDK's Cloudflare API token services (User.Tokens and
// Accounts.Tokens, with their Value services) against the emulator, and
// what that SDK sees of the service tokens aisearch.Provision and Rotate
// make.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/cloudflare/cloudflare-go/v6/accounts"
	"github.com/cloudflare/cloudflare-go/v6/ai_search"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/shared"
	"github.com/cloudflare/cloudflare-go/v6/user"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// created is what the SDK's New answers, whichever owner.
type created struct {
	ID, Value, Status string
	Policies          []shared.TokenPolicy
}

// sdkTokens is one owner's token services of the SDK, behind one interface
// so that both owners run the same test.
type sdkTokens interface {
	create(ctx context.Context, name string, pols []shared.TokenPolicyParam) (created, error)
	// verify asks, with c's credential, about c's own token.
	verify(ctx context.Context, c *client) (id, status string, err error)
	get(ctx context.Context, id string) (*shared.Token, error)
	list(ctx context.Context, perPage int) ([]shared.Token, error)
	update(ctx context.Context, id string, p shared.TokenParam) (*shared.Token, error)
	roll(ctx context.Context, id string, body any) (string, error)
	delete(ctx context.Context, id string) error
}

type userTokens struct{ c *client }

func (u userTokens) create(ctx context.Context, name string, pols []shared.TokenPolicyParam) (created, error) {
	r, err := u.c.User.Tokens.New(ctx, user.TokenNewParams{Name: str(name), Policies: policies(pols)})
	if err != nil {
		return created{}, err
	}
	return created{r.ID, r.Value, string(r.Status), r.Policies}, nil
}

func (u userTokens) verify(ctx context.Context, c *client) (string, string, error) {
	r, err := c.User.Tokens.Verify(ctx)
	if err != nil {
		return "", "", err
	}
	return r.ID, string(r.Status), nil
}

func (u userTokens) get(ctx context.Context, id string) (*shared.Token, error) {
	return u.c.User.Tokens.Get(ctx, id)
}

func (u userTokens) list(ctx context.Context, perPage int) ([]shared.Token, error) {
	return collect(u.c.User.Tokens.ListAutoPaging(ctx, user.TokenListParams{PerPage: float64F(float64(perPage))}))
}

func (u userTokens) update(ctx context.Context, id string, p shared.TokenParam) (*shared.Token, error) {
	return u.c.User.Tokens.Update(ctx, id, user.TokenUpdateParams{Token: p})
}

func (u userTokens) roll(ctx context.Context, id string, body any) (string, error) {
	v, err := u.c.User.Tokens.Value.Update(ctx, id, user.TokenValueUpdateParams{Body: body})
	if err != nil {
		return "", err
	}
	return *v, nil
}

func (u userTokens) delete(ctx context.Context, id string) error {
	_, err := u.c.User.Tokens.Delete(ctx, id)
	return err
}

type accountTokens struct {
	c   *client
	acc string
}

func (a accountTokens) create(ctx context.Context, name string, pols []shared.TokenPolicyParam) (created, error) {
	r, err := a.c.Accounts.Tokens.New(ctx, accounts.TokenNewParams{AccountID: str(a.acc), Name: str(name), Policies: policies(pols)})
	if err != nil {
		return created{}, err
	}
	return created{r.ID, r.Value, string(r.Status), r.Policies}, nil
}

func (a accountTokens) verify(ctx context.Context, c *client) (string, string, error) {
	r, err := c.Accounts.Tokens.Verify(ctx, accounts.TokenVerifyParams{AccountID: str(a.acc)})
	if err != nil {
		return "", "", err
	}
	return r.ID, string(r.Status), nil
}

func (a accountTokens) get(ctx context.Context, id string) (*shared.Token, error) {
	return a.c.Accounts.Tokens.Get(ctx, id, accounts.TokenGetParams{AccountID: str(a.acc)})
}

func (a accountTokens) list(ctx context.Context, perPage int) ([]shared.Token, error) {
	return collect(a.c.Accounts.Tokens.ListAutoPaging(ctx, accounts.TokenListParams{AccountID: str(a.acc), PerPage: float64F(float64(perPage))}))
}

func (a accountTokens) update(ctx context.Context, id string, p shared.TokenParam) (*shared.Token, error) {
	return a.c.Accounts.Tokens.Update(ctx, id, accounts.TokenUpdateParams{AccountID: str(a.acc), Token: p})
}

func (a accountTokens) roll(ctx context.Context, id string, body any) (string, error) {
	v, err := a.c.Accounts.Tokens.Value.Update(ctx, id, accounts.TokenValueUpdateParams{AccountID: str(a.acc), Body: body})
	if err != nil {
		return "", err
	}
	return *v, nil
}

func (a accountTokens) delete(ctx context.Context, id string) error {
	_, err := a.c.Accounts.Tokens.Delete(ctx, id, accounts.TokenDeleteParams{AccountID: str(a.acc)})
	return err
}

// owners are the SDK's two token services, for a client c.
func owners(c *client, acc string) map[string]sdkTokens {
	return map[string]sdkTokens{"user": userTokens{c}, "account": accountTokens{c, acc}}
}

// servicePolicy is the policy of an AI Search service token, in the SDK's
// types.
func servicePolicy(acc string, groupIDs ...string) []shared.TokenPolicyParam {
	var pgs []shared.TokenPolicyPermissionGroupParam
	for _, g := range groupIDs {
		pgs = append(pgs, shared.TokenPolicyPermissionGroupParam{ID: str(g)})
	}
	return []shared.TokenPolicyParam{{
		Effect:           effect(shared.TokenPolicyEffectAllow),
		PermissionGroups: groups(pgs),
		Resources: resource(shared.TokenPolicyResourcesIAMResourcesTypeObjectStringParam{
			aisearch.AccountResource(acc): "*",
		}),
	}}
}

// sdkFor is an SDK client whose every exchange goes through w.
func sdkFor(ts *emulator.TestServer, w *wire, token string) *client {
	return newClient(option.WithBaseURL(ts.BaseURL), option.WithAPIToken(token),
		option.WithHTTPClient(&http.Client{Transport: w}), option.WithMaxRetries(0))
}

func TestSDKAPITokens(t *testing.T) {
	for _, owner := range []string{"user", "account"} {
		t.Run(owner, func(t *testing.T) {
			ts := emulator.NewTestServer(t)
			s := newWire(t)
			c := sdkFor(ts, s, ts.APIToken)
			tokens := owners(c, ts.AccountID)[owner]
			ctx := context.Background()
			policy := servicePolicy(ts.AccountID, aisearch.PermissionAISearchIndexEngine, aisearch.PermissionWorkersR2StorageWrite)

			// create: 200, the value once, group names filled in.
			svc, err := tokens.create(ctx, "svc", policy)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if len(svc.Value) != 40 || svc.Status != "active" || len(svc.Policies) != 1 || len(svc.Policies[0].PermissionGroups) != 2 ||
				svc.Policies[0].PermissionGroups[0].Name != "AI Search Index Engine" || svc.Policies[0].ID == "" {
				t.Fatalf("create: %+v", svc)
			}
			if x := s.last(); x.status != 200 {
				t.Errorf("create answered %d", x.status)
			}
			if !ts.ValueMatches(svc.ID, svc.Value) {
				t.Fatal("the emulator does not hold the value the SDK got")
			}

			// verify with the new value, as a second SDK client's credential.
			id, status, err := tokens.verify(ctx, sdkFor(ts, s, svc.Value))
			if err != nil || id != svc.ID || status != "active" {
				t.Errorf("verify with the new value: %q %q %v", id, status, err)
			}

			got, err := tokens.get(ctx, svc.ID)
			if err != nil || got.Name != "svc" || got.Status != shared.TokenStatusActive || got.IssuedOn.IsZero() {
				t.Fatalf("get: %+v %v", got, err)
			}
			res, ok := got.Policies[0].Resources.(shared.TokenPolicyResourcesIAMResourcesTypeObjectString)
			if !ok || res[aisearch.AccountResource(ts.AccountID)] != "*" {
				t.Errorf("get: resources %#v", got.Policies[0].Resources)
			}

			// list: the auto-pager over 6 tokens, 5 a page.
			ids := []string{svc.ID}
			for i := range 5 {
				f, err := tokens.create(ctx, fmt.Sprintf("filler-%d", i), servicePolicy(ts.AccountID, aisearch.PermissionAISearchIndexEngine))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, f.ID)
			}
			before := s.count()
			listed, err := tokens.list(ctx, 5)
			var listedIDs []string
			for _, l := range listed {
				listedIDs = append(listedIDs, l.ID)
			}
			// (The emulator orders by issued_on, in whole seconds, then id.)
			slices.Sort(listedIDs)
			slices.Sort(ids)
			if err != nil || !slices.Equal(listedIDs, ids) {
				t.Errorf("list: %v %v, want %v", listedIDs, err, ids)
			}
			var pages []string
			for _, x := range s.since(before) {
				pages = append(pages, fmt.Sprintf("%s → %d", x.query, x.status))
			}
			// Pages 1 and 2, then the empty page 3 that stops the pager: it
			// ignores result_info here too.
			if len(pages) != 3 {
				t.Errorf("the auto-pager made %d requests, want 3: %v", len(pages), pages)
			}

			// update: the SDK sends the fields it is given; the value stays.
			upd, err := tokens.update(ctx, svc.ID, shared.TokenParam{Name: str("svc-renamed"), Policies: policies(policy)})
			if err != nil || upd.Name != "svc-renamed" || upd.Status != shared.TokenStatusActive {
				t.Errorf("update: %+v %v", upd, err)
			}
			if !ts.ValueMatches(svc.ID, svc.Value) {
				t.Error("update changed the value")
			}

			// roll: the SDK's Value service. Its Body is required; {} is what
			// the spec asks for.
			rolled, err := tokens.roll(ctx, svc.ID, map[string]any{})
			x := s.last()
			if err != nil || len(rolled) != 40 || rolled == svc.Value {
				t.Fatalf("roll: %v (%d characters)", err, len(rolled))
			}
			if x.method != http.MethodPut || string(x.body) != "{}" || x.contentType != "application/json" {
				t.Errorf("roll sent %s %s, Content-Type %q, body %q", x.method, x.path, x.contentType, x.body)
			}
			if _, _, err := tokens.verify(ctx, sdkFor(ts, s, svc.Value)); !isStatus(err, http.StatusUnauthorized) {
				t.Errorf("verify with the rolled-away value: %v, want 401", err)
			}
			if id, _, err := tokens.verify(ctx, sdkFor(ts, s, rolled)); err != nil || id != svc.ID {
				t.Errorf("verify with the rolled value: %q %v", id, err)
			}
			// Left nil, Body becomes an empty body sent as application/json:
			// a roll too (the body is optional, Cloudflare's TypeScript SDK
			// sends none), with a new value.
			again, err := tokens.roll(ctx, svc.ID, nil)
			if x := s.last(); !x.hasBody || len(x.body) != 0 || x.contentType != "application/json" {
				t.Errorf("roll with a nil Body sent %q as %q", x.body, x.contentType)
			}
			if err != nil || len(again) != 40 || again == rolled || !ts.ValueMatches(svc.ID, again) {
				t.Fatalf("roll with a nil Body: %v (%d characters)", err, len(again))
			}
			rolled = again

			// delete: the SDK sends no body at all (the spec declares an
			// empty JSON object); the emulator takes it.
			if err := tokens.delete(ctx, svc.ID); err != nil {
				t.Fatalf("delete: %v", err)
			}
			if x := s.last(); x.method != http.MethodDelete || x.hasBody || x.contentType != "" || x.status != 200 {
				t.Errorf("delete sent body %v (%q), Content-Type %q → %d", x.hasBody, x.body, x.contentType, x.status)
			}
			if _, err := tokens.get(ctx, svc.ID); !isStatus(err, http.StatusNotFound) {
				t.Errorf("get after delete: %v, want 404", err)
			}
			if _, _, err := tokens.verify(ctx, sdkFor(ts, s, rolled)); !isStatus(err, http.StatusUnauthorized) {
				t.Errorf("verify with a deleted token's value: %v, want 401", err)
			}
		})
	}
}

func isStatus(err error, status int) bool {
	var apiErr *apiErr
	return errors.As(err, &apiErr) && apiErr.StatusCode == status
}

// What the SDK sees of a service token made by aisearch.Provision: active,
// with the two groups AI Search needs on this account, registered under its
// id; after Rotate, the new token and no longer the old.
func TestSDKSeesProvisionAndRotate(t *testing.T) {
	for _, owner := range []aisearch.Owner{aisearch.OwnerUser, aisearch.OwnerAccount} {
		t.Run(owner.String(), func(t *testing.T) {
			ts := emulator.NewTestServer(t)
			s := newWire(t)
			sdk := sdkFor(ts, s, ts.APIToken)
			tokens := owners(sdk, ts.AccountID)[owner.String()]
			ctx := context.Background()
			c, err := aisearch.New(ts.AccountID, aisearch.WithAPIToken(ts.APIToken), aisearch.WithBaseURL(ts.BaseURL),
				aisearch.WithHTTPClient(&http.Client{Transport: newWire(t)}))
			if err != nil {
				t.Fatal(err)
			}
			opts := aisearch.ServiceTokenOptions{Issuer: c.APITokens(owner)}
			p, err := c.Provision(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			assertServiceToken(t, tokens, ts.AccountID, p.Registration.CfAPIID)
			reg, err := sdk.AISearch.Tokens.Read(ctx, p.Registration.ID, ai_search.TokenReadParams{AccountID: str(ts.AccountID)})
			if err != nil || reg.CfAPIID != p.Registration.CfAPIID || reg.Name != aisearch.DefaultServiceTokenName {
				t.Errorf("the SDK reads the registration as %+v, %v", reg, err)
			}

			r, err := c.Rotate(ctx, p.Registration.ID, opts)
			if err != nil || !r.OldDeleted {
				t.Fatalf("rotate: %+v %v", r, err)
			}
			assertServiceToken(t, tokens, ts.AccountID, r.APIToken.ID)
			if _, err := tokens.get(ctx, p.Registration.CfAPIID); !isStatus(err, http.StatusNotFound) {
				t.Errorf("the SDK still gets the old token: %v", err)
			}
			listed, err := tokens.list(ctx, 50)
			if err != nil || len(listed) != 1 || listed[0].ID != r.APIToken.ID {
				t.Errorf("the SDK lists %+v, %v; want only %s", listed, err, r.APIToken.ID)
			}
			reg, err = sdk.AISearch.Tokens.Read(ctx, p.Registration.ID, ai_search.TokenReadParams{AccountID: str(ts.AccountID)})
			if err != nil || reg.ID != p.Registration.ID || reg.CfAPIID != r.APIToken.ID {
				t.Errorf("after rotate the SDK reads the registration as %+v, %v", reg, err)
			}
			if err := ts.CredentialWorks(ts.AccountID, p.Registration.ID); err != nil {
				t.Errorf("after rotate: %v", err)
			}
		})
	}
}

// assertServiceToken checks, through the SDK, that id is an active token
// granting exactly the two AI Search groups on account acc.
func assertServiceToken(t *testing.T, tokens sdkTokens, acc, id string) {
	t.Helper()
	tok, err := tokens.get(context.Background(), id)
	if err != nil {
		t.Fatalf("the SDK cannot get token %s: %v", id, err)
	}
	if tok.Status != shared.TokenStatusActive || len(tok.Policies) != 1 || tok.Policies[0].Effect != shared.TokenPolicyEffectAllow {
		t.Fatalf("token %s as the SDK sees it: %+v", id, tok)
	}
	var groups []string
	for _, g := range tok.Policies[0].PermissionGroups {
		groups = append(groups, g.ID+" "+g.Name)
	}
	slices.Sort(groups)
	want := []string{aisearch.PermissionAISearchIndexEngine + " AI Search Index Engine", aisearch.PermissionWorkersR2StorageWrite + " Workers R2 Storage Write"}
	if !slices.Equal(groups, want) {
		t.Errorf("token %s grants %v, want %v", id, groups, want)
	}
	res, ok := tok.Policies[0].Resources.(shared.TokenPolicyResourcesIAMResourcesTypeObjectString)
	if !ok || len(res) != 1 || res[aisearch.AccountResource(acc)] != "*" {
		t.Errorf("token %s resources %#v, want {%s: *}", id, tok.Policies[0].Resources, aisearch.AccountResource(acc))
	}
}
