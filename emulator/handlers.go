package emulator

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// handlers implements the generated strict server on top of the store:
// each method converts the request, calls the store, converts the answer.
type handlers struct {
	store *store
	now   func() time.Time
}

var _ generated.StrictServerInterface = (*handlers)(nil)

// Defaults from openapi.yaml, applied here so the handlers behave the same
// with validation (which could set them) off.
const (
	defaultPage    = 1
	defaultPerPage = 20
	maxPerPage     = 100
)

func (h *handlers) ListTokens(_ context.Context, req generated.ListTokensRequestObject) (generated.ListTokensResponseObject, error) {
	pageNo, perPage := defaultPage, defaultPerPage
	if p := req.Params.Page; p != nil && *p >= 1 {
		pageNo = *p
	}
	if p := req.Params.PerPage; p != nil && *p >= 1 {
		perPage = min(*p, maxPerPage)
	}
	var search string
	if req.Params.Search != nil {
		search = *req.Params.Search
	}
	pg := h.store.list(req.AccountID, search, pageNo, perPage)
	return listResponse{tokens: pg.Tokens,
		info: generated.ResultInfo{Page: pageNo, PerPage: perPage, Count: len(pg.Tokens), TotalCount: pg.Total}}, nil
}

func (h *handlers) CreateToken(_ context.Context, req generated.CreateTokenRequestObject) (generated.CreateTokenResponseObject, error) {
	if req.Body == nil {
		return errNoBody, nil
	}
	cred := h.credential(*req.Body)
	now := h.timestamp()
	r := record{Enabled: true, CreatedAt: now, ModifiedAt: now}
	r.setInput(*req.Body, cred.keyHash)
	tok, err := h.store.create(req.AccountID, r, cred)
	var cerr credentialError
	switch {
	case errors.As(err, &cerr):
		return cerr.apiError(), nil
	case err != nil:
		return nil, err
	}
	return tokenResponse{status: http.StatusCreated, token: tok}, nil
}

func (h *handlers) GetToken(_ context.Context, req generated.GetTokenRequestObject) (generated.GetTokenResponseObject, error) {
	tok, err := h.store.getJSON(req.AccountID, req.ID)
	if errors.Is(err, ErrNotFound) {
		return errTokenNotFound, nil
	}
	if err != nil {
		return nil, err
	}
	return tokenResponse{status: http.StatusOK, token: tok}, nil
}

func (h *handlers) UpdateToken(_ context.Context, req generated.UpdateTokenRequestObject) (generated.UpdateTokenResponseObject, error) {
	if req.Body == nil {
		return errNoBody, nil
	}
	cred := h.credential(*req.Body)
	now := h.timestamp()
	tok, err := h.store.replace(req.AccountID, req.ID, cred, func(r *record) error {
		r.setInput(*req.Body, cred.keyHash)
		r.ModifiedAt = now
		if now.Before(r.CreatedAt) { // a seeded created_at may lie in the future
			r.ModifiedAt = r.CreatedAt
		}
		return nil
	})
	var cerr credentialError
	switch {
	case errors.As(err, &cerr):
		return cerr.apiError(), nil
	case errors.Is(err, ErrNotFound):
		return errTokenNotFound, nil
	case err != nil:
		return nil, err
	}
	return tokenResponse{status: http.StatusOK, token: tok}, nil
}

func (h *handlers) DeleteToken(_ context.Context, req generated.DeleteTokenRequestObject) (generated.DeleteTokenResponseObject, error) {
	err := h.store.delete(req.AccountID, req.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		return errTokenNotFound, nil
	case errors.Is(err, ErrInUse):
		return apiError{status: http.StatusConflict, code: CodeInUse, message: err.Error()}, nil
	case err != nil:
		return nil, err
	}
	return generated.DeleteToken200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages()}, nil
}

var (
	errTokenNotFound = apiError{status: http.StatusNotFound, code: CodeNotFound, message: "token not found", path: []string{"path", "id"}}
	errNoBody        = apiError{status: http.StatusBadRequest, code: CodeValidation, message: "body: a JSON request body is required", path: []string{"body"}}
)

// credential is the Cloudflare API token a create or update body names, for
// the store to check (checkCredential) as of now.
func (h *handlers) credential(in generated.TokenInput) *credential {
	return &credential{cfAPIID: in.CfAPIID, keyHash: hashKey(in.CfAPIKey), now: h.now()}
}

// timestamp is now in UTC at Cloudflare's millisecond precision.
func (h *handlers) timestamp() time.Time { return h.now().UTC().Truncate(time.Millisecond) }

// setInput applies a create or update body, its cf_api_key hashed to
// keyHash: a full replacement of the caller-settable fields, with legacy
// defaulting to true.
func (r *record) setInput(in generated.TokenInput, keyHash []byte) {
	r.Name = in.Name
	r.CfAPIID = in.CfAPIID
	r.KeySHA256 = keyHash
	r.Legacy = in.Legacy == nil || *in.Legacy
}

func (r record) api() generated.Token {
	enabled, legacy := r.Enabled, r.Legacy
	return generated.Token{
		ID:         r.ID,
		Name:       r.Name,
		CfAPIID:    r.CfAPIID,
		CreatedAt:  r.CreatedAt,
		ModifiedAt: r.ModifiedAt,
		Enabled:    &enabled,
		Legacy:     &legacy,
	}
}
