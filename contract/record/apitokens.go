package record

import (
	"context"
	"fmt"
	"net/http"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/cfauth"
	"github.com/go-aisearch/tokens/internal/permgroups"
)

// The scenarios of the Cloudflare API token operations. Both owners, the
// user and an account, take the same requests below their own path prefix:
// tokenAPI binds one owner's operations of the generated client, so that
// each scenario is written once for both.

// tokenAPI is one owner's API token operations on a generated client. Each
// returns the answer's status; create also the new token's id.
type tokenAPI struct {
	owner  string // "user" or "account"
	list   func(ctx context.Context, page, perPage *int, eds ...generated.RequestEditorFn) (int, error)
	create func(ctx context.Context, body generated.APITokenCreate, eds ...generated.RequestEditorFn) (int, string, error)
	get    func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error)
	update func(ctx context.Context, id string, body generated.APITokenUpdate, eds ...generated.RequestEditorFn) (int, error)
	delete func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error)
	roll   func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error)
	verify func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error)
	groups func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error)
}

// status turns a generated client's answer into its status.
func status[R statusCoder](resp R, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return resp.StatusCode(), nil
}

// created is the status and the new token's id of a create's answer.
func created(resp statusCoder, env *generated.APITokenCreateEnvelope, err error) (int, string, error) {
	if err != nil {
		return 0, "", err
	}
	id := ""
	if env != nil {
		id = env.Result.ID
	}
	return resp.StatusCode(), id, nil
}

// userTokens are the user's API token operations on c.
func userTokens(c *generated.ClientWithResponses) tokenAPI {
	return tokenAPI{
		owner: "user",
		list: func(ctx context.Context, page, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListUserAPITokensWithResponse(ctx, &generated.ListUserAPITokensParams{Page: page, PerPage: perPage}, eds...))
		},
		create: func(ctx context.Context, body generated.APITokenCreate, eds ...generated.RequestEditorFn) (int, string, error) {
			resp, err := c.CreateUserAPITokenWithResponse(ctx, body, eds...)
			if err != nil {
				return created(nil, nil, err)
			}
			return created(resp, resp.JSON200, nil)
		},
		get: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetUserAPITokenWithResponse(ctx, id, eds...))
		},
		update: func(ctx context.Context, id string, body generated.APITokenUpdate, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.UpdateUserAPITokenWithResponse(ctx, id, body, eds...))
		},
		delete: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.DeleteUserAPITokenWithResponse(ctx, id, eds...))
		},
		roll: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.RollUserAPITokenWithResponse(ctx, id, generated.APITokenRoll{}, eds...))
		},
		verify: func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.VerifyUserAPITokenWithResponse(ctx, eds...))
		},
		groups: func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListUserPermissionGroupsWithResponse(ctx, nil, eds...))
		},
	}
}

// accountTokens are account's API token operations on c.
func accountTokens(c *generated.ClientWithResponses, account string) tokenAPI {
	return tokenAPI{
		owner: "account",
		list: func(ctx context.Context, page, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListAccountAPITokensWithResponse(ctx, account, &generated.ListAccountAPITokensParams{Page: page, PerPage: perPage}, eds...))
		},
		create: func(ctx context.Context, body generated.APITokenCreate, eds ...generated.RequestEditorFn) (int, string, error) {
			resp, err := c.CreateAccountAPITokenWithResponse(ctx, account, body, eds...)
			if err != nil {
				return created(nil, nil, err)
			}
			return created(resp, resp.JSON200, nil)
		},
		get: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetAccountAPITokenWithResponse(ctx, account, id, eds...))
		},
		update: func(ctx context.Context, id string, body generated.APITokenUpdate, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.UpdateAccountAPITokenWithResponse(ctx, account, id, body, eds...))
		},
		delete: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.DeleteAccountAPITokenWithResponse(ctx, account, id, eds...))
		},
		roll: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.RollAccountAPITokenWithResponse(ctx, account, id, generated.APITokenRoll{}, eds...))
		},
		verify: func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.VerifyAccountAPITokenWithResponse(ctx, account, eds...))
		},
		groups: func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListAccountPermissionGroupsWithResponse(ctx, account, nil, eds...))
		},
	}
}

// tokens returns owner's operations on c.
func (r *session) tokens(c *generated.ClientWithResponses, owner string) tokenAPI {
	if owner == "user" {
		return userTokens(c)
	}
	return accountTokens(c, r.opts.AccountID)
}

// Made-up identifiers the failure scenarios name: Cloudflare's documented
// example token id (no caller owns it) and an account id of the wrong length.
const (
	unknownAPITokenID = "ed17574386854bf78a67040be0a770b0"
	malformedAccount  = "not-an-account-id"
)

