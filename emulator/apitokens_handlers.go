package emulator

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The Cloudflare API token operations, user- and account-owned. Each pair
// of generated methods (at the end of this file) calls one owner-aware
// handler; owner is UserOwner for /user/tokens and the account id for
// /accounts/{id}/tokens.

var errAPITokenNotFound = apiError{status: http.StatusNotFound, code: CodeNotFound, message: "API token not found", path: []string{"path", "token_id"}}

// apiTokenError is the answer to a failed API token transaction.
func apiTokenError(err error) error {
	if errors.Is(err, ErrNotFound) {
		return errAPITokenNotFound
	}
	return err
}

type apiTokenListParams struct {
	page, perPage  *int
	desc           bool
	includeExpired bool
}

func listParams[D ~string](page, perPage *int, direction *D, includeExpired *bool) apiTokenListParams {
	return apiTokenListParams{
		page: page, perPage: perPage,
		desc:           direction != nil && *direction == "desc",
		includeExpired: includeExpired != nil && *includeExpired,
	}
}

func (h *handlers) listAPITokens(owner string, p apiTokenListParams) generated.APITokenListEnvelope {
	now := h.now()
	var all []apiTokenRecord
	h.store.view(func(tx *tx) { all = h.store.apiTokensOf(tx, owner) })
	if !p.includeExpired {
		all = slices.DeleteFunc(all, func(r apiTokenRecord) bool { return r.status(now) == generated.Expired })
	}
	if p.desc {
		slices.Reverse(all)
	}
	page, info := paginate(apiTokenPages, p.page, p.perPage, slices.Values(all))
	result := make([]generated.APIToken, 0, len(page))
	for _, r := range page {
		result = append(result, r.api(now))
	}
	return generated.APITokenListEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: result, ResultInfo: info}
}

func (h *handlers) createAPIToken(owner string, body *generated.APITokenCreate) (generated.APITokenCreateEnvelope, error) {
	if body == nil {
		return generated.APITokenCreateEnvelope{}, errNoBody
	}
	minted := h.now()
	now := apiTime(minted)
	value := randomValue()
	cond, errs := normalizeCondition(body.Condition)
	r := apiTokenRecord{
		Owner: owner, Name: body.Name, Status: generated.Active,
		ValueSHA256: hashKey(value), ValueSince: minted, IssuedOn: now, ModifiedOn: now,
		ExpiresOn: utc(body.ExpiresOn), NotBefore: utc(body.NotBefore), Condition: cond,
	}
	err := h.store.update(func(tx *tx) (err error) {
		r, errs, err = h.store.createAPIToken(tx, r, body.Policies, errs)
		return err
	})
	switch {
	case len(errs) > 0:
		return generated.APITokenCreateEnvelope{}, validationFailure(errs)
	case err != nil:
		return generated.APITokenCreateEnvelope{}, err
	}
	return generated.APITokenCreateEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: r.withValue(h.now(), value)}, nil
}

func (h *handlers) getAPIToken(owner, id string) (generated.APITokenEnvelope, error) {
	var r apiTokenRecord
	var err error
	h.store.view(func(tx *tx) { r, err = h.store.ownedAPIToken(tx, owner, id) })
	return tokenEnvelope(r, h.now()), apiTokenError(err)
}

// updateAPIToken replaces name, policies, condition and validity window;
// status when given (active or disabled), kept when not. The value stays.
func (h *handlers) updateAPIToken(owner, id string, body *generated.APITokenUpdate) (generated.APITokenEnvelope, error) {
	if body == nil {
		return generated.APITokenEnvelope{}, errNoBody
	}
	var errs []generated.ValidationError
	if st := body.Status; st != nil && *st != generated.Active && *st != generated.Disabled {
		errs = append(errs, validationError([]string{"body", "status"}, "must be active or disabled (expired is set by the server)"))
	}
	cond, cerrs := normalizeCondition(body.Condition)
	errs = append(errs, cerrs...)
	now := apiTime(h.now())
	var r apiTokenRecord
	err := h.store.update(func(tx *tx) error {
		cur, err := h.store.ownedAPIToken(tx, owner, id)
		if err != nil {
			return err
		}
		policies, perrs := h.store.resolvePolicies(tx, body.Policies, cur.Policies)
		if errs = append(errs, perrs...); len(errs) > 0 {
			return validationFailure(errs)
		}
		r = cur
		r.Name, r.Policies, r.Condition = body.Name, policies, cond
		r.ExpiresOn, r.NotBefore = utc(body.ExpiresOn), utc(body.NotBefore)
		if body.Status != nil {
			r.Status = *body.Status
		}
		r.ModifiedOn = later(now, r.IssuedOn)
		h.store.replaceAPIToken(tx, cur, r)
		return nil
	})
	return tokenEnvelope(r, h.now()), apiTokenError(err)
}

