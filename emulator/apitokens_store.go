package emulator

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// UserOwner, passed where an account id is asked for, means the tokens of
// the emulator's one user (/user/tokens). Every configured credential (and,
// with open auth, any credential) acts as that user.
const UserOwner = "user"

// apiTokenRecord is a row of the api_tokens table: a Cloudflare API token,
// its value kept only as a SHA-256. Ids are unique across owners.
type apiTokenRecord struct {
	ID          string                       `json:"id"`
	Owner       string                       `json:"owner"` // an account id, or UserOwner
	Name        string                       `json:"name"`
	Status      generated.APITokenStatus     `json:"status"` // active or disabled; "expired" is computed
	ValueSHA256 []byte                       `json:"value_sha256"`
	IssuedOn    time.Time                    `json:"issued_on"`
	ModifiedOn  time.Time                    `json:"modified_on"`
	ExpiresOn   *time.Time                   `json:"expires_on,omitempty"`
	NotBefore   *time.Time                   `json:"not_before,omitempty"`
	Condition   *generated.APITokenCondition `json:"condition,omitempty"`
	Policies    []generated.Policy           `json:"policies"`
	// LastUsedOn is the minute of the token's latest use (see noteUse);
	// nil until it is used.
	LastUsedOn *time.Time `json:"last_used_on,omitempty"`
	// ValueSince is when the current value was minted by a create or a
	// roll, from which it takes the propagation delay to reach AI Search
	// (WithPropagationDelay); zero for a seeded value, known at once.
	ValueSince time.Time `json:"value_since,omitzero"`
}

func apiTokenKey(r *apiTokenRecord) (owner, id string) { return r.Owner, r.ID }

// revokedValue is a row of the revoked_values table: a value that must
// never authenticate again, and why. Every delete revokes the token's
// value, so these rows are also the record of deleted token ids.
type revokedValue struct {
	SHA256  []byte `json:"sha256"`
	TokenID string `json:"token_id"`
	Reason  string `json:"reason"` // reasonRolled or reasonDeleted
}

const (
	reasonRolled  = "rolled"
	reasonDeleted = "deleted"
)

func revokedKey(r *revokedValue) (owner, id string) { return "", hex.EncodeToString(r.SHA256) }

type valueKey [sha256.Size]byte

func keyOf(sum []byte) valueKey {
	var k valueKey
	copy(k[:], sum)
	return k
}

// indexAPIToken keeps apiTokenByValue: each live token's value → its id.
func (s *store) indexAPIToken(before, after *apiTokenRecord) {
	if before != nil && s.apiTokenByValue[keyOf(before.ValueSHA256)] == before.ID {
		delete(s.apiTokenByValue, keyOf(before.ValueSHA256))
	}
	if after != nil {
		s.apiTokenByValue[keyOf(after.ValueSHA256)] = after.ID
	}
}

// indexRevoked keeps deletedAPIToken: the ids whose value a delete revoked.
func (s *store) indexRevoked(before, after *revokedValue) {
	if before != nil && before.Reason == reasonDeleted {
		delete(s.deletedAPIToken, before.TokenID)
	}
	if after != nil && after.Reason == reasonDeleted {
		s.deletedAPIToken[after.TokenID] = true
	}
}

