package emulator

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Registrations meet API tokens here: the AI Search tokens API stores a
// Cloudflare API token's id (cf_api_id) and value (cf_api_key); when that
// token is one the emulator issued, it can tell whether the pair works.

// Why a registration's credential does not work (CredentialWorks, and the
// 400 code 7012 of an AI Search create or update).
var (
	ErrNoSuchAPIToken      = errors.New("no such Cloudflare API token")
	ErrAPITokenDeleted     = errors.New("the Cloudflare API token was deleted")
	ErrAPITokenDisabled    = errors.New("the Cloudflare API token is disabled")
	ErrAPITokenExpired     = errors.New("the Cloudflare API token has expired")
	ErrAPITokenNotYetValid = errors.New("the Cloudflare API token is not valid yet (not_before)")
	ErrValueRolled         = errors.New("the Cloudflare API token's value was rolled since it was registered")
	ErrWrongValue          = errors.New("the key is not the Cloudflare API token's value")
	ErrOtherAccount        = errors.New("the Cloudflare API token is owned by another account")
	ErrNotPropagated       = errors.New("the Cloudflare API token's value has not reached AI Search yet (WithPropagationDelay)")
)

// credentialProblem says why a registration in accountID holding cfAPIID
// and a key with this hash cannot use it at now (nil when it can): only
// the current value of a live API token the emulator issued works, active
// and within its validity window, owned by the user or by accountID, and
// minted (created or rolled) at least propagation ago. Its policies and
// condition.request_ip are not checked: AI Search uses the token from
// Cloudflare's own network, and nothing says it checks the token's
// permission groups when it is registered.
func (s *store) credentialProblem(tx *tx, accountID, cfAPIID string, keyHash []byte, now time.Time, propagation time.Duration) error {
	r, live := s.apiTokens.lookup(tx, cfAPIID)
	switch {
	case live && subtle.ConstantTimeCompare(r.ValueSHA256, keyHash) == 1:
		if r.Owner != UserOwner && r.Owner != accountID {
			return ErrOtherAccount
		}
		if err := r.usable(now); err != nil {
			return err
		}
		// Jobs judge at the millisecond (seedTime); a value minted within
		// that millisecond has propagated as much as one minted at its start.
		if !r.ValueSince.IsZero() && now.Before(r.ValueSince.Truncate(time.Millisecond).Add(propagation)) {
			return ErrNotPropagated
		}
		return nil
	case live:
		if rv, ok := s.revocation(tx, keyHash); ok && rv.TokenID == cfAPIID {
			return ErrValueRolled
		}
		return ErrWrongValue
	case s.deletedAPIToken[cfAPIID]:
		return ErrAPITokenDeleted
	}
	return ErrNoSuchAPIToken
}

// credentialError refuses an AI Search create or update whose credential
// does not work.
type credentialError struct{ err error }

func (e credentialError) Error() string { return e.err.Error() }

// apiError is the 400 the handlers answer e with: Cloudflare's code and
// message, whatever the reason (which the emulator logs); the path names
// the field to fix.
func (e credentialError) apiError() apiError {
	field := "cf_api_id"
	if errors.Is(e.err, ErrWrongValue) || errors.Is(e.err, ErrValueRolled) {
		field = "cf_api_key"
	}
	return apiError{status: http.StatusBadRequest, code: CodeInvalidToken, message: "ai_search_instance_invalid_token", path: []string{"body", field}}
}

// checkCredential is a credentialError when the credential a registration
// would hold cannot work at now.
func (s *store) checkCredential(tx *tx, accountID, cfAPIID string, keyHash []byte, now time.Time, propagation time.Duration) error {
	if err := s.credentialProblem(tx, accountID, cfAPIID, keyHash, now, propagation); err != nil {
		return credentialError{err}
	}
	return nil
}

// CredentialWorks reports whether the AI Search registration
// registrationID of accountID holds a working Cloudflare credential: its
// stored cf_api_key is the current value of a live, active, valid API token
// whose id is its cf_api_id (and which, if account-owned, is that
// account's). Otherwise the error says why (errors.Is: ErrNotFound for no
// such registration, ErrNoSuchAPIToken, ErrAPITokenDeleted,
// ErrAPITokenDisabled, ErrAPITokenExpired, ErrAPITokenNotYetValid,
// ErrValueRolled, ErrWrongValue, ErrOtherAccount, ErrNotPropagated). It is the ground truth
// for tests that rotate credentials: a registration must never be left
// broken.
func (s *Server) CredentialWorks(accountID, registrationID string) error {
	now := s.cfg.clock()
	var err error
	s.store.view(func(tx *tx) {
		reg, ok := s.store.registrations.get(tx, accountID, registrationID)
		if !ok {
			err = fmt.Errorf("emulator: registration %s: %w", registrationID, ErrNotFound)
			return
		}
		if problem := s.store.credentialProblem(tx, accountID, reg.CfAPIID, reg.KeySHA256, now, s.cfg.propagation); problem != nil {
			err = fmt.Errorf("emulator: registration %s (cf_api_id %s): %w", registrationID, reg.CfAPIID, problem)
		}
	})
	return err
}
