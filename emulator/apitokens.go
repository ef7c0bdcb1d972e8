package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// APIToken is a stored Cloudflare API token as tests inspect it. The value
// is not kept; use ValueMatches to check it.
type APIToken struct {
	ID         string
	AccountID  string // the owning account; UserOwner for the user's tokens
	Name       string
	Status     string // active, disabled, or expired (from ExpiresOn and the clock)
	IssuedOn   time.Time
	ModifiedOn time.Time
	ExpiresOn  time.Time // zero when unset
	NotBefore  time.Time // zero when unset
	LastUsedOn time.Time // the minute of its latest use; zero until it is used
	Policies   []generated.Policy
	Condition  *generated.APITokenCondition
}

func (r apiTokenRecord) inspect(now time.Time) APIToken {
	t := APIToken{
		ID: r.ID, AccountID: r.Owner, Name: r.Name, Status: string(r.status(now)),
		IssuedOn: r.IssuedOn, ModifiedOn: r.ModifiedOn,
		Policies: deepCopy(nonNil(r.Policies)), Condition: deepCopy(r.Condition),
	}
	if r.ExpiresOn != nil {
		t.ExpiresOn = *r.ExpiresOn
	}
	if r.NotBefore != nil {
		t.NotBefore = *r.NotBefore
	}
	if r.LastUsedOn != nil {
		t.LastUsedOn = *r.LastUsedOn
	}
	return t
}

// deepCopy copies v through JSON, so a test changing what it inspects
// (policies hold maps) cannot change the store.
func deepCopy[T any](v T) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		panic(fmt.Sprintf("emulator: copy %T: %v", v, err)) // the store only holds JSON-decoded values
	}
	return out
}

// APITokens returns the Cloudflare API tokens an owner holds, by issued_on
// then id: accountID's, or the user's for UserOwner. Empty, not nil, when
// there are none.
func (s *Server) APITokens(accountID string) []APIToken {
	now := s.cfg.clock()
	out := []APIToken{}
	s.store.view(func(tx *tx) {
		for _, r := range s.store.apiTokensOf(tx, accountID) {
			out = append(out, r.inspect(now))
		}
	})
	return out
}

// ValueMatches reports whether value is the current value of the live API
// token tokenID (the store keeps only its SHA-256).
func (s *Server) ValueMatches(tokenID, value string) bool {
	var r apiTokenRecord
	var ok bool
	s.store.view(func(tx *tx) { r, ok = s.store.apiTokens.lookup(tx, tokenID) })
	return ok && subtle.ConstantTimeCompare(r.ValueSHA256, hashKey(value)) == 1
}

// ValueRevoked reports whether value was an API token's value until it was
// rolled or its token deleted: it never authenticates again.
func (s *Server) ValueRevoked(value string) bool {
	var revoked bool
	s.store.view(func(tx *tx) { revoked = s.store.isRevoked(tx, hashKey(value)) })
	return revoked
}

// DisableAPIToken sets a token's status to disabled, as an update with
// status "disabled" does: its value stops authenticating until re-enabled.
func (s *Server) DisableAPIToken(tokenID string) error {
	return s.changeAPIToken("DisableAPIToken", tokenID, func(r *apiTokenRecord) {
		r.Status = generated.Disabled
	})
}

// ExpireAPIToken sets a token's expires_on: from then on it is expired (at
// or before the clock's now: at once).
func (s *Server) ExpireAPIToken(tokenID string, at time.Time) error {
	return s.changeAPIToken("ExpireAPIToken", tokenID, func(r *apiTokenRecord) {
		t := at.UTC()
		r.ExpiresOn = &t
	})
}

func (s *Server) changeAPIToken(op, tokenID string, fn func(*apiTokenRecord)) error {
	now := apiTime(s.cfg.clock())
	err := s.store.update(func(tx *tx) error {
		cur, ok := s.store.apiTokens.lookup(tx, tokenID)
		if !ok {
			return ErrNotFound
		}
		next := cur
		fn(&next)
		next.ModifiedOn = later(now, next.IssuedOn)
		s.store.replaceAPIToken(tx, cur, next)
		return nil
	})
	if err != nil {
		return fmt.Errorf("emulator: %s %s: %w", op, tokenID, err)
	}
	return nil
}

// PermissionGroups returns the catalogue, by name then id.
func (s *Server) PermissionGroups() []PermissionGroup {
	var out []PermissionGroup
	s.store.view(func(tx *tx) { out = s.store.permissionGroups(tx) })
	return out
}

