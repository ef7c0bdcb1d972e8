package emulator

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// An AI Search token registration (what the AI Search API calls a token):
// the Cloudflare API token AI Search uses for an account, as its id
// (cf_api_id) and value (cf_api_key).

// registration is a row of the registrations table. The key is kept only
// as its SHA-256, so neither the store nor the state file holds a usable
// one.
type registration struct {
	Account    string    `json:"account"`
	ID         string    `json:"id"` // unique within the account
	Name       string    `json:"name"`
	CfAPIID    string    `json:"cf_api_id"`
	KeySHA256  []byte    `json:"cf_api_key_sha256"`
	Legacy     bool      `json:"legacy"`
	Enabled    bool      `json:"enabled"`
	CreatedAt  time.Time `json:"created_at"`
	ModifiedAt time.Time `json:"modified_at"`
}

func registrationKey(r *registration) (owner, id string) { return r.Account, r.ID }

func hashKey(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}

// createRegistration stores r. An r without id gets a fresh one; one whose
// id the account holds is ErrExists.
func (s *store) createRegistration(tx *tx, r registration) (registration, error) {
	taken := func(id string) bool { _, ok := s.registrations.get(tx, r.Account, id); return ok }
	if r.ID != "" && taken(r.ID) {
		return registration{}, ErrExists
	}
	// A random uuid never collides; a deterministic sequence replayed over
	// a state file does, once per id it already handed out.
	for r.ID == "" || taken(r.ID) {
		r.ID = s.newUUID()
	}
	s.registrations.put(tx, r)
	return r, nil
}

// deleteRegistration removes a registration no instance uses: ErrInUse,
// naming the instances, otherwise (derived from the instances table).
func (s *store) deleteRegistration(tx *tx, account, id string) error {
	if _, ok := s.registrations.get(tx, account, id); !ok {
		return ErrNotFound
	}
	if users := s.instancesUsing(tx, account, id); len(users) > 0 {
		return fmt.Errorf("%w: %s", ErrInUse, strings.Join(users, ", "))
	}
	s.registrations.delete(tx, account, id)
	return nil
}

// The AI Search token operations.

func (h *handlers) ListTokens(_ context.Context, req generated.ListTokensRequestObject) (generated.ListTokensResponseObject, error) {
	needle := searchNeedle(req.Params.Search)
	var page []registration
	var info generated.ResultInfo
	h.store.view(func(tx *tx) {
		page, info = paginate(aiSearchPages, req.Params.Page, req.Params.PerPage,
			where(h.store.registrations.rows(tx, req.AccountID), func(r registration) bool { return containsFold(r.Name, needle) }))
	})
	result := make([]generated.Token, len(page))
	for i, r := range page {
		result[i] = r.api()
	}
	return generated.ListTokens200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages(), Result: result, ResultInfo: info}, nil
}

func (h *handlers) CreateToken(_ context.Context, req generated.CreateTokenRequestObject) (generated.CreateTokenResponseObject, error) {
	r, err := h.createRegistration(req.AccountID, req.Body)
	return respond[generated.CreateTokenResponseObject](generated.CreateToken201JSONResponse(registrationEnvelope(r)), err)
}

func (h *handlers) GetToken(_ context.Context, req generated.GetTokenRequestObject) (generated.GetTokenResponseObject, error) {
	var r registration
	var ok bool
	h.store.view(func(tx *tx) { r, ok = h.store.registrations.get(tx, req.AccountID, req.ID) })
	var err error
	if !ok {
		err = errRegistrationNotFound
	}
	return respond[generated.GetTokenResponseObject](generated.GetToken200JSONResponse(registrationEnvelope(r)), err)
}

func (h *handlers) UpdateToken(_ context.Context, req generated.UpdateTokenRequestObject) (generated.UpdateTokenResponseObject, error) {
	r, err := h.updateRegistration(req.AccountID, req.ID, req.Body)
	return respond[generated.UpdateTokenResponseObject](generated.UpdateToken200JSONResponse(registrationEnvelope(r)), err)
}

func (h *handlers) DeleteToken(_ context.Context, req generated.DeleteTokenRequestObject) (generated.DeleteTokenResponseObject, error) {
	err := h.registrationError(req.AccountID, "", h.store.update(func(tx *tx) error { return h.store.deleteRegistration(tx, req.AccountID, req.ID) }))
	return respond[generated.DeleteTokenResponseObject](generated.DeleteToken200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages()}, err)
}

// createRegistration registers the body's credential, which must work
// when it names an API token the emulator issued (checkCredential).
func (h *handlers) createRegistration(account string, body *generated.TokenInput) (registration, error) {
	if body == nil {
		return registration{}, errNoBody
	}
	now := h.timestamp()
	r := registration{Account: account, Enabled: true, CreatedAt: now, ModifiedAt: now}
	r.setInput(*body, hashKey(body.CfAPIKey))
	err := h.store.update(func(tx *tx) (err error) {
		if err := h.store.checkCredential(tx, account, r.CfAPIID, r.KeySHA256, h.now(), h.propagation); err != nil {
			return err
		}
		r, err = h.store.createRegistration(tx, r)
		return err
	})
	return r, h.registrationError(account, body.CfAPIID, err)
}