// rollAPIToken gives the token a new value; the old one is revoked at once.
// It takes no body, an empty one or {} (Cloudflare's TypeScript SDK sends
// none): the body says nothing.
func (h *handlers) rollAPIToken(owner, id string) (generated.APITokenValueEnvelope, error) {
	value := randomValue()
	minted := h.now()
	now := apiTime(minted)
	err := h.store.update(func(tx *tx) error {
		cur, err := h.store.ownedAPIToken(tx, owner, id)
		if err != nil {
			return err
		}
		next := cur
		next.ValueSHA256, next.ValueSince, next.ModifiedOn = hashKey(value), minted, later(now, cur.IssuedOn)
		h.store.replaceAPIToken(tx, cur, next)
		return nil
	})
	return generated.APITokenValueEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: value}, apiTokenError(err)
}

func (h *handlers) deleteAPIToken(owner, id string) (generated.APITokenDeleteEnvelope, error) {
	err := h.store.update(func(tx *tx) error { return h.store.deleteAPIToken(tx, owner, id) })
	env := generated.APITokenDeleteEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}}
	env.Result = &struct {
		ID string `json:"id"`
	}{ID: id}
	return env, apiTokenError(err)
}

// verifyAPIToken answers for the request's own bearer token: an issued
// token on its owner's path; a configured credential on the user's path.
// Any other token is "Invalid API Token" (401, code 1000), as Cloudflare
// answers an account-owned token at /user/tokens/verify.
func (h *handlers) verifyAPIToken(ctx context.Context, owner string) (generated.APITokenVerifyEnvelope, error) {
	c, ok := callerFrom(ctx)
	if !ok || !c.bearer || (c.issued && c.token.Owner != owner) || (!c.issued && owner != UserOwner) {
		return generated.APITokenVerifyEnvelope{}, errInvalidAPIToken
	}
	env := generated.APITokenVerifyEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{validTokenMessage}}
	env.Result.ID, env.Result.Status = c.tokenID, generated.Active
	if c.issued {
		env.Result.ExpiresOn, env.Result.NotBefore = c.token.ExpiresOn, c.token.NotBefore
	}
	return env, nil
}

func (h *handlers) listPermissionGroups(name, scope *string) generated.PermissionGroupListEnvelope {
	var n, sc string
	if name != nil {
		n = *name
	}
	if scope != nil {
		sc = *scope
	}
	var groups []PermissionGroup
	h.store.view(func(tx *tx) { groups = h.store.permissionGroups(tx) })
	result := []generated.PermissionGroup{}
	for _, g := range groups {
		if g.matches(n, sc) {
			result = append(result, g.api())
		}
	}
	return generated.PermissionGroupListEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: result}
}

// validTokenMessage is the message of a successful verify, as Cloudflare
// sends it.
var validTokenMessage = generated.Message{Code: 10000, Message: "This API Token is valid and active"}

// normalizeCondition reads a condition sent in older clients' spelling,
// `request.ip` (cloudflare-go v0, Terraform provider v4), as `request_ip`,
// so the restriction is kept, never dropped; a condition with both is
// refused. The result is also checked (checkCondition).
func normalizeCondition(c *generated.APITokenCondition) (*generated.APITokenCondition, []generated.ValidationError) {
	if c == nil || c.RequestIPLegacy == nil {
		return c, checkCondition(c)
	}
	if c.RequestIP != nil {
		return c, []generated.ValidationError{validationError([]string{"body", "condition", "request.ip"},
			"request.ip (the older spelling) and request_ip both given; send request_ip only")}
	}
	out := &generated.APITokenCondition{RequestIP: &generated.RequestIPCondition{In: c.RequestIPLegacy.In, NotIn: c.RequestIPLegacy.NotIn}}
	return out, checkCondition(out)
}