// randomHexID is 128 random bits as 32 lowercase hex digits, the shape of
// Cloudflare's token and policy ids.
func randomHexID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// randomValue is a fresh token secret: 240 random bits as 40 characters
// of [A-Za-z0-9_-], the shape of Cloudflare's token values.
func randomValue() string {
	b := make([]byte, 30)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// apiTime is a server-set API token timestamp: UTC, whole seconds, like
// Cloudflare's issued_on and modified_on.
func apiTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// status is what the API shows: "expired" once expires_on has passed,
// whatever the stored status.
func (r *apiTokenRecord) status(now time.Time) generated.APITokenStatus {
	if r.ExpiresOn != nil && !now.Before(*r.ExpiresOn) {
		return generated.Expired
	}
	return r.Status
}

// usable says why the token cannot authenticate at now, or nil.
func (r *apiTokenRecord) usable(now time.Time) error {
	switch {
	case r.status(now) == generated.Expired:
		return ErrAPITokenExpired
	case r.Status != generated.Active:
		return ErrAPITokenDisabled
	case r.NotBefore != nil && now.Before(*r.NotBefore):
		return ErrAPITokenNotYetValid
	}
	return nil
}

// createAPIToken stores r (value hash and timestamps set) with policies
// (resolvePolicies). An r without id gets a fresh one, after the policies
// got theirs: a deterministic source replayed over a state file starts
// over, so ids in use are skipped. When the policies or errs (the caller's
// other checks, reported after them) have errors, nothing is stored and
// they are returned. An id that is or was in use, or a value that is or
// was, is ErrExists.
func (s *store) createAPIToken(tx *tx, r apiTokenRecord, policies []generated.Policy, errs []generated.ValidationError) (apiTokenRecord, []generated.ValidationError, error) {
	resolved, perrs := s.resolvePolicies(tx, policies, nil)
	if errs = append(perrs, errs...); len(errs) > 0 {
		return apiTokenRecord{}, errs, nil
	}
	r.Policies = resolved
	used := func(id string) bool {
		_, live := s.apiTokens.lookup(tx, id)
		return live || s.deletedAPIToken[id]
	}
	for r.ID == "" {
		if id := s.newHexID(); !used(id) {
			r.ID = id
		}
	}
	_, valueUsed := s.apiTokenByValue[keyOf(r.ValueSHA256)]
	switch {
	case used(r.ID):
		return apiTokenRecord{}, nil, fmt.Errorf("%w: API token id %s", ErrExists, r.ID)
	case valueUsed || s.isRevoked(tx, r.ValueSHA256):
		return apiTokenRecord{}, nil, fmt.Errorf("%w: that value is (or was) another API token's", ErrExists)
	}
	s.apiTokens.put(tx, r)
	return r, nil, nil
}

// ownedAPIToken is the owner's token id (ErrNotFound for another owner's).
func (s *store) ownedAPIToken(tx *tx, owner, id string) (apiTokenRecord, error) {
	if r, ok := s.apiTokens.get(tx, owner, id); ok {
		return r, nil
	}
	return apiTokenRecord{}, ErrNotFound
}

// replaceAPIToken stores next in place of prev; when the value changed,
// the old one is revoked in the same transaction.
func (s *store) replaceAPIToken(tx *tx, prev, next apiTokenRecord) {
	s.apiTokens.put(tx, next)
	if !bytes.Equal(next.ValueSHA256, prev.ValueSHA256) {
		s.revoked.put(tx, revokedValue{SHA256: prev.ValueSHA256, TokenID: prev.ID, Reason: reasonRolled})
	}
}

// deleteAPIToken removes the owner's token and revokes its value, in one
// transaction.
func (s *store) deleteAPIToken(tx *tx, owner, id string) error {
	r, err := s.ownedAPIToken(tx, owner, id)
	if err != nil {
		return err
	}
	s.apiTokens.delete(tx, owner, id)
	s.revoked.put(tx, revokedValue{SHA256: r.ValueSHA256, TokenID: id, Reason: reasonDeleted})
	return nil
}

// apiTokensOf returns the owner's tokens by issued_on, then id.
func (s *store) apiTokensOf(tx *tx, owner string) []apiTokenRecord {
	out := s.apiTokens.list(tx, owner)
	slices.SortFunc(out, func(a, b apiTokenRecord) int {
		return cmp.Or(a.IssuedOn.Compare(b.IssuedOn), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// valueKind is what a bearer value is to the emulator.
type valueKind int

const (
	valueUnknown valueKind = iota // not one the emulator issued
	valueIssued                   // the current value of a live token
	valueRevoked                  // rolled or deleted: never valid again
)

// lookupValue classifies a bearer value, returning the token it belongs to
// when it is an issued one.
func (s *store) lookupValue(tx *tx, value string) (apiTokenRecord, valueKind) {
	sum := hashKey(value)
	if id, ok := s.apiTokenByValue[keyOf(sum)]; ok {
		r, _ := s.apiTokens.lookup(tx, id)
		return r, valueIssued
	}
	if s.isRevoked(tx, sum) {
		return apiTokenRecord{}, valueRevoked
	}
	return apiTokenRecord{}, valueUnknown
}

// revocation returns why the value with this hash was revoked, if it was.
func (s *store) revocation(tx *tx, sum []byte) (revokedValue, bool) {
	return s.revoked.get(tx, "", hex.EncodeToString(sum))
}

func (s *store) isRevoked(tx *tx, sum []byte) bool {
	_, ok := s.revocation(tx, sum)
	return ok
}

// resolvePolicies checks policies against the catalogue and fills in what
// the server sets: each policy's id (kept when it names one of current, the
// token's policies before an update) and each permission group's name.
// Every unknown group is an error naming its path.
func (s *store) resolvePolicies(tx *tx, in, current []generated.Policy) ([]generated.Policy, []generated.ValidationError) {
	out := make([]generated.Policy, 0, len(in))
	var errs []generated.ValidationError
	for i, p := range in {
		at := []string{"body", "policies", strconv.Itoa(i)}
		if !p.Effect.Valid() {
			errs = append(errs, validationError(append(slices.Clone(at), "effect"), "must be allow or deny"))
		}
		if !slices.ContainsFunc(current, func(c generated.Policy) bool { return p.ID != "" && c.ID == p.ID }) {
			p.ID = s.newHexID()
		}
		groups := make([]generated.PolicyPermissionGroup, 0, len(p.PermissionGroups))
		for j, pg := range p.PermissionGroups {
			g, ok := s.group(tx, pg.ID)
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
