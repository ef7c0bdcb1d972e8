package emulator

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The Cloudflare API token operations, user- and account-owned. Each pair
// of generated methods calls one owner-aware implementation below; owner is
// UserOwner for /user/tokens and the account id for /accounts/{id}/tokens.

// Defaults and bounds of the API token list, from openapi.yaml (applied
// here too, so the handlers behave the same with validation off).
const (
	apiTokenDefaultPerPage = 20
	apiTokenMinPerPage     = 5
	apiTokenMaxPerPage     = 50
)

var (
	errAPITokenNotFound = apiError{status: http.StatusNotFound, code: CodeNotFound, message: "API token not found", path: []string{"path", "token_id"}}
	errNotThisToken     = apiError{status: http.StatusForbidden, code: CodeAuth, message: "Authentication error"}
)

type apiTokenListParams struct {
	page, perPage  *int
	direction      *string
	includeExpired *bool
}

func (h *handlers) listAPITokens(owner string, p apiTokenListParams) generated.APITokenListEnvelope {
	pageNo, perPage := 1, apiTokenDefaultPerPage
	if p.page != nil && *p.page >= 1 {
		pageNo = *p.page
	}
	if p.perPage != nil {
		perPage = min(max(*p.perPage, apiTokenMinPerPage), apiTokenMaxPerPage)
	}
	now := h.now()
	all := h.store.listAPITokens(owner)
	if p.includeExpired == nil || !*p.includeExpired {
		all = slices.DeleteFunc(all, func(r apiTokenRecord) bool { return r.status(now) == generated.Expired })
	}
	if p.direction != nil && *p.direction == "desc" {
		slices.Reverse(all)
	}
	skip := min(offset(pageNo, perPage), len(all))
	pg := all[skip:min(skip+perPage, len(all))]
	result := make([]generated.APIToken, 0, len(pg))
	for _, r := range pg {
		result = append(result, r.api(now))
	}
	return generated.APITokenListEnvelope{
		Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: result,
		ResultInfo: generated.ResultInfo{Page: pageNo, PerPage: perPage, Count: len(result), TotalCount: len(all)},
	}
}

func (h *handlers) createAPIToken(owner string, body *generated.APITokenCreate) (generated.APITokenCreateEnvelope, *apiError, error) {
	if body == nil {
		return generated.APITokenCreateEnvelope{}, &errNoBody, nil
	}
	now := apiTime(h.now())
	value := randomValue()
	r, errs, err := h.store.createAPIToken(apiTokenRecord{
		Account: owner, Name: body.Name, Status: generated.Active,
		ValueSHA256: hashKey(value), IssuedOn: now, ModifiedOn: now,
		ExpiresOn: utc(body.ExpiresOn), NotBefore: utc(body.NotBefore), Condition: body.Condition,
	}, body.Policies, checkCondition(body.Condition))
	switch {
	case len(errs) > 0:
		aerr := validationFailure(errs)
		return generated.APITokenCreateEnvelope{}, &aerr, nil
	case err != nil:
		return generated.APITokenCreateEnvelope{}, nil, err
	}
	return generated.APITokenCreateEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: r.withValue(h.now(), value)}, nil, nil
}

func (h *handlers) getAPIToken(owner, id string) (generated.APITokenEnvelope, *apiError) {
	r, err := h.store.getAPIToken(owner, id)
	if err != nil {
		return generated.APITokenEnvelope{}, &errAPITokenNotFound
	}
	return tokenEnvelope(r, h.now()), nil
}