// checkCondition refuses a request_ip range the emulator could not
// enforce (not a CIDR or an address).
func checkCondition(c *generated.APITokenCondition) []generated.ValidationError {
	if c == nil || c.RequestIP == nil {
		return nil
	}
	var errs []generated.ValidationError
	check := func(name string, list *generated.CIDRList) {
		if list == nil {
			return
		}
		for i, cidr := range *list {
			if _, err := parseRange(cidr); err != nil {
				errs = append(errs, validationError([]string{"body", "condition", "request_ip", name, strconv.Itoa(i)}, "not an IPv4 or IPv6 CIDR"))
			}
		}
	}
	check("in", c.RequestIP.In)
	check("not_in", c.RequestIP.NotIn)
	return errs
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// later is t, or floor when t is before it (a seeded issued_on or
// created_at may lie in the future of the clock).
func later(t, floor time.Time) time.Time {
	if t.Before(floor) {
		return floor
	}
	return t
}

func tokenEnvelope(r apiTokenRecord, now time.Time) generated.APITokenEnvelope {
	return generated.APITokenEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: r.api(now)}
}

// api is the token as get, list and update show it: never its value.
func (r apiTokenRecord) api(now time.Time) generated.APIToken {
	return generated.APIToken{
		ID: r.ID, Name: r.Name, Status: r.status(now), IssuedOn: r.IssuedOn, ModifiedOn: r.ModifiedOn, LastUsedOn: r.LastUsedOn,
		ExpiresOn: r.ExpiresOn, NotBefore: r.NotBefore, Condition: r.Condition, Policies: nonNil(r.Policies),
	}
}

// withValue is the token as create shows it, its value this once.
func (r apiTokenRecord) withValue(now time.Time, value string) generated.APITokenWithValue {
	a := r.api(now)
	return generated.APITokenWithValue{
		ID: a.ID, Name: a.Name, Status: a.Status, IssuedOn: a.IssuedOn, ModifiedOn: a.ModifiedOn, LastUsedOn: a.LastUsedOn,
		ExpiresOn: a.ExpiresOn, NotBefore: a.NotBefore, Condition: a.Condition, Policies: a.Policies, Value: value,
	}
}

// The generated strict-server methods: one line each.

func (h *handlers) ListUserAPITokens(_ context.Context, req generated.ListUserAPITokensRequestObject) (generated.ListUserAPITokensResponseObject, error) {
	p := req.Params
	return generated.ListUserAPITokens200JSONResponse(h.listAPITokens(UserOwner, listParams(p.Page, p.PerPage, p.Direction, p.IncludeExpired))), nil
}

func (h *handlers) ListAccountAPITokens(_ context.Context, req generated.ListAccountAPITokensRequestObject) (generated.ListAccountAPITokensResponseObject, error) {
	p := req.Params
	return generated.ListAccountAPITokens200JSONResponse(h.listAPITokens(req.AccountID, listParams(p.Page, p.PerPage, p.Direction, p.IncludeExpired))), nil
}

func (h *handlers) CreateUserAPIToken(_ context.Context, req generated.CreateUserAPITokenRequestObject) (generated.CreateUserAPITokenResponseObject, error) {
	env, err := h.createAPIToken(UserOwner, req.Body)
	return respond[generated.CreateUserAPITokenResponseObject](generated.CreateUserAPIToken200JSONResponse(env), err)
}

func (h *handlers) CreateAccountAPIToken(_ context.Context, req generated.CreateAccountAPITokenRequestObject) (generated.CreateAccountAPITokenResponseObject, error) {
	env, err := h.createAPIToken(req.AccountID, req.Body)
	return respond[generated.CreateAccountAPITokenResponseObject](generated.CreateAccountAPIToken200JSONResponse(env), err)
}

func (h *handlers) GetUserAPIToken(_ context.Context, req generated.GetUserAPITokenRequestObject) (generated.GetUserAPITokenResponseObject, error) {
	env, err := h.getAPIToken(UserOwner, req.TokenID)
	return respond[generated.GetUserAPITokenResponseObject](generated.GetUserAPIToken200JSONResponse(env), err)
}

