package aisearch

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// APITokens calls Cloudflare's API token operations for one owner, with the
// client's credential: the user's tokens (/user/tokens) or the client's
// account's (/accounts/{account_id}/tokens). Creating a token needs a
// credential allowed to (a token with "API Tokens Write", or for account
// tokens "Account API Tokens Write"); reading needs "… Read".
//
// These are the tokens AI Search's service credential is made of. To give AI
// Search one, prefer [Client.Provision], [Client.Rotate] and [Client.Check],
// which keep the registration and the token in step.
type APITokens struct {
	c     *Client
	owner Owner
}

// APITokens returns the Cloudflare API tokens of owner (OwnerUser or
// OwnerAccount; any other value fails every call), reached with this
// client's credential. Use another Client (another credential) for the
// tokens when the one managing AI Search may not create tokens.
func (c *Client) APITokens(owner Owner) *APITokens { return &APITokens{c: c, owner: owner} }

// Owner is whose tokens t calls.
func (t *APITokens) Owner() Owner { return t.owner }

// Client is the client t calls through.
func (t *APITokens) Client() *Client { return t.c }

func (t *APITokens) account() bool { return t.owner == OwnerAccount }

// do is Client.do for an owner's tokens: an owner that is neither
// OwnerUser nor OwnerAccount (a zero Owner, say) fails every call.
func (t *APITokens) do(ctx context.Context, into any, send call, extra ...Secret) (op, error) {
	if !t.owner.valid() {
		return op{"request", "(not built)"}, fmt.Errorf("aisearch: APITokens: owner %q: want OwnerUser or OwnerAccount", t.owner)
	}
	return t.c.do(ctx, into, send, extra...)
}

// Create makes a token and returns it with its secret value, which the API
// shows this once: keep it (register it with AI Search) or delete the token.
// Create is not retried once the request may have reached the server.
func (t *APITokens) Create(ctx context.Context, p APITokenParams) (CreatedAPIToken, error) {
	if err := p.check(false); err != nil {
		return CreatedAPIToken{}, err
	}
	body := p.createBody()
	var env generated.APITokenCreateEnvelope
	o, err := t.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.CreateAccountAPIToken(ctx, t.c.accountID, body, rec)
		}
		return t.c.gen.CreateUserAPIToken(ctx, body, rec)
	})
	if err != nil {
		return CreatedAPIToken{}, err
	}
	if env.Result.ID == "" || env.Result.Value == "" {
		return CreatedAPIToken{}, o.errorf("%w: result has no id or no value", ErrMalformedResponse)
	}
	return withValue(env.Result, t.owner), nil
}

// Get returns the token with this id; errors.Is(err, ErrNotFound) when the
// owner has none.
func (t *APITokens) Get(ctx context.Context, id string) (APIToken, error) {
	if err := checkPathSegment("API token ID", id); err != nil {
		return APIToken{}, err
	}
	return t.token(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.GetAccountAPIToken(ctx, t.c.accountID, id, rec)
		}
		return t.c.gen.GetUserAPIToken(ctx, id, rec)
	})
}

// Update replaces the token's definition (see APITokenParams); its value
// does not change.
func (t *APITokens) Update(ctx context.Context, id string, p APITokenParams) (APIToken, error) {
	if err := checkPathSegment("API token ID", id); err != nil {
		return APIToken{}, err
	}
	if err := p.check(true); err != nil {
		return APIToken{}, err
	}
	body := p.updateBody()
	return t.token(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.UpdateAccountAPIToken(ctx, t.c.accountID, id, body, rec)
		}
		return t.c.gen.UpdateUserAPIToken(ctx, id, body, rec)
	})
}

// Delete destroys the token; its value stops working at once. Deleting the
// token behind an AI Search registration breaks every instance using it:
// [Client.Rotate] deletes the old token only once the registration no
// longer needs it.
func (t *APITokens) Delete(ctx context.Context, id string) error {
	if err := checkPathSegment("API token ID", id); err != nil {
		return err
	}
	var env generated.APITokenDeleteEnvelope
	_, err := t.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.DeleteAccountAPIToken(ctx, t.c.accountID, id, rec)
		}
		return t.c.gen.DeleteUserAPIToken(ctx, id, rec)
	})
	return err
}

// Roll replaces the token's value with a new one and returns it; the old
// value stops working at once.
//
// Do not roll the token behind an AI Search registration: the registration
// keeps the old, now dead, value and its instances stop indexing. Use
// [Client.Rotate], which creates a new token, points the registration at it
// and only then deletes the old one.
func (t *APITokens) Roll(ctx context.Context, id string) (Secret, error) {
	if err := checkPathSegment("API token ID", id); err != nil {
		return "", err
	}
	var env generated.APITokenValueEnvelope
	o, err := t.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.RollAccountAPIToken(ctx, t.c.accountID, id, generated.RollAccountAPITokenJSONRequestBody{}, rec)
		}
		return t.c.gen.RollUserAPIToken(ctx, id, generated.RollUserAPITokenJSONRequestBody{}, rec)
	})
	if err != nil {
		return "", err
	}
	if env.Result == "" {
		return "", o.errorf("%w: no value in the result", ErrMalformedResponse)
	}
	return Secret(env.Result), nil
}

// Verify reports on the credential the client calls with (which must be an
// API token): its id and status. A token that is disabled, expired or
// deleted is refused: errors.Is(err, ErrAuth).
func (t *APITokens) Verify(ctx context.Context) (Verification, error) {
	return t.verify(ctx)
}