// updateAPIToken replaces name, policies, condition and validity window;
// status when given (active or disabled), kept when not. The value stays.
func (h *handlers) updateAPIToken(owner, id string, body *generated.APITokenUpdate) (generated.APITokenEnvelope, *apiError, error) {
	if body == nil {
		return generated.APITokenEnvelope{}, &errNoBody, nil
	}
	var errs []generated.ValidationError
	if st := body.Status; st != nil && *st != generated.Active && *st != generated.Disabled {
		errs = append(errs, validationError([]string{"body", "status"}, "must be active or disabled (expired is set by the server)"))
	}
	errs = append(errs, checkCondition(body.Condition)...)
	now := apiTime(h.now())
	r, err := h.store.updateAPIToken(owner, id, func(r *apiTokenRecord) error {
		policies, perrs := h.store.resolvePolicies(body.Policies, r.Policies)
		if errs = append(errs, perrs...); len(errs) > 0 {
			return errInvalidBody
		}
		r.Name, r.Policies, r.Condition = body.Name, policies, body.Condition
		r.ExpiresOn, r.NotBefore = utc(body.ExpiresOn), utc(body.NotBefore)
		if body.Status != nil {
			r.Status = *body.Status
		}
		r.ModifiedOn = later(now, r.IssuedOn)
		return nil
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return generated.APITokenEnvelope{}, &errAPITokenNotFound, nil
	case errors.Is(err, errInvalidBody):
		aerr := validationFailure(errs)
		return generated.APITokenEnvelope{}, &aerr, nil
	case err != nil:
		return generated.APITokenEnvelope{}, nil, err
	}
	return tokenEnvelope(r, h.now()), nil, nil
}

// errInvalidBody aborts a store update whose body failed the checks.
var errInvalidBody = errors.New("invalid body")

// rollAPIToken gives the token a new value; the old one is revoked at once.
func (h *handlers) rollAPIToken(owner, id string) (generated.APITokenValueEnvelope, *apiError, error) {
	value := randomValue()
	now := apiTime(h.now())
	_, err := h.store.updateAPIToken(owner, id, func(r *apiTokenRecord) error {
		r.ValueSHA256 = hashKey(value)
		r.ModifiedOn = later(now, r.IssuedOn)
		return nil
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return generated.APITokenValueEnvelope{}, &errAPITokenNotFound, nil
	case err != nil:
		return generated.APITokenValueEnvelope{}, nil, err
	}
	return generated.APITokenValueEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: value}, nil, nil
}

func (h *handlers) deleteAPIToken(owner, id string) (generated.APITokenDeleteEnvelope, *apiError, error) {
	err := h.store.deleteAPIToken(owner, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return generated.APITokenDeleteEnvelope{}, &errAPITokenNotFound, nil
	case err != nil:
		return generated.APITokenDeleteEnvelope{}, nil, err
	}
	env := generated.APITokenDeleteEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}}
	env.Result = &struct {
		ID string `json:"id"`
	}{ID: id}
	return env, nil, nil
}

// verifyAPIToken answers for the request's own bearer token: an issued
// token on its owner's path; a configured credential on the user's path.
func (h *handlers) verifyAPIToken(ctx context.Context, owner string) (generated.APITokenVerifyEnvelope, *apiError) {
	c, ok := callerFrom(ctx)
	if !ok || !c.bearer || (c.issued && c.token.Account != owner) || (!c.issued && owner != UserOwner) {
		return generated.APITokenVerifyEnvelope{}, &errNotThisToken
	}
	env := generated.APITokenVerifyEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}}
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
	result := []generated.PermissionGroup{}
	for _, g := range h.store.permissionGroups() {
		if g.matches(n, sc) {
			result = append(result, g.api())
		}
	}
	return generated.PermissionGroupListEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: result}
}

// resolvePolicies checks policies against the catalogue and fills in what
// the server sets: each policy's id (kept when it names one of current, the
// token's policies before an update) and each permission group's name.
// Every unknown group is an error naming its path. Called with mu held.
func (s *store) resolvePolicies(in, current []generated.Policy) ([]generated.Policy, []generated.ValidationError) {
	st := s.apiTokens
	out := make([]generated.Policy, 0, len(in))
	var errs []generated.ValidationError
	for i, p := range in {
		at := []string{"body", "policies", strconv.Itoa(i)}
		if !p.Effect.Valid() {
			errs = append(errs, validationError(append(slices.Clone(at), "effect"), "must be allow or deny"))
		}
		if !slices.ContainsFunc(current, func(c generated.Policy) bool { return p.ID != "" && c.ID == p.ID }) {
			p.ID = st.newID()
		}
		groups := make([]generated.PolicyPermissionGroup, 0, len(p.PermissionGroups))
		for j, pg := range p.PermissionGroups {
			g, ok := st.group(pg.ID)
			if !ok {
				errs = append(errs, validationError(append(slices.Clone(at), "permission_groups", strconv.Itoa(j), "id"), "unknown permission group"))
				continue
			}
			pg.Name = &g.Name
			groups = append(groups, pg)
		}
		p.PermissionGroups = groups
		if p.Resources == nil {
			p.Resources = generated.APITokenResources{}
		}
		out = append(out, p)
	}
	return out, errs
}

