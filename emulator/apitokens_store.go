package emulator

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// UserOwner, passed where an account id is asked for, means the tokens of
// the emulator's one user (/user/tokens). Every configured credential (and,
// with open auth, any credential) acts as that user.
const UserOwner = ""

// anyOwner matches a token whoever owns it (the inspection helpers; token
// ids are unique across owners).
const anyOwner = "\x00any"

// apiTokenRecord is a stored Cloudflare API token. Its value is kept only as
// a SHA-256. Policies and Condition are replaced wholesale, never modified
// in place, so copies of a record may share them.
type apiTokenRecord struct {
	ID          string                       `json:"id"`
	Account     string                       `json:"account,omitempty"` // owning account; UserOwner for the user's
	Name        string                       `json:"name"`
	Status      generated.APITokenStatus     `json:"status"` // active or disabled; "expired" is computed
	ValueSHA256 []byte                       `json:"value_sha256"`
	IssuedOn    time.Time                    `json:"issued_on"`
	ModifiedOn  time.Time                    `json:"modified_on"`
	ExpiresOn   *time.Time                   `json:"expires_on,omitempty"`
	NotBefore   *time.Time                   `json:"not_before,omitempty"`
	Condition   *generated.APITokenCondition `json:"condition,omitempty"`
	Policies    []generated.Policy           `json:"policies"`

	// ipIn and ipNotIn are Condition's request_ip ranges, parsed where the
	// record is stored (applyAPIToken).
	ipIn, ipNotIn []netip.Prefix
}

// revokedValue is a value that must never authenticate again, and why.
type revokedValue struct {
	SHA256  []byte `json:"sha256"`
	TokenID string `json:"token_id"`
	Reason  string `json:"reason"` // reasonRolled or reasonDeleted
}

const (
	reasonRolled  = "rolled"
	reasonDeleted = "deleted"
)

// apiTokenEntry is one change to the API token state, journalled as one
// state-file line, so that a delete and the revocation of its value (or a
// roll and the revocation of the old value) are durable together.
type apiTokenEntry struct {
	Token   *apiTokenRecord  `json:"token,omitempty"`   // create, update or roll
	Delete  string           `json:"delete,omitempty"`  // id of a deleted token
	Revoked *revokedValue    `json:"revoked,omitempty"` // a value revoked by this change
	Group   *PermissionGroup `json:"group,omitempty"`   // a seeded catalogue entry
}

type valueKey [sha256.Size]byte

func keyOf(sum []byte) valueKey {
	var k valueKey
	copy(k[:], sum)
	return k
}

// apiTokenState is the API token half of the store, guarded by store.mu.
type apiTokenState struct {
	tokens  map[string]*apiTokenRecord // live tokens by id, every owner
	byValue map[valueKey]string        // current value hash → token id
	revoked map[valueKey]revokedValue
	deleted map[string]bool            // ids of deleted tokens: never reused
	builtin map[string]PermissionGroup // DefaultPermissionGroups and WithPermissionGroups
	seeded  map[string]PermissionGroup // SeedPermissionGroups and seed files: persisted
	// newID makes token and policy ids (32 lowercase hex digits); the one
	// source of them, so it can be made deterministic.
	newID func() string
}

