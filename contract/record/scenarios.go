package record

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// allScenarios is the scripted lifecycle Record runs, one cassette each, in
// this order, those whose needs the options meet; Scenarios lists their
// names. Every step states the status it expects, so a recording is also a
// check that the server behaves as the contract says.
var allScenarios = []scenario{
	{"lifecycle", nil, (*session).lifecycle},
	{"pagination", nil, (*session).pagination},
	{"invalid-input", nil, (*session).invalidInput},
	{"no-credentials", nil, (*session).noCredentials},
	{"forbidden", nil, (*session).forbidden},
	{"in-use", func(o Options) bool { return o.MarkInUse != nil }, (*session).inUse},
	{"rate-limited", rateLimits, (*session).rateLimited},
	{"instances", nil, (*session).instances},
	{"instances-not-found", nil, (*session).instancesNotFound},
	{"instances-refused", nil, (*session).instancesRefused},
	{"instances-invalid-input", nil, (*session).instancesInvalidInput},
	{"instances-no-credentials", nil, (*session).instancesNoCredentials},
	{"instances-forbidden", nil, (*session).instancesForbidden},
	{"instances-rate-limited", rateLimits, (*session).instancesRateLimited},
	{"instances-limits", func(o Options) bool { return o.Limits != nil }, (*session).instancesLimits},
	{"api-tokens-user", hasAPIToken, func(r *session, ctx context.Context, c *generated.ClientWithResponses) error {
		return r.apiTokenLifecycle(ctx, userTokens(c))
	}},
	{"api-tokens-account", hasAPIToken, func(r *session, ctx context.Context, c *generated.ClientWithResponses) error {
		return r.apiTokenLifecycle(ctx, r.tokens(c, "account"))
	}},
	{"api-tokens-invalid-input", hasAPIToken, (*session).apiTokenInvalidInput},
	{"api-tokens-no-credentials", hasAPIToken, (*session).apiTokenNoCredentials},
	{"api-tokens-rate-limited", func(o Options) bool { return hasAPIToken(o) && rateLimits(o) }, (*session).apiTokenRateLimited},
}

func rateLimits(o Options) bool  { return o.RateLimit != nil }
func hasAPIToken(o Options) bool { return o.Credentials.APIToken != "" }

// runnable reports whether opts give sc what it needs.
func (sc scenario) runnable(opts Options) bool { return sc.needs == nil || sc.needs(opts) }

func (r *session) input(name string) generated.TokenInput {
	return generated.TokenInput{Name: name, CfAPIID: r.opts.ServiceTokenID, CfAPIKey: r.opts.ServiceTokenKey}
}

func (r *session) create(ctx context.Context, c *generated.ClientWithResponses, name string) (string, error) {
	resp, err := c.CreateTokenWithResponse(ctx, r.opts.AccountID, r.input(name), r.opts.Credentials.Apply)
	if err := expect("create "+name, 201, resp, err); err != nil {
		return "", err
	}
	if resp.JSON201 == nil {
		return "", fmt.Errorf("create %s: 201 without a JSON token envelope", name)
	}
	id := resp.JSON201.Result.ID
	r.created = append(r.created, id)
	return id, nil
}

func (r *session) delete(ctx context.Context, c *generated.ClientWithResponses, id string) error {
	resp, err := c.DeleteTokenWithResponse(ctx, r.opts.AccountID, id, r.opts.Credentials.Apply)
	if err := expect("delete", 200, resp, err); err != nil {
		return err
	}
	r.forget(id)
	return nil
}

// lifecycle: an empty search, create, get, list, search, update, delete, then the 404s.
func (r *session) lifecycle(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth := r.opts.AccountID, r.opts.Credentials.Apply
	name := r.prefix + "-lifecycle"
	none, err := c.ListTokensWithResponse(ctx, acct, &generated.ListTokensParams{Search: &name}, auth)
	if err := expect("search before create", 200, none, err); err != nil {
		return err
	}
	id, err := r.create(ctx, c, name)
	if err != nil {
		return err
	}
	get, err := c.GetTokenWithResponse(ctx, acct, id, auth)
	if err := expect("get", 200, get, err); err != nil {
		return err
	}
	list, err := c.ListTokensWithResponse(ctx, acct, nil, auth)
	if err := expect("list", 200, list, err); err != nil {
		return err
	}
	search := strings.ToUpper(name) // the filter is case-insensitive
	found, err := c.ListTokensWithResponse(ctx, acct, &generated.ListTokensParams{Search: &search}, auth)
	if err := expect("search", 200, found, err); err != nil {
		return err
	}
	upd, err := c.UpdateTokenWithResponse(ctx, acct, id, r.input(name+"-renamed"), auth)
	if err := expect("update", 200, upd, err); err != nil {
		return err
	}
	if err := r.delete(ctx, c, id); err != nil {
		return err
	}
	get, err = c.GetTokenWithResponse(ctx, acct, id, auth)
	if err := expect("get deleted", 404, get, err); err != nil {
		return err
	}
	upd, err = c.UpdateTokenWithResponse(ctx, acct, id, r.input(name), auth)
	if err := expect("update deleted", 404, upd, err); err != nil {
		return err
	}
	del, err := c.DeleteTokenWithResponse(ctx, acct, id, auth)
	return expect("delete deleted", 404, del, err)
}