// group finds a catalogue entry; a seeded one overrides a built-in one.
func (st *apiTokenState) group(id string) (PermissionGroup, bool) {
	if g, ok := st.seeded[id]; ok {
		return g, true
	}
	g, ok := st.builtin[id]
	return g, ok
}

// permissionGroups is the catalogue, by name then id.
func (s *store) permissionGroups() []PermissionGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.apiTokens
	var out []PermissionGroup
	for id, g := range st.builtin {
		if _, over := st.seeded[id]; !over {
			out = append(out, g.clone())
		}
	}
	for _, g := range st.seeded {
		out = append(out, g.clone())
	}
	slices.SortFunc(out, func(a, b PermissionGroup) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
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

// later is t, or floor when t is before it (a seeded issued_on may lie in
// the future of the clock).
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
		ID: r.ID, Name: r.Name, Status: r.status(now), IssuedOn: r.IssuedOn, ModifiedOn: r.ModifiedOn,
		ExpiresOn: r.ExpiresOn, NotBefore: r.NotBefore, Condition: r.Condition, Policies: nonNil(r.Policies),
	}
}

// withValue is the token as create shows it, its value this once.
func (r apiTokenRecord) withValue(now time.Time, value string) generated.APITokenWithValue {
	a := r.api(now)
	return generated.APITokenWithValue{
		ID: a.ID, Name: a.Name, Status: a.Status, IssuedOn: a.IssuedOn, ModifiedOn: a.ModifiedOn,
		ExpiresOn: a.ExpiresOn, NotBefore: a.NotBefore, Condition: a.Condition, Policies: a.Policies, Value: value,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// The generated strict-server methods: convert, call, convert.

func userListParams(p generated.ListUserAPITokensParams) apiTokenListParams {
	return apiTokenListParams{page: p.Page, perPage: p.PerPage, direction: (*string)(p.Direction), includeExpired: p.IncludeExpired}
}

func accountListParams(p generated.ListAccountAPITokensParams) apiTokenListParams {
	return apiTokenListParams{page: p.Page, perPage: p.PerPage, direction: (*string)(p.Direction), includeExpired: p.IncludeExpired}
}

func (h *handlers) ListUserAPITokens(_ context.Context, req generated.ListUserAPITokensRequestObject) (generated.ListUserAPITokensResponseObject, error) {
	return generated.ListUserAPITokens200JSONResponse(h.listAPITokens(UserOwner, userListParams(req.Params))), nil
}

func (h *handlers) ListAccountAPITokens(_ context.Context, req generated.ListAccountAPITokensRequestObject) (generated.ListAccountAPITokensResponseObject, error) {
	return generated.ListAccountAPITokens200JSONResponse(h.listAPITokens(req.AccountID, accountListParams(req.Params))), nil
}

func (h *handlers) CreateUserAPIToken(_ context.Context, req generated.CreateUserAPITokenRequestObject) (generated.CreateUserAPITokenResponseObject, error) {
	env, aerr, err := h.createAPIToken(UserOwner, req.Body)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.CreateUserAPIToken200JSONResponse(env), nil
}

func (h *handlers) CreateAccountAPIToken(_ context.Context, req generated.CreateAccountAPITokenRequestObject) (generated.CreateAccountAPITokenResponseObject, error) {
	env, aerr, err := h.createAPIToken(req.AccountID, req.Body)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.CreateAccountAPIToken200JSONResponse(env), nil
}

func (h *handlers) GetUserAPIToken(_ context.Context, req generated.GetUserAPITokenRequestObject) (generated.GetUserAPITokenResponseObject, error) {
	env, aerr := h.getAPIToken(UserOwner, req.TokenID)
	if aerr != nil {
		return *aerr, nil
	}
	return generated.GetUserAPIToken200JSONResponse(env), nil
}

func (h *handlers) GetAccountAPIToken(_ context.Context, req generated.GetAccountAPITokenRequestObject) (generated.GetAccountAPITokenResponseObject, error) {
	env, aerr := h.getAPIToken(req.AccountID, req.TokenID)
	if aerr != nil {
		return *aerr, nil
	}
	return generated.GetAccountAPIToken200JSONResponse(env), nil
}

func (h *handlers) UpdateUserAPIToken(_ context.Context, req generated.UpdateUserAPITokenRequestObject) (generated.UpdateUserAPITokenResponseObject, error) {
	env, aerr, err := h.updateAPIToken(UserOwner, req.TokenID, req.Body)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.UpdateUserAPIToken200JSONResponse(env), nil
}

func (h *handlers) UpdateAccountAPIToken(_ context.Context, req generated.UpdateAccountAPITokenRequestObject) (generated.UpdateAccountAPITokenResponseObject, error) {
	env, aerr, err := h.updateAPIToken(req.AccountID, req.TokenID, req.Body)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.UpdateAccountAPIToken200JSONResponse(env), nil
}

func (h *handlers) RollUserAPIToken(_ context.Context, req generated.RollUserAPITokenRequestObject) (generated.RollUserAPITokenResponseObject, error) {
	env, aerr, err := h.rollAPIToken(UserOwner, req.TokenID)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.RollUserAPIToken200JSONResponse(env), nil
}

func (h *handlers) RollAccountAPIToken(_ context.Context, req generated.RollAccountAPITokenRequestObject) (generated.RollAccountAPITokenResponseObject, error) {
	env, aerr, err := h.rollAPIToken(req.AccountID, req.TokenID)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.RollAccountAPIToken200JSONResponse(env), nil
}

func (h *handlers) DeleteUserAPIToken(_ context.Context, req generated.DeleteUserAPITokenRequestObject) (generated.DeleteUserAPITokenResponseObject, error) {
	env, aerr, err := h.deleteAPIToken(UserOwner, req.TokenID)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.DeleteUserAPIToken200JSONResponse(env), nil
}

func (h *handlers) DeleteAccountAPIToken(_ context.Context, req generated.DeleteAccountAPITokenRequestObject) (generated.DeleteAccountAPITokenResponseObject, error) {
	env, aerr, err := h.deleteAPIToken(req.AccountID, req.TokenID)
	if aerr != nil || err != nil {
		return failed(aerr), err
	}
	return generated.DeleteAccountAPIToken200JSONResponse(env), nil
}

func (h *handlers) VerifyUserAPIToken(ctx context.Context, _ generated.VerifyUserAPITokenRequestObject) (generated.VerifyUserAPITokenResponseObject, error) {
	env, aerr := h.verifyAPIToken(ctx, UserOwner)
	if aerr != nil {
		return *aerr, nil
	}
	return generated.VerifyUserAPIToken200JSONResponse(env), nil
}

func (h *handlers) VerifyAccountAPIToken(ctx context.Context, req generated.VerifyAccountAPITokenRequestObject) (generated.VerifyAccountAPITokenResponseObject, error) {
	env, aerr := h.verifyAPIToken(ctx, req.AccountID)
	if aerr != nil {
		return *aerr, nil
	}
	return generated.VerifyAccountAPIToken200JSONResponse(env), nil
}

func (h *handlers) ListUserPermissionGroups(_ context.Context, req generated.ListUserPermissionGroupsRequestObject) (generated.ListUserPermissionGroupsResponseObject, error) {
	return generated.ListUserPermissionGroups200JSONResponse(h.listPermissionGroups(req.Params.Name, req.Params.Scope)), nil
}

func (h *handlers) ListAccountPermissionGroups(_ context.Context, req generated.ListAccountPermissionGroupsRequestObject) (generated.ListAccountPermissionGroupsResponseObject, error) {
	return generated.ListAccountPermissionGroups200JSONResponse(h.listPermissionGroups(req.Params.Name, req.Params.Scope)), nil
}

// failed is the response of a failed call: the apiError, or nothing when
// the store failed (the error then goes to the strict server's 500).
func failed(aerr *apiError) apiError {
	if aerr == nil {
		return apiError{}
	}
	return *aerr
}
