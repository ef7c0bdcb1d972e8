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
// 400 of an AI Search create or update).
var (
	ErrNoSuchAPIToken      = errors.New("no such Cloudflare API token")
	ErrAPITokenDeleted     = errors.New("the Cloudflare API token was deleted")
	ErrAPITokenDisabled    = errors.New("the Cloudflare API token is disabled")
	ErrAPITokenExpired     = errors.New("the Cloudflare API token has expired")
	ErrAPITokenNotYetValid = errors.New("the Cloudflare API token is not valid yet (not_before)")
	ErrValueRolled         = errors.New("the Cloudflare API token's value was rolled since it was registered")
	ErrWrongValue          = errors.New("the key is not the Cloudflare API token's value")
	ErrOtherAccount        = errors.New("the Cloudflare API token is owned by another account")
)

// credentialProblem says why a registration in accountID holding cfAPIID
// and a key with this hash cannot use it at now (nil when it can). known
// reports whether cfAPIID is a token the emulator issued, live or deleted.
func (s *store) credentialProblem(tx *tx, accountID, cfAPIID string, keyHash []byte, now time.Time) (known bool, err error) {
	r, live := s.apiTokens.lookup(tx, cfAPIID)
	switch {
	case live && subtle.ConstantTimeCompare(r.ValueSHA256, keyHash) == 1:
		if r.Owner != UserOwner && r.Owner != accountID {
			return true, ErrOtherAccount
		}
		return true, r.usable(now)
	case live:
		if rv, ok := s.revocation(tx, keyHash); ok && rv.TokenID == cfAPIID {
			return true, ErrValueRolled
		}
		return true, ErrWrongValue
	case s.deletedAPIToken[cfAPIID]:
		return true, ErrAPITokenDeleted
	}
	return false, ErrNoSuchAPIToken
}

// credentialError refuses an AI Search create or update whose cf_api_id is
// a token the emulator issued but whose cf_api_key cannot use it.
type credentialError struct{ err error }

func (e credentialError) Error() string { return e.err.Error() }

// apiError is the 400 the handlers answer e with.
func (e credentialError) apiError() apiError {
	field := "cf_api_id"
	if errors.Is(e.err, ErrWrongValue) || errors.Is(e.err, ErrValueRolled) {
		field = "cf_api_key"
	}
	return apiError{status: http.StatusBadRequest, code: CodeInvalidToken, message: "Ai search instance invalid token. (" + e.err.Error() + ")", path: []string{"body", field}}
}

// checkCredential is a credentialError when the credential a registration
// would hold cannot work at now; nil when it can, or when its cf_api_id is
// unknown (the emulator cannot know it).
func (s *store) checkCredential(tx *tx, accountID, cfAPIID string, keyHash []byte, now time.Time) error {
	if known, err := s.credentialProblem(tx, accountID, cfAPIID, keyHash, now); known && err != nil {
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
// ErrValueRolled, ErrWrongValue, ErrOtherAccount). It is the ground truth
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
		if _, problem := s.store.credentialProblem(tx, accountID, reg.CfAPIID, reg.KeySHA256, now); problem != nil {
			err = fmt.Errorf("emulator: registration %s (cf_api_id %s): %w", registrationID, reg.CfAPIID, problem)
		}
	})
	return err
}
