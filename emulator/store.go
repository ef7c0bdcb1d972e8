package emulator

import (
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"sync"
)

// Sentinel errors of the store; the handlers map them to statuses.
var (
	ErrNotFound = errors.New("token not found")                 // 404
	ErrInUse    = errors.New("token in use by instances")       // 409
	ErrExists   = errors.New("a token with this id exists")     // seeding only
	ErrInvalid  = errors.New("invalid token")                   // seeding only
	errDurable  = errors.New("state file: write not persisted") // 500
)

// store is the emulator's state: one table per resource (see the package
// documentation for how to add one), derived indexes kept by the tables'
// index hooks, and the journal that makes changes durable.
//
// run is the one place that takes the lock: update for a transaction that
// writes, view for one that reads. Everything else (handlers, seeding,
// inspection, the state file) goes through them, and a function that needs
// the lock says so by taking a *tx. Transactions do not nest: code given a
// *tx uses it, never update or view (the lock is not reentrant).
type store struct {
	mu      sync.RWMutex
	journal journal
	logger  *slog.Logger
	tables  []journaled // every table, in the order compaction writes them
	byName  map[string]journaled

	registrations *table[registration]    // AI Search token registrations, per account
	instances     *table[instance]        // AI Search instances, per account
	namespaces    *table[namespace]       // AI Search namespaces, per account
	jobs          *table[job]             // AI Search indexing jobs, per account
	apiTokens     *table[apiTokenRecord]  // Cloudflare API tokens, per owner
	revoked       *table[revokedValue]    // API token values that never work again
	groups        *table[PermissionGroup] // permission groups seeded at run time

	// Derived from the tables (their index hooks), never journaled.
	apiTokenByValue map[valueKey]string // a live token's value hash → its id
	deletedAPIToken map[string]bool     // ids of deleted API tokens (from revoked)

	// Configuration, never journaled.
	builtinGroups map[string]PermissionGroup // DefaultPermissionGroups and WithPermissionGroups
	newUUID       func() string              // registration ids
	newHexID      func() string              // API token and policy ids
}

// newStore is an empty store, in memory until attach gives it a journal,
// drawing its ids from ids (nil: random ones), with groups added to the
// built-in permission group catalogue.
func newStore(ids *idSource, groups []PermissionGroup, logger *slog.Logger) *store {
	s := &store{
		journal: memJournal{}, logger: logger, byName: map[string]journaled{},
		apiTokenByValue: map[valueKey]string{}, deletedAPIToken: map[string]bool{},
		builtinGroups: builtinGroups(groups),
		newUUID:       ids.next, newHexID: ids.nextHex,
	}
	s.registrations = register(s, newTable("registrations", registrationKey))
	s.instances = register(s, newTable("instances", instanceKey))
	s.namespaces = register(s, newTable("namespaces", namespaceKey))
	s.jobs = register(s, newTable("jobs", jobKey))
	s.groups = register(s, newTable("permission_groups", groupKey))
	s.revoked = register(s, newTable("revoked_values", revokedKey))
	s.revoked.index = s.indexRevoked
	s.apiTokens = register(s, newTable("api_tokens", apiTokenKey).withGlobalIDs())
	s.apiTokens.index = s.indexAPIToken
	return s
}

func register[R any](s *store, t *table[R]) *table[R] {
	s.tables = append(s.tables, t)
	s.byName[t.name] = t
	return t
}

// tx is one transaction: the changes it made so far (journaled when it
// commits) and how to undo them (when it fails).
type tx struct {
	write   bool
	changes []change
	undo    []func()
}

func (tx *tx) mustWrite() {
	if !tx.write {
		panic("emulator: a write in a read-only transaction")
	}
}

// did records a change applied to a table and how to undo it.
func (tx *tx) did(c change, undo func()) {
	tx.changes = append(tx.changes, c)
	tx.undo = append(tx.undo, undo)
}

func (tx *tx) rollback() {
	for i := len(tx.undo) - 1; i >= 0; i-- {
		tx.undo[i]()
	}
	tx.changes, tx.undo = nil, nil
}

// update runs fn in a transaction that may write. When fn returns an error
// (or panics) its changes are undone; otherwise they are journaled, as one
// entry, before update returns, and undone if that fails (errDurable). The
// lock is held throughout, so no one sees a change before it is durable.
func (s *store) update(fn func(*tx) error) error { return s.run(true, fn) }

// view runs fn in a read-only transaction; views run in parallel.
func (s *store) view(fn func(*tx)) {
	_ = s.run(false, func(tx *tx) error { fn(tx); return nil })
}

// run is the one function that takes the store's lock.
func (s *store) run(write bool, fn func(*tx) error) error {
	if write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	t := &tx{write: write}
	defer func() {
		if p := recover(); p != nil {
			t.rollback()
			panic(p)
		}
	}()
	if err := fn(t); err != nil {
		t.rollback()
		return err
	}
	if len(t.changes) == 0 {
		return nil
	}
	if err := s.journal.append(t.changes); err != nil {
		t.rollback()
		return fmt.Errorf("%w: %v", errDurable, err)
	}
	if s.journal.wantsCompaction(s.rows(t)) {
		if err := s.journal.compact(s.dump(t)); err != nil {
			s.logger.Error("state file: compaction failed; still appending", "err", err)
		}
	}
	return nil
}

// rows counts the rows of every table.
func (s *store) rows(tx *tx) int {
	n := 0
	for _, t := range s.tables {
		n += t.len(tx)
	}
	return n
}

// dump yields every row of every table as the change that stores it.
func (s *store) dump(tx *tx) iter.Seq[change] {
	return func(yield func(change) bool) {
		for _, t := range s.tables {
			if !t.dump(tx, yield) {
				return
			}
		}
	}
}

// attach loads what a journal holds (replay calls load with each change),
// then makes it the store's journal, compacted, at start-up.
func (s *store) attach(j journal, replay func(load func(storedChange) error) error) error {
	return s.run(true, func(tx *tx) error {
		if err := replay(func(c storedChange) error { return s.load(tx, c) }); err != nil {
			return err
		}
		if err := j.compact(s.dump(tx)); err != nil {
			return err
		}
		s.journal = j
		return nil
	})
}

// load applies one change read back from a journal to its table.
func (s *store) load(tx *tx, c storedChange) error {
	t, ok := s.byName[c.Table]
	if !ok {
		return fmt.Errorf("unknown table %q", c.Table)
	}
	return t.load(tx, c)
}

// close closes the journal, waiting for the transaction in progress; a
// state file refuses every change after it.
func (s *store) close() error {
	return s.run(true, func(*tx) error { return s.journal.close() })
}