func (h *handlers) GetAccountAPIToken(_ context.Context, req generated.GetAccountAPITokenRequestObject) (generated.GetAccountAPITokenResponseObject, error) {
	env, err := h.getAPIToken(req.AccountID, req.TokenID)
	return respond[generated.GetAccountAPITokenResponseObject](generated.GetAccountAPIToken200JSONResponse(env), err)
}

func (h *handlers) UpdateUserAPIToken(_ context.Context, req generated.UpdateUserAPITokenRequestObject) (generated.UpdateUserAPITokenResponseObject, error) {
	env, err := h.updateAPIToken(UserOwner, req.TokenID, req.Body)
	return respond[generated.UpdateUserAPITokenResponseObject](generated.UpdateUserAPIToken200JSONResponse(env), err)
}

func (h *handlers) UpdateAccountAPIToken(_ context.Context, req generated.UpdateAccountAPITokenRequestObject) (generated.UpdateAccountAPITokenResponseObject, error) {
	env, err := h.updateAPIToken(req.AccountID, req.TokenID, req.Body)
	return respond[generated.UpdateAccountAPITokenResponseObject](generated.UpdateAccountAPIToken200JSONResponse(env), err)
}

func (h *handlers) RollUserAPIToken(_ context.Context, req generated.RollUserAPITokenRequestObject) (generated.RollUserAPITokenResponseObject, error) {
	env, err := h.rollAPIToken(UserOwner, req.TokenID)
	return respond[generated.RollUserAPITokenResponseObject](generated.RollUserAPIToken200JSONResponse(env), err)
}

func (h *handlers) RollAccountAPIToken(_ context.Context, req generated.RollAccountAPITokenRequestObject) (generated.RollAccountAPITokenResponseObject, error) {
	env, err := h.rollAPIToken(req.AccountID, req.TokenID)
	return respond[generated.RollAccountAPITokenResponseObject](generated.RollAccountAPIToken200JSONResponse(env), err)
}

func (h *handlers) DeleteUserAPIToken(_ context.Context, req generated.DeleteUserAPITokenRequestObject) (generated.DeleteUserAPITokenResponseObject, error) {
	env, err := h.deleteAPIToken(UserOwner, req.TokenID)
	return respond[generated.DeleteUserAPITokenResponseObject](generated.DeleteUserAPIToken200JSONResponse(env), err)
}

func (h *handlers) DeleteAccountAPIToken(_ context.Context, req generated.DeleteAccountAPITokenRequestObject) (generated.DeleteAccountAPITokenResponseObject, error) {
	env, err := h.deleteAPIToken(req.AccountID, req.TokenID)
	return respond[generated.DeleteAccountAPITokenResponseObject](generated.DeleteAccountAPIToken200JSONResponse(env), err)
}

func (h *handlers) VerifyUserAPIToken(ctx context.Context, _ generated.VerifyUserAPITokenRequestObject) (generated.VerifyUserAPITokenResponseObject, error) {
	env, err := h.verifyAPIToken(ctx, UserOwner)
	return respond[generated.VerifyUserAPITokenResponseObject](generated.VerifyUserAPIToken200JSONResponse(env), err)
}

func (h *handlers) VerifyAccountAPIToken(ctx context.Context, req generated.VerifyAccountAPITokenRequestObject) (generated.VerifyAccountAPITokenResponseObject, error) {
	env, err := h.verifyAPIToken(ctx, req.AccountID)
	return respond[generated.VerifyAccountAPITokenResponseObject](generated.VerifyAccountAPIToken200JSONResponse(env), err)
}

func (h *handlers) ListUserPermissionGroups(_ context.Context, req generated.ListUserPermissionGroupsRequestObject) (generated.ListUserPermissionGroupsResponseObject, error) {
	return generated.ListUserPermissionGroups200JSONResponse(h.listPermissionGroups(req.Params.Name, req.Params.Scope)), nil
}

func (h *handlers) ListAccountPermissionGroups(_ context.Context, req generated.ListAccountPermissionGroupsRequestObject) (generated.ListAccountPermissionGroupsResponseObject, error) {
	return generated.ListAccountPermissionGroups200JSONResponse(h.listPermissionGroups(req.Params.Name, req.Params.Scope)), nil
}