// aiSearchPolicies grant what an AI Search service token needs on the
// account (see docs/instances.md): the "AI Search Index Engine" group, or
// groupID instead.
func (r *session) aiSearchPolicies(groupID string) []generated.Policy {
	return []generated.Policy{{
		Effect:           "allow",
		PermissionGroups: []generated.PolicyPermissionGroup{{ID: groupID}},
		Resources:        generated.APITokenResources{"com.cloudflare.api.account." + r.opts.AccountID: "*"},
	}}
}

func (r *session) createBody(name string) generated.APITokenCreate {
	return generated.APITokenCreate{Name: name, Policies: r.aiSearchPolicies(permgroups.AISearchIndexEngine)}
}

// asBearer authenticates a request with value alone.
func asBearer(value string) generated.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		cfauth.Credentials{Token: value}.Set(req.Header)
		return nil
	}
}

// step is one request of a scenario and the status it must get, sent
// with the request editors run gives it: the same requests go out with
// different credentials (operations).
type step struct {
	name string
	want int
	do   func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error)
}

// run sends each step with eds (none: without credentials), as calls does.
func run(ctx context.Context, steps []step, eds ...generated.RequestEditorFn) error {
	all := make([]call, len(steps))
	for i, s := range steps {
		all[i] = call{s.name, s.want, func() (int, error) { return s.do(ctx, eds...) }}
	}
	return calls(all...)
}

// createAPIToken creates a token with api and returns its id and value
// (the real one: the recorded answer holds the placeholder).
func (r *session) createAPIToken(ctx context.Context, api tokenAPI, name string) (id, value string, err error) {
	got, id, err := api.create(ctx, r.createBody(name), r.opts.Credentials.Apply)
	if err := expectStatus("create "+name, 200, got, err); err != nil {
		return "", "", err
	}
	if id == "" {
		return "", "", fmt.Errorf("create %s: 200 without a token id", name)
	}
	r.createdAPI = append(r.createdAPI, apiTokenRef{api.owner, id})
	value = r.lastIssued()
	if value == "" {
		return "", "", fmt.Errorf("create %s: 200 without a token value", name)
	}
	return id, value, nil
}

func (r *session) forgetAPIToken(id string) {
	for i, t := range r.createdAPI {
		if t.id == id {
			r.createdAPI = append(r.createdAPI[:i], r.createdAPI[i+1:]...)
			return
		}
	}
}

// apiTokenLifecycle: create a token, verify it with its own value, get it,
// list two pages (five more tokens), update it, roll its value, verify the
// new value and refuse the old one, delete it, get it (404), and read the
// permission group catalogue.
func (r *session) apiTokenLifecycle(ctx context.Context, api tokenAPI) error {
	auth := r.opts.Credentials.Apply
	name := r.prefix + "-svc"
	id, value, err := r.createAPIToken(ctx, api, name)
	if err != nil {
		return err
	}
	err = run(ctx, []step{{"verify with the new value", 200, api.verify}}, asBearer(value))
	if err == nil {
		err = run(ctx, []step{{"get", 200, bindID(api.get, id)}}, auth)
	}
	if err != nil {
		return err
	}
	for _, suffix := range []string{"a", "b", "c", "d", "e"} {
		if _, _, err := r.createAPIToken(ctx, api, r.prefix+"-page-"+suffix); err != nil {
			return err
		}
	}
	update := generated.APITokenUpdate{Name: name + "-renamed", Policies: r.aiSearchPolicies(permgroups.AISearchIndexEngine)}
	one, two, five := 1, 2, 5
	err = run(ctx, []step{
		{"list page 1", 200, bindPage(api.list, &one, &five)},
		{"list page 2", 200, bindPage(api.list, &two, &five)},
		{"update", 200, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return api.update(ctx, id, update, eds...)
		}},
		{"roll", 200, bindID(api.roll, id)}}, auth)
	if err != nil {
		return err
	}
	rolled := r.lastIssued()
	if rolled == value || rolled == "" {
		return fmt.Errorf("roll: 200 without a new value")
	}
	err = run(ctx, []step{{"verify with the rolled value", 200, api.verify}}, asBearer(rolled))
	if err == nil {
		err = run(ctx, []step{{"verify with the value before the roll", 401, api.verify}}, asBearer(value))
	}
	if err == nil {
		err = run(ctx, []step{{"delete", 200, bindID(api.delete, id)}}, auth)
	}
	if err != nil {
		return err
	}
	r.forgetAPIToken(id)
	return run(ctx, []step{
		{"get deleted", 404, bindID(api.get, id)},
		{"permission groups", 200, api.groups}}, auth)
}