// SeedPermissionGroups adds groups to the catalogue (replacing one with the
// same id) and, unlike WithPermissionGroups, writes them to the state file.
func (s *Server) SeedPermissionGroups(groups ...PermissionGroup) error {
	return s.seedPermissionGroups(s.store.update, groups)
}

func (s *Server) seedPermissionGroups(update txRunner, groups []PermissionGroup) error {
	for i, g := range groups {
		if err := g.check(); err != nil {
			return fmt.Errorf("emulator: SeedPermissionGroups group %d: %w", i, err)
		}
	}
	err := update(func(tx *tx) error {
		for _, g := range groups {
			s.store.groups.put(tx, g.clone())
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("emulator: SeedPermissionGroups: %w", err)
	}
	return nil
}

// SeedAPIToken is a Cloudflare API token to preload, with a value the test
// knows.
type SeedAPIToken struct {
	ID        string                       `json:"id"`                  // required: 1 to 32 lowercase hex digits (Cloudflare's are 32), unique across owners
	Name      string                       `json:"name"`                // required, at most 120 characters
	Value     string                       `json:"value"`               // required, no whitespace; stored as its SHA-256 only
	Status    string                       `json:"status,omitempty"`    // active (default) or disabled
	Policies  []generated.Policy           `json:"policies,omitempty"`  // groups from the catalogue; ids and names are filled in
	Condition *generated.APITokenCondition `json:"condition,omitempty"` // request_ip (or request.ip) ranges, enforced
	IssuedOn  time.Time                    `json:"issued_on,omitzero"`  // default now; also the modified_on
	ExpiresOn time.Time                    `json:"expires_on,omitzero"` // default: never
	NotBefore time.Time                    `json:"not_before,omitzero"` // default: at once
}

// check validates t without ever quoting its value.
func (t SeedAPIToken) check() error {
	switch {
	case !isSeedTokenID(t.ID):
		return fmt.Errorf("%w: API token id %q is not 1 to 32 lowercase hex digits", ErrInvalid, t.ID)
	case t.Name == "" || len([]rune(t.Name)) > 120:
		return fmt.Errorf("%w: API token %s: name must be 1 to 120 characters", ErrInvalid, t.ID)
	case !isB64Token(t.Value):
		return fmt.Errorf("%w: API token %s: value must be a bearer token (letters, digits and -._~+/, then any =)", ErrInvalid, t.ID)
	case t.Status != "" && t.Status != string(generated.Active) && t.Status != string(generated.Disabled):
		return fmt.Errorf("%w: API token %s: status must be active or disabled", ErrInvalid, t.ID)
	}
	if _, errs := normalizeCondition(t.Condition); len(errs) > 0 {
		return fmt.Errorf("%w: API token %s: condition: %s", ErrInvalid, t.ID, errs[0].Message)
	}
	for i, p := range t.Policies {
		if !validResources(p.Resources) {
			return fmt.Errorf("%w: API token %s: policy %d: resources must map names to \"*\" or to maps of names to \"*\"", ErrInvalid, t.ID, i)
		}
	}
	return nil
}

// validResources reports whether r has the spec's shape (which validation
// checks for requests, and the API's answers must keep): names to strings,
// or names to maps of names to strings.
func validResources(r generated.APITokenResources) bool {
	nested := 0
	for _, v := range r {
		switch v := v.(type) {
		case string:
		case map[string]any:
			for _, inner := range v {
				if _, ok := inner.(string); !ok {
					return false
				}
			}
			nested++
		default:
			return false
		}
	}
	return nested == 0 || nested == len(r) // anyOf: all strings or all maps
}

// isSeedTokenID accepts Cloudflare's 32 hex digits, and the shorter ids
// of SDK tests and docs (cloudflare-go's a1b2c3d4e5f6), which the spec
// allows (maxLength 32).
func isSeedTokenID(s string) bool {
	return len(s) >= 1 && len(s) <= 32 && isLowerHex(s)
}

// isHexID reports whether s is 32 lowercase hex digits, the shape of
// Cloudflare's token, policy and permission group ids.
func isHexID(s string) bool { return len(s) == 32 && isLowerHex(s) }

func isLowerHex(s string) bool { return strings.Trim(s, "0123456789abcdef") == "" }

// SeedAPITokens adds Cloudflare API tokens to an owner (accountID, a 32
// character account id, or UserOwner), in order. An id or value that is (or
// was) another token's is an error (ErrExists), as is a permission group
// the catalogue lacks; the tokens before it stay.
func (s *Server) SeedAPITokens(accountID string, tokens ...SeedAPIToken) error {
	return s.seedAPITokens(s.store.update, accountID, tokens)
}

func (s *Server) seedAPITokens(update txRunner, accountID string, tokens []SeedAPIToken) error {
	if accountID != UserOwner && len(accountID) != 32 {
		return fmt.Errorf("emulator: SeedAPITokens: account id %q is not 32 characters (the user's tokens: UserOwner, %q)", accountID, UserOwner)
	}
	for i, t := range tokens {
		if err := t.check(); err != nil {
			return fmt.Errorf("emulator: SeedAPITokens token %d: %w", i, err)
		}
		issued := t.IssuedOn
		if issued.IsZero() {
			issued = s.cfg.clock()
		}
		issued = apiTime(issued)
		cond, _ := normalizeCondition(deepCopy(t.Condition)) // checked above
		r := apiTokenRecord{
			ID: t.ID, Owner: accountID, Name: t.Name, Status: generated.Active, ValueSHA256: hashKey(t.Value),
			IssuedOn: issued, ModifiedOn: issued, Condition: cond,
			ExpiresOn: utc(nonZero(t.ExpiresOn)), NotBefore: utc(nonZero(t.NotBefore)),
		}
		if t.Status != "" {
			r.Status = generated.APITokenStatus(t.Status)
		}
		var errs []generated.ValidationError
		err := update(func(tx *tx) (err error) {
			_, errs, err = s.store.createAPIToken(tx, r, nonNil(t.Policies), nil)
			return err
		})
		switch {
		case len(errs) > 0:
			return fmt.Errorf("emulator: SeedAPITokens token %s: %w: %s (policies%s)", t.ID, ErrInvalid, errs[0].Message, pathSuffix(errs[0].Path))
		case err != nil:
			return fmt.Errorf("emulator: SeedAPITokens token %s: %w", t.ID, err)
		}
	}
	return nil
}

func nonZero(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// pathSuffix renders ["body","policies","0","permission_groups","1","id"]
// as .0.permission_groups.1.id (the part after "policies").
func pathSuffix(path []string) string {
	out := ""
	for i, p := range path {
		if i >= 2 {
			out += "." + p
		}
	}
	return out
}

// SeedUser is the emulator's one user in a SeedFile: its API tokens.
type SeedUser struct {
	APITokens []SeedAPIToken `json:"api_tokens,omitempty"`
}

// checkAPITokens checks the API token parts of a seed file: groups, and
// tokens whose ids and values are unique across the file.
func (f *SeedFile) checkAPITokens() error {
	for i, g := range f.PermissionGroups {
		if err := g.check(); err != nil {
			return fmt.Errorf("seed: permission group %d: %w", i, err)
		}
	}
	ids, values := map[string]bool{}, map[valueKey]bool{}
	check := func(where string, ts []SeedAPIToken) error {
		for i, t := range ts {
			if err := t.check(); err != nil {
				return fmt.Errorf("seed: %s API token %d: %w", where, i, err)
			}
			k := keyOf(hashKey(t.Value))
			switch {
			case ids[t.ID]:
				return fmt.Errorf("seed: %s API token %d: duplicate id %s", where, i, t.ID)
			case values[k]:
				return fmt.Errorf("seed: %s API token %d: its value is another seeded token's", where, i)
			}
			ids[t.ID], values[k] = true, true
		}
		return nil
	}
	if err := check("user", f.User.APITokens); err != nil {
		return err
	}
	for _, acc := range f.accountIDs() {
		ts := f.Accounts[acc].APITokens
		if len(ts) > 0 && len(acc) != 32 {
			return fmt.Errorf("seed: account %s: API tokens need a 32-character account id", acc)
		}
		if err := check("account "+acc, ts); err != nil {
			return err
		}
	}
	return nil
}

// seedAPITokensFrom loads the catalogue entries, then the user's API
// tokens, then each account's (sorted), before any registration.
func (s *Server) seedAPITokensFrom(update txRunner, f *SeedFile) error {
	if len(f.PermissionGroups) > 0 {
		if err := s.seedPermissionGroups(update, f.PermissionGroups); err != nil {
			return err
		}
	}
	if err := s.seedAPITokens(update, UserOwner, f.User.APITokens); err != nil {
		return err
	}
	for _, acc := range f.accountIDs() {
		// An account with registrations only may have any id.
		if ts := f.Accounts[acc].APITokens; len(ts) > 0 {
			if err := s.seedAPITokens(update, acc, ts); err != nil {
				return err
			}
		}
	}
	return nil
}
