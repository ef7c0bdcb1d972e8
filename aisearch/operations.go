package aisearch

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// List returns one page of the account's tokens. See All for every page.
func (r *Registrations) List(ctx context.Context, opts RegistrationListOptions) (*RegistrationPage, error) {
	c := r.c
	pageNo, perPage, err := pageParams("RegistrationListOptions", opts.Page, opts.PerPage)
	if err != nil {
		return nil, err
	}
	params := &generated.ListTokensParams{Page: pageNo, PerPage: perPage, Search: nonZero(opts.Search)}
	var env registrationListResult
	o, err := c.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.ListTokens(ctx, c.accountID, params, rec)
	})
	if err != nil {
		return nil, err
	}
	page := &RegistrationPage{Registrations: make([]Registration, 0, len(env.Result)), Info: resultInfo(env.ResultInfo)}
	for i, t := range env.Result {
		if t.ID == "" {
			return nil, o.errorf("%w: result[%d] has no id", ErrMalformedResponse, i)
		}
		page.Registrations = append(page.Registrations, registrationFromAPI(t))
	}
	return page, nil
}

// Get returns the token with this id; errors.Is(err, ErrNotFound) when there
// is none.
func (r *Registrations) Get(ctx context.Context, id string) (Registration, error) {
	c := r.c
	if err := checkPathSegment("token ID", id); err != nil {
		return Registration{}, err
	}
	return r.registration(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.GetToken(ctx, c.accountID, id, rec)
	})
}

// Create registers a service API token. It is not retried once the request
// may have reached the server (see RetryPolicy.RetryCreate); Ensure
// is the idempotent alternative.
func (r *Registrations) Create(ctx context.Context, p RegistrationParams) (Registration, error) {
	c := r.c
	if err := p.check(); err != nil {
		return Registration{}, err
	}
	return r.registration(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.CreateToken(ctx, c.accountID, p.input(), rec)
	}, p.CfAPIKey)
}

// Update replaces the token with this id. It is a full replacement: every
// field of p is required, and a nil p.Legacy resets legacy to true.
func (r *Registrations) Update(ctx context.Context, id string, p RegistrationParams) (Registration, error) {
	c := r.c
	if err := checkPathSegment("token ID", id); err != nil {
		return Registration{}, err
	}
	if err := p.check(); err != nil {
		return Registration{}, err
	}
	return r.registration(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.UpdateToken(ctx, c.accountID, id, p.input(), rec)
	}, p.CfAPIKey)
}

// Delete removes the token with this id, permanently. A token in use by an
// AI Search instance cannot be deleted: errors.Is(err, ErrConflict).
func (r *Registrations) Delete(ctx context.Context, id string) error {
	c := r.c
	if err := checkPathSegment("token ID", id); err != nil {
		return err
	}
	_, err := c.do(ctx, nil, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.DeleteToken(ctx, c.accountID, id, rec)
	})
	return err
}

// registrationResult and registrationListResult are what a success
// envelope of one registration and of a list are read into:
// generated.TokenEnvelope and TokenListEnvelope without the errors and
// messages arrays, which a success leaves empty (and do reads again from a
// failure).
type registrationResult struct {
	Success bool            `json:"success"`
	Result  generated.Token `json:"result"`
}

type registrationListResult struct {
	Success    bool                 `json:"success"`
	Result     []generated.Token    `json:"result"`
	ResultInfo generated.ResultInfo `json:"result_info"`
}

// registration runs an operation whose result is one registration.
func (r *Registrations) registration(ctx context.Context, send call, extra ...Secret) (Registration, error) {
	var env registrationResult
	o, err := r.c.do(ctx, &env, send, extra...)
	if err != nil {
		return Registration{}, err
	}
	if env.Result.ID == "" {
		return Registration{}, o.errorf("%w: result has no id", ErrMalformedResponse)
	}
	return registrationFromAPI(env.Result), nil
}

// check refuses params the API would reject, before anything is sent.
func (p RegistrationParams) check() error {
	var empty []string
	if p.Name == "" {
		empty = append(empty, "Name")
	}
	if p.CfAPIID == "" {
		empty = append(empty, "CfAPIID")
	}
	if p.CfAPIKey.IsZero() {
		empty = append(empty, "CfAPIKey")
	}
	if len(empty) > 0 {
		return fmt.Errorf("aisearch: RegistrationParams: empty %s", strings.Join(empty, ", "))
	}
	return nil
}