// newAPITokenState is an empty API token state taking ids from newID, its
// built-in catalogue DefaultPermissionGroups then groups
// (WithPermissionGroups: one with a default's id replaces it).
func newAPITokenState(newID func() string, groups []PermissionGroup) *apiTokenState {
	st := &apiTokenState{
		tokens: map[string]*apiTokenRecord{}, byValue: map[valueKey]string{},
		revoked: map[valueKey]revokedValue{}, deleted: map[string]bool{},
		builtin: map[string]PermissionGroup{}, seeded: map[string]PermissionGroup{},
		newID: newID,
	}
	for _, g := range DefaultPermissionGroups() {
		st.builtin[g.ID] = g
	}
	for _, g := range groups {
		st.builtin[g.ID] = g.clone()
	}
	return st
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

// journalAPI persists e, then applies it. Called with mu held.
func (s *store) journalAPI(e apiTokenEntry) error {
	if err := s.journal.apiToken(e); err != nil {
		return fmt.Errorf("%w: %v", errDurable, err)
	}
	s.applyAPIToken(e)
	return nil
}

// applyAPIToken applies one change; replaying the state file goes through
// here too. Called with mu held (or before the store is shared).
func (s *store) applyAPIToken(e apiTokenEntry) {
	st := s.apiTokens
	if g := e.Group; g != nil {
		st.seeded[g.ID] = g.clone()
	}
	if rv := e.Revoked; rv != nil {
		st.revoked[keyOf(rv.SHA256)] = *rv
		if rv.Reason == reasonDeleted { // a compacted log knows deletions by their revocation
			st.deleted[rv.TokenID] = true
		}
	}
	if id := e.Delete; id != "" {
		if r := st.tokens[id]; r != nil {
			delete(st.byValue, keyOf(r.ValueSHA256))
			delete(st.tokens, id)
		}
		st.deleted[id] = true
	}
	if r := e.Token; r != nil {
		if old := st.tokens[r.ID]; old != nil {
			delete(st.byValue, keyOf(old.ValueSHA256))
		}
		c := *r
		c.ValueSHA256 = slices.Clone(r.ValueSHA256)
		c.ipIn, c.ipNotIn = requestIPRanges(c.Condition)
		st.tokens[r.ID] = &c
		st.byValue[keyOf(c.ValueSHA256)] = r.ID
	}
}

// apiTokenEntries is the API token state as journal entries, for
// compaction: seeded groups, revocations, then live tokens. Called with mu
// held.
func (s *store) apiTokenEntries() []apiTokenEntry {
	st := s.apiTokens
	var out []apiTokenEntry
	for _, id := range slices.Sorted(maps.Keys(st.seeded)) {
		g := st.seeded[id]
		out = append(out, apiTokenEntry{Group: &g})
	}
	// Every delete revoked a value, so the revocations carry the deletions.
	revs := slices.SortedFunc(maps.Values(st.revoked), func(a, b revokedValue) int { return bytes.Compare(a.SHA256, b.SHA256) })
	for _, rv := range revs {
		out = append(out, apiTokenEntry{Revoked: &rv})
	}
	for _, r := range sortedRecords(st.tokens, func(*apiTokenRecord) bool { return true }) {
		out = append(out, apiTokenEntry{Token: &r})
	}
	return out
}

// apiTokenLive counts the entries compaction would write.
func (s *store) apiTokenLive() int {
	st := s.apiTokens
	return len(st.seeded) + len(st.revoked) + len(st.tokens)
}

// sortedRecords copies the records keep selects, by issued_on then id.
func sortedRecords(m map[string]*apiTokenRecord, keep func(*apiTokenRecord) bool) []apiTokenRecord {
	out := []apiTokenRecord{}
	for _, r := range m {
		if keep(r) {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b apiTokenRecord) int {
		return cmp.Or(a.IssuedOn.Compare(b.IssuedOn), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func owns(owner string, r *apiTokenRecord) bool { return owner == anyOwner || r.Account == owner }

// createAPIToken stores r (value hash and timestamps set) with policies
// (resolvePolicies) and returns it, under one lock. An r without id gets a
// fresh one, after the policies got theirs: a deterministic source
// replayed over a state file starts over, so ids in use are skipped. When
// the policies or errs (the caller's other checks, reported after them)
// have errors, nothing is stored. An id that is or was in use, or a value
// that is or was, is ErrExists.
func (s *store) createAPIToken(r apiTokenRecord, policies []generated.Policy, errs []generated.ValidationError) (apiTokenRecord, []generated.ValidationError, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resolved, perrs := s.resolvePolicies(policies, nil)
	if errs = append(perrs, errs...); len(errs) > 0 {
		return apiTokenRecord{}, errs, nil
	}
	r.Policies = resolved
	st := s.apiTokens
	for r.ID == "" {
		if id := st.newID(); st.tokens[id] == nil && !st.deleted[id] {
			r.ID = id
		}
	}
	k := keyOf(r.ValueSHA256)
	_, valueUsed := st.byValue[k]
	_, valueRevoked := st.revoked[k]
	switch {
	case st.tokens[r.ID] != nil || st.deleted[r.ID]:
		return apiTokenRecord{}, nil, fmt.Errorf("%w: API token id %s", ErrExists, r.ID)
	case valueUsed || valueRevoked:
		return apiTokenRecord{}, nil, fmt.Errorf("%w: that value is (or was) another API token's", ErrExists)
	}
	return r, nil, s.journalAPI(apiTokenEntry{Token: &r})
}

func (s *store) getAPIToken(owner, id string) (apiTokenRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.apiTokens.tokens[id]
	if r == nil || !owns(owner, r) {
		return apiTokenRecord{}, ErrNotFound
	}
	return *r, nil
}

// listAPITokens returns the owner's tokens by issued_on, then id.
func (s *store) listAPITokens(owner string) []apiTokenRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sortedRecords(s.apiTokens.tokens, func(r *apiTokenRecord) bool { return owns(owner, r) })
}

// updateAPIToken applies fn to a copy of the token and stores it. When fn
// changed the value, the old one is revoked in the same journal entry.
func (s *store) updateAPIToken(owner, id string, fn func(*apiTokenRecord) error) (apiTokenRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.apiTokens.tokens[id]
	if cur == nil || !owns(owner, cur) {
		return apiTokenRecord{}, ErrNotFound
	}
	next := *cur
	if err := fn(&next); err != nil {
		return apiTokenRecord{}, err
	}
	e := apiTokenEntry{Token: &next}
	if !bytes.Equal(next.ValueSHA256, cur.ValueSHA256) {
		e.Revoked = &revokedValue{SHA256: slices.Clone(cur.ValueSHA256), TokenID: id, Reason: reasonRolled}
	}
	if err := s.journalAPI(e); err != nil {
		return apiTokenRecord{}, err
	}
	return next, nil
}

// deleteAPIToken removes the token and revokes its value.
func (s *store) deleteAPIToken(owner, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.apiTokens.tokens[id]
	if r == nil || !owns(owner, r) {
		return ErrNotFound
	}
	return s.journalAPI(apiTokenEntry{Delete: id, Revoked: &revokedValue{SHA256: slices.Clone(r.ValueSHA256), TokenID: id, Reason: reasonDeleted}})
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
func (s *store) lookupValue(value string) (apiTokenRecord, valueKind) {
	k := keyOf(hashKey(value))
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.apiTokens
	if id, ok := st.byValue[k]; ok {
		return *st.tokens[id], valueIssued
	}
	if _, ok := st.revoked[k]; ok {
		return apiTokenRecord{}, valueRevoked
	}
	return apiTokenRecord{}, valueUnknown
}
