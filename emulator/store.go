package emulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Sentinel errors of the store; the handlers map them to statuses.
var (
	ErrNotFound = errors.New("token not found")                 // 404
	ErrInUse    = errors.New("token in use by instances")       // 409
	ErrExists   = errors.New("a token with this id exists")     // seeding only
	ErrInvalid  = errors.New("invalid token")                   // seeding only
	errDurable  = errors.New("state file: write not persisted") // 500
)

// record is a stored token. The secret is kept only as its SHA-256, so a
// dump of the store or the state file never holds a usable key.
type record struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	CfAPIID    string    `json:"cf_api_id"`
	KeySHA256  []byte    `json:"cf_api_key_sha256"`
	Legacy     bool      `json:"legacy"`
	Enabled    bool      `json:"enabled"`
	CreatedAt  time.Time `json:"created_at"`
	ModifiedAt time.Time `json:"modified_at"`
	InUseBy    []string  `json:"in_use_by,omitempty"`

	// cachedJSON is the token as the API shows it (encoded r.api()), made
	// when the stored record is written (put) or first read after a replay,
	// and kept until it changes: every change stores a clone, and clones
	// start without it. Never modified
	// in place, so readers may keep it after the lock is released.
	cachedJSON []byte
}

func hashKey(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}

// account holds one account's tokens in creation order.
type account struct {
	byID  map[string]*record
	order []string
}

// journal persists every change before the store applies it; the in-memory
// store uses a no-op one.
type journal interface {
	put(accountID string, r *record) error
	del(accountID, id string) error
	apiToken(e apiTokenEntry) error // a Cloudflare API token change (apitokens_state.go)
}

type memJournal struct{}

func (memJournal) put(string, *record) error { return nil }
func (memJournal) del(string, string) error  { return nil }

// store is the emulator's state: accounts → tokens. One mutex guards it,
// held across the journal write so the log order is the apply order and a
// change is visible only once it is durable.
type store struct {
	mu        sync.Mutex
	accounts  map[string]*account
	apiTokens *apiTokenState // the Cloudflare API tokens
	journal   journal
	newID     func() string // registration ids (uuid v4s)
}

// newStore is an empty store drawing its ids from ids (nil: random ones),
// with groups added to the permission group catalogue.
func newStore(ids *idSource, groups []PermissionGroup) *store {
	return &store{
		accounts: map[string]*account{}, apiTokens: newAPITokenState(ids.nextHex, groups),
		journal: memJournal{}, newID: ids.next,
	}
}

// page is one page of a list: each token as the API shows it.
type page struct {
	Tokens [][]byte
	Total  int
}

func (s *store) list(accountID, search string, pageNo, perPage int) page {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := page{Tokens: [][]byte{}}
	a := s.accounts[accountID]
	if a == nil {
		return out
	}
	needle := strings.ToLower(search)
	skip := offset(pageNo, perPage)
	for _, id := range a.order {
		r := a.byID[id]
		if needle != "" && !strings.Contains(strings.ToLower(r.Name), needle) {
			continue
		}
		out.Total++
		if out.Total > skip && len(out.Tokens) < perPage {
			out.Tokens = append(out.Tokens, r.apiJSON())
		}
	}
	return out
}

// offset is (page-1)*perPage, saturating instead of overflowing when
// validation is off and a client sends a huge page number.
func offset(pageNo, perPage int) int {
	if pageNo < 1 || perPage < 1 {
		return 0
	}
	if pageNo-1 > (1<<31)/perPage {
		return 1 << 31
	}
	return (pageNo - 1) * perPage
}

// getJSON returns the token as the API shows it.
func (s *store) getJSON(accountID, id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.find(accountID, id)
	if err != nil {
		return nil, err
	}
	return r.apiJSON(), nil
}