func bindID(op func(context.Context, string, ...generated.RequestEditorFn) (int, error), id string) func(context.Context, ...generated.RequestEditorFn) (int, error) {
	return func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) { return op(ctx, id, eds...) }
}

func bindPage(list func(context.Context, *int, *int, ...generated.RequestEditorFn) (int, error), page, perPage *int) func(context.Context, ...generated.RequestEditorFn) (int, error) {
	return func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
		return list(ctx, page, perPage, eds...)
	}
}

// operations are the eight API token requests of api, each well formed,
// on a token id that need not exist; want is the status each must get.
func (r *session) operations(api tokenAPI, id string, want int) []step {
	body := r.createBody(r.prefix + "-svc")
	return []step{
		{"list", want, bindPage(api.list, nil, nil)},
		{"create", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			got, _, err := api.create(ctx, body, eds...)
			return got, err
		}},
		{"get", want, bindID(api.get, id)},
		{"update", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return api.update(ctx, id, generated.APITokenUpdate{Name: body.Name, Policies: body.Policies}, eds...)
		}},
		{"delete", want, bindID(api.delete, id)},
		{"roll", want, bindID(api.roll, id)},
		{"verify", want, api.verify},
		{"permission groups", want, api.groups},
	}
}

// withSuffix names each step of steps "<name> <suffix>".
func withSuffix(steps []step, suffix string) []step {
	for i := range steps {
		steps[i].name += " " + suffix
	}
	return steps
}

// apiTokenInvalidInput: for each owner, what the server refuses with a 4xx
// other than 403 and 429: an unknown permission group (400), a per_page
// over 50 (400), an unknown token id (404); and an account id of the wrong
// length (400) on the account's list, verify and permission groups. (The
// user's verify and permission groups take no input to get wrong: their
// 4XX fixtures are written by hand.)
func (r *session) apiTokenInvalidInput(ctx context.Context, c *generated.ClientWithResponses) error {
	auth := r.opts.Credentials.Apply
	hundred := 100
	for _, api := range []tokenAPI{userTokens(c), r.tokens(c, "account")} {
		unknownGroup := r.createBody(r.prefix + "-invalid")
		unknownGroup.Policies = r.aiSearchPolicies("00000000000000000000000000000000")
		err := run(ctx, []step{
			{"create with an unknown permission group", 400, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
				got, _, err := api.create(ctx, unknownGroup, eds...)
				return got, err
			}},
			{"list per_page=100", 400, bindPage(api.list, nil, &hundred)}}, auth)
		if err != nil {
			return err
		}
		unknown := r.operations(api, unknownAPITokenID, 404)[2:6] // get, update, delete, roll
		if err := run(ctx, withSuffix(unknown, "an unknown token"), auth); err != nil {
			return err
		}
	}
	bad := accountTokens(c, malformedAccount)
	return run(ctx, []step{
		{"list with a malformed account id", 400, bindPage(bad.list, nil, nil)},
		{"verify with a malformed account id", 400, bad.verify},
		{"permission groups with a malformed account id", 400, bad.groups}}, auth)
}

// apiTokenNoCredentials: every operation of both owners without
// credentials gets 400, code 9106; the legacy X-Auth-Email and X-Auth-Key
// pair, which these operations do not take, 400, code 1001 (made-up
// values); a token the server does not know 401, code 1000.
func (r *session) apiTokenNoCredentials(ctx context.Context, c *generated.ClientWithResponses) error {
	for _, api := range []tokenAPI{userTokens(c), r.tokens(c, "account")} {
		if err := run(ctx, withSuffix(r.operations(api, unknownAPITokenID, 400), "without credentials")); err != nil {
			return err
		}
	}
	legacy := Credentials{Email: "recorder@example.com", APIKey: "refused-" + randomHex(8)}.Apply
	if err := run(ctx, []step{{"list with X-Auth-Email and X-Auth-Key", 400, bindPage(userTokens(c).list, nil, nil)}}, legacy); err != nil {
		return err
	}
	return run(ctx, []step{{"list with a refused token", 401, bindPage(userTokens(c).list, nil, nil)}}, asBearer("refused-"+randomHex(8)))
}

// apiTokenRateLimited: every operation of both owners answered 429 with
// Retry-After.
func (r *session) apiTokenRateLimited(ctx context.Context, c *generated.ClientWithResponses) error {
	for _, api := range []tokenAPI{userTokens(c), r.tokens(c, "account")} {
		if err := run(ctx, withSuffix(r.operations(api, unknownAPITokenID, 429), "rate limited"), r.opts.Credentials.Apply, r.opts.RateLimit); err != nil {
			return err
		}
	}
	return nil
}