// updateRegistration replaces the caller-settable fields with the body's.
func (h *handlers) updateRegistration(account, id string, body *generated.TokenInput) (registration, error) {
	if body == nil {
		return registration{}, errNoBody
	}
	now := h.timestamp()
	var r registration
	keyHash := hashKey(body.CfAPIKey)
	err := h.store.update(func(tx *tx) error {
		if err := h.store.checkCredential(tx, account, body.CfAPIID, keyHash, h.now(), h.propagation); err != nil {
			return err
		}
		cur, ok := h.store.registrations.get(tx, account, id)
		if !ok {
			return ErrNotFound
		}
		r = cur
		r.setInput(*body, keyHash)
		r.ModifiedAt = later(now, r.CreatedAt) // a seeded created_at may lie in the future
		h.store.registrations.put(tx, r)
		return nil
	})
	return r, h.registrationError(account, body.CfAPIID, err)
}

// Cloudflare's answers, with its snake_case messages (its docs' AI Search
// API error codes).
var (
	errRegistrationNotFound = apiError{status: http.StatusNotFound, code: CodeTokenNotFound, message: "token_not_found"}
	errRegistrationInUse    = apiError{status: http.StatusConflict, code: CodeInUse, message: "token_in_use_by_instances"}
	errNoBody               = apiError{status: http.StatusBadRequest, code: CodeValidation, message: "body: a JSON request body is required", path: []string{"body"}}
)

// registrationError is the answer to a failed registration transaction.
// Cloudflare's answers do not say why a credential was refused or which
// instances use a registration: the log does (never the key).
func (h *handlers) registrationError(account, cfAPIID string, err error) error {
	var cerr credentialError
	switch {
	case errors.As(err, &cerr):
		h.logger.Info("registration refused: ai_search_instance_invalid_token", "account", account, "cf_api_id", cfAPIID, "reason", cerr.err.Error())
		return cerr.apiError()
	case errors.Is(err, ErrNotFound):
		return errRegistrationNotFound
	case errors.Is(err, ErrInUse):
		h.logger.Info("registration delete refused: token_in_use_by_instances", "account", account, "err", err.Error())
		return errRegistrationInUse
	}
	return err
}

// timestamp is now, as aiSearchTime.
func (h *handlers) timestamp() time.Time { return aiSearchTime(h.now()) }

// aiSearchTime is a server-set AI Search timestamp (created_at,
// modified_at, a job's times): UTC, milliseconds, like Cloudflare's.
func aiSearchTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// setInput applies a create or update body, its cf_api_key hashed to
// keyHash: a full replacement of the caller-settable fields, with legacy
// defaulting to true.
func (r *registration) setInput(in generated.TokenInput, keyHash []byte) {
	r.Name = in.Name
	r.CfAPIID = in.CfAPIID
	r.KeySHA256 = keyHash
	r.Legacy = in.Legacy == nil || *in.Legacy
}

// api is the registration as the API shows it: never its key.
func (r registration) api() generated.Token {
	enabled, legacy := r.Enabled, r.Legacy
	return generated.Token{
		ID: r.ID, Name: r.Name, CfAPIID: r.CfAPIID, CreatedAt: r.CreatedAt, ModifiedAt: r.ModifiedAt,
		Enabled: &enabled, Legacy: &legacy,
	}
}

func registrationEnvelope(r registration) generated.TokenEnvelope {
	return generated.TokenEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: r.api()}
}

// Token is a stored registration as tests inspect it. The key is not
// kept; use KeyMatches to check it.
type Token struct {
	ID         string
	Name       string
	CfAPIID    string
	Enabled    bool
	Legacy     bool
	CreatedAt  time.Time
	ModifiedAt time.Time
	// InUseBy lists the instances whose token_id is this registration
	// (read from the instances table); a delete gets 409 while non-empty.
	InUseBy []string
}

// Tokens returns the account's registrations in creation order (empty,
// not nil, for an unknown account).
func (s *Server) Tokens(accountID string) []Token {
	out := []Token{}
	s.store.view(func(tx *tx) {
		for _, r := range s.store.registrations.rows(tx, accountID) {
			out = append(out, Token{
				ID: r.ID, Name: r.Name, CfAPIID: r.CfAPIID, Enabled: r.Enabled, Legacy: r.Legacy,
				CreatedAt: r.CreatedAt, ModifiedAt: r.ModifiedAt, InUseBy: s.store.instancesUsing(tx, accountID, r.ID),
			})
		}
	})
	return out
}

// KeyMatches reports whether the registration's stored cf_api_key is key
// (the store keeps only its SHA-256).
func (s *Server) KeyMatches(accountID, tokenID, key string) bool {
	var r registration
	var ok bool
	s.store.view(func(tx *tx) { r, ok = s.store.registrations.get(tx, accountID, tokenID) })
	return ok && subtle.ConstantTimeCompare(r.KeySHA256, hashKey(key)) == 1
}