// create stores r (its timestamps set by the caller) and returns its JSON.
// An r without id gets a fresh one; one whose id the account holds is
// ErrExists. A non-nil cred is checked first (checkCredential), under the
// same lock.
func (s *store) create(accountID string, r record, cred *credential) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkCredential(accountID, cred); err != nil {
		return nil, err
	}
	a := s.accounts[accountID]
	taken := func(id string) bool { return a != nil && a.byID[id] != nil }
	if r.ID != "" && taken(r.ID) {
		return nil, ErrExists
	}
	// A random uuid never collides; a deterministic sequence replayed over
	// a state file does, once per id it already handed out.
	for r.ID == "" || taken(r.ID) {
		r.ID = s.newID()
	}
	return s.put(accountID, &r)
}

// replace applies fn to a copy of the token, stores the result and returns
// its JSON. A non-nil cred is checked first (checkCredential), under the
// same lock.
func (s *store) replace(accountID, id string, cred *credential, fn func(*record) error) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkCredential(accountID, cred); err != nil {
		return nil, err
	}
	cur, err := s.find(accountID, id)
	if err != nil {
		return nil, err
	}
	next := cur.clone()
	if err := fn(&next); err != nil {
		return nil, err
	}
	return s.put(accountID, &next)
}

func (s *store) delete(accountID, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.find(accountID, id)
	if err != nil {
		return err
	}
	if len(r.InUseBy) > 0 {
		return fmt.Errorf("%w: %s", ErrInUse, strings.Join(r.InUseBy, ", "))
	}
	if err := s.journal.del(accountID, id); err != nil {
		return fmt.Errorf("%w: %v", errDurable, err)
	}
	s.apply(accountID, nil, id)
	return nil
}

// find must be called with mu held.
func (s *store) find(accountID, id string) (*record, error) {
	if a := s.accounts[accountID]; a != nil {
		if r := a.byID[id]; r != nil {
			return r, nil
		}
	}
	return nil, ErrNotFound
}

// put journals r, then applies it, and returns the stored token's JSON.
// Called with mu held.
func (s *store) put(accountID string, r *record) ([]byte, error) {
	if err := s.journal.put(accountID, r); err != nil {
		return nil, fmt.Errorf("%w: %v", errDurable, err)
	}
	s.apply(accountID, r, "")
	return s.accounts[accountID].byID[r.ID].apiJSON(), nil
}

// apply upserts r, or deletes delID when r is nil. Replaying the journal
// goes through here too, so memory and log agree by construction.
func (s *store) apply(accountID string, r *record, delID string) {
	a := s.accounts[accountID]
	if a == nil {
		if r == nil {
			return
		}
		a = &account{byID: map[string]*record{}}
		s.accounts[accountID] = a
	}
	if r == nil {
		if _, ok := a.byID[delID]; ok {
			delete(a.byID, delID)
			a.order = slices.DeleteFunc(a.order, func(id string) bool { return id == delID })
		}
		return
	}
	if _, ok := a.byID[r.ID]; !ok {
		a.order = append(a.order, r.ID)
	}
	c := r.clone()
	a.byID[r.ID] = &c
}

// tokens returns one account's tokens in creation order. Called with mu held.
func (s *store) tokens(accountID string) []record {
	a := s.accounts[accountID]
	if a == nil {
		return nil
	}
	rs := make([]record, 0, len(a.order))
	for _, id := range a.order {
		rs = append(rs, a.byID[id].clone())
	}
	return rs
}

// snapshot returns every account's tokens in creation order (for compaction
// and inspection).
func (s *store) snapshot() map[string][]record {
	out := make(map[string][]record, len(s.accounts))
	for id := range s.accounts {
		out[id] = s.tokens(id)
	}
	return out
}

func (s *store) keyMatches(accountID, id, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.find(accountID, id)
	return err == nil && subtle.ConstantTimeCompare(r.KeySHA256, hashKey(key)) == 1
}

// clone copies r, without its cached JSON: whatever the copy becomes, its
// JSON is made from its own fields.
func (r record) clone() record {
	r.KeySHA256 = slices.Clone(r.KeySHA256)
	r.InUseBy = slices.Clone(r.InUseBy)
	r.cachedJSON = nil
	return r
}

// apiJSON returns r as the API shows it, encoding it on first use. Called
// with the store's mutex held, on a stored record.
func (r *record) apiJSON() []byte {
	if r.cachedJSON == nil {
		r.cachedJSON = r.encode()
	}
	return r.cachedJSON
}