// VerifyValue reports on another token, given its value (a token just
// created, say), instead of the client's credential.
func (t *APITokens) VerifyValue(ctx context.Context, value Secret) (Verification, error) {
	if err := checkHeaderValue("API token value", value.Reveal()); err != nil {
		return Verification{}, err
	}
	if ctx == nil {
		return Verification{}, fmt.Errorf("aisearch: nil context")
	}
	return t.verify(withBearer(ctx, value), value)
}

func (t *APITokens) verify(ctx context.Context, extra ...Secret) (Verification, error) {
	var env generated.APITokenVerifyEnvelope
	o, err := t.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.VerifyAccountAPIToken(ctx, t.c.accountID, rec)
		}
		return t.c.gen.VerifyUserAPIToken(ctx, rec)
	}, extra...)
	if err != nil {
		return Verification{}, err
	}
	r := env.Result
	if r.ID == "" || r.Status == "" {
		return Verification{}, o.errorf("%w: result has no id or no status", ErrMalformedResponse)
	}
	return Verification{
		ID:        r.ID,
		Status:    APITokenStatus(r.Status),
		ExpiresOn: deref(r.ExpiresOn, time.Time{}),
		NotBefore: deref(r.NotBefore, time.Time{}),
	}, nil
}

// List returns one page of the owner's tokens. See All for every page.
func (t *APITokens) List(ctx context.Context, opts APITokenListOptions) (*APITokenPage, error) {
	page, perPage, err := pageParams("APITokenListOptions", opts.Page, opts.PerPage)
	if err != nil {
		return nil, err
	}
	include := nonZero(opts.IncludeExpired)
	var env generated.APITokenListEnvelope
	o, err := t.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			params := &generated.ListAccountAPITokensParams{Page: page, PerPage: perPage, IncludeExpired: include}
			if opts.Descending {
				d := generated.ListAccountAPITokensParamsDirectionDesc
				params.Direction = &d
			}
			return t.c.gen.ListAccountAPITokens(ctx, t.c.accountID, params, rec)
		}
		params := &generated.ListUserAPITokensParams{Page: page, PerPage: perPage, IncludeExpired: include}
		if opts.Descending {
			d := generated.ListUserAPITokensParamsDirectionDesc
			params.Direction = &d
		}
		return t.c.gen.ListUserAPITokens(ctx, params, rec)
	})
	if err != nil {
		return nil, err
	}
	out := &APITokenPage{Tokens: make([]APIToken, 0, len(env.Result)), Info: resultInfo(env.ResultInfo)}
	for i, tok := range env.Result {
		if tok.ID == "" {
			return nil, o.errorf("%w: result[%d] has no id", ErrMalformedResponse, i)
		}
		out.Tokens = append(out.Tokens, apiTokenFromAPI(tok, t.owner))
	}
	return out, nil
}

// apiTokensPerPage is the largest page the API token list allows.
const apiTokensPerPage = 50

// All iterates over every token of the owner (opts.Page and PerPage default
// to 1 and 50), fetching pages as the loop needs them and stopping after the
// last one as result_info tells it. On an error it yields the error once and
// stops.
func (t *APITokens) All(ctx context.Context, opts APITokenListOptions) iter.Seq2[APIToken, error] {
	if opts.PerPage == 0 {
		opts.PerPage = apiTokensPerPage
	}
	return walk(opts.Page, opts.PerPage, "API token list", func(page int) ([]APIToken, ResultInfo, error) {
		o := opts
		o.Page = page
		p, err := t.List(ctx, o)
		if err != nil {
			return nil, ResultInfo{}, err
		}
		return p.Tokens, p.Info, nil
	})
}

// PermissionGroups lists the permission groups tokens of this owner can be
// granted.
func (t *APITokens) PermissionGroups(ctx context.Context, f PermissionGroupFilter) ([]PermissionGroup, error) {
	name, scope := nonZero(f.Name), nonZero(f.Scope)
	var env generated.PermissionGroupListEnvelope
	o, err := t.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		if t.account() {
			return t.c.gen.ListAccountPermissionGroups(ctx, t.c.accountID, &generated.ListAccountPermissionGroupsParams{Name: name, Scope: scope}, rec)
		}
		return t.c.gen.ListUserPermissionGroups(ctx, &generated.ListUserPermissionGroupsParams{Name: name, Scope: scope}, rec)
	})
	if err != nil {
		return nil, err
	}
	out := make([]PermissionGroup, 0, len(env.Result))
	for i, g := range env.Result {
		if g.ID == "" {
			return nil, o.errorf("%w: result[%d] has no id", ErrMalformedResponse, i)
		}
		pg := PermissionGroup{ID: g.ID, Name: g.Name}
		for _, s := range deref(g.Scopes, nil) {
			pg.Scopes = append(pg.Scopes, string(s))
		}
		out = append(out, pg)
	}
	return out, nil
}

// token runs an operation whose result is one API token.
func (t *APITokens) token(ctx context.Context, send call) (APIToken, error) {
	var env generated.APITokenEnvelope
	o, err := t.do(ctx, &env, send)
	if err != nil {
		return APIToken{}, err
	}
	if env.Result.ID == "" {
		return APIToken{}, o.errorf("%w: result has no id", ErrMalformedResponse)
	}
	return apiTokenFromAPI(env.Result, t.owner), nil
}

func resultInfo(r generated.ResultInfo) ResultInfo {
	return ResultInfo{Page: r.Page, PerPage: r.PerPage, Count: r.Count, TotalCount: r.TotalCount}
}