// pagination: three tokens listed two per page: a full page, the last page,
// and an empty page past the end.
func (r *session) pagination(ctx context.Context, c *generated.ClientWithResponses) error {
	var ids []string
	for _, suffix := range []string{"a", "b", "c"} {
		id, err := r.create(ctx, c, r.prefix+"-page-"+suffix)
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	search, perPage := r.prefix+"-page-", 2
	for page := 1; page <= 3; page++ {
		p := page
		resp, err := c.ListTokensWithResponse(ctx, r.opts.AccountID, &generated.ListTokensParams{Page: &p, PerPage: &perPage, Search: &search}, r.opts.Credentials.Apply)
		if err := expect(fmt.Sprintf("list page %d", page), 200, resp, err); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if err := r.delete(ctx, c, id); err != nil {
			return err
		}
	}
	return nil
}

// invalidInput: requests the spec rejects, each answered 400 with the path.
func (r *session) invalidInput(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth := r.opts.AccountID, r.opts.Credentials.Apply
	tooMany, zero := 101, 0
	list, err := c.ListTokensWithResponse(ctx, acct, &generated.ListTokensParams{PerPage: &tooMany}, auth)
	if err := expect("list per_page=101", 400, list, err); err != nil {
		return err
	}
	list, err = c.ListTokensWithResponse(ctx, acct, &generated.ListTokensParams{Page: &zero}, auth)
	if err := expect("list page=0", 400, list, err); err != nil {
		return err
	}
	get, err := c.GetTokenWithResponse(ctx, acct, "not-a-uuid", auth)
	if err := expect("get bad id", 400, get, err); err != nil {
		return err
	}
	del, err := c.DeleteTokenWithResponse(ctx, acct, "not-a-uuid", auth)
	if err := expect("delete bad id", 400, del, err); err != nil {
		return err
	}
	missingKey := `{"name":"` + r.prefix + `-invalid","cf_api_id":"` + r.opts.ServiceTokenID + `"}`
	create, err := c.CreateTokenWithBodyWithResponse(ctx, acct, "application/json", strings.NewReader(missingKey), auth)
	if err := expect("create without cf_api_key", 400, create, err); err != nil {
		return err
	}
	upd, err := c.UpdateTokenWithResponse(ctx, acct, "not-a-uuid", r.input(r.prefix+"-invalid"), auth)
	return expect("update bad id", 400, upd, err)
}

// unknownRegistrationID is a well-formed registration id that no account
// holds.
const unknownRegistrationID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"

// registrationOps are the five registration requests, each well formed, on
// registration id (which need not exist), creating and renaming to name;
// want is the status each must get.
func (r *session) registrationOps(c *generated.ClientWithResponses, id, name string, want int) []step {
	acct := r.opts.AccountID
	return []step{
		{"list", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListTokensWithResponse(ctx, acct, nil, eds...))
		}},
		{"create", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.CreateTokenWithResponse(ctx, acct, r.input(name), eds...))
		}},
		{"get", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetTokenWithResponse(ctx, acct, id, eds...))
		}},
		{"update", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.UpdateTokenWithResponse(ctx, acct, id, r.input(name), eds...))
		}},
		{"delete", want, func(ctx context.Context, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.DeleteTokenWithResponse(ctx, acct, id, eds...))
		}},
	}
}

// malformedAuth sends an Authorization header that is no bearer token.
func malformedAuth(_ context.Context, req *http.Request) error {
	req.Header.Set("Authorization", "Basic "+randomHex(8))
	return nil
}

// noCredentials: every operation without a credential gets 400, code
// 9106; with a malformed Authorization header 400, code 6003; with a
// credential the server does not know 401, code 10000.
func (r *session) noCredentials(ctx context.Context, c *generated.ClientWithResponses) error {
	list, err := c.ListTokensWithResponse(ctx, r.opts.AccountID, nil, malformedAuth)
	if err := expect("list with a malformed Authorization header", 400, list, err); err != nil {
		return err
	}
	ops := func(want int, how string) []step {
		return withSuffix(r.registrationOps(c, unknownRegistrationID, r.prefix+"-anonymous", want), how)
	}
	if err := run(ctx, ops(400, "without credentials")); err != nil {
		return err
	}
	return run(ctx, ops(401, "with a refused token"), Credentials{APIToken: "refused-" + randomHex(8)}.Apply)
}

// forbidden: the service token works (verify answers 200) but holds no
// permission to manage AI Search registrations or API tokens: every other
// operation gets 403, code 9109.
func (r *session) forbidden(ctx context.Context, c *generated.ClientWithResponses) error {
	svc := asBearer(r.opts.ServiceTokenKey)
	if err := run(ctx, []step{{"verify the service token", 200, userTokens(c).verify}}, svc); err != nil {
		return err
	}
	if err := run(ctx, r.registrationOps(c, unknownRegistrationID, r.prefix+"-forbidden", 403), svc); err != nil {
		return err
	}
	for _, api := range []tokenAPI{userTokens(c), r.tokens(c, "account")} {
		ops := slices.DeleteFunc(r.operations(api, unknownAPITokenID, 403), func(s step) bool { return s.name == "verify" })
		if err := run(ctx, withSuffix(ops, "of "+api.owner+" API tokens"), svc); err != nil {
			return err
		}
	}
	return nil
}

// inUse: a token used by an instance cannot be deleted (409).
func (r *session) inUse(ctx context.Context, c *generated.ClientWithResponses) error {
	id, err := r.create(ctx, c, r.prefix+"-in-use")
	if err != nil {
		return err
	}
	if err := r.opts.MarkInUse(id); err != nil {
		return fmt.Errorf("mark in use: %w", err)
	}
	r.forget(id) // cannot be deleted any more
	del, err := c.DeleteTokenWithResponse(ctx, r.opts.AccountID, id, r.opts.Credentials.Apply)
	return expect("delete in use", 409, del, err)
}

// rateLimited: every operation answered 429 with Retry-After.
func (r *session) rateLimited(ctx context.Context, c *generated.ClientWithResponses) error {
	return run(ctx, r.registrationOps(c, unknownRegistrationID, r.prefix+"-limited", 429), r.opts.Credentials.Apply, r.opts.RateLimit)
}
