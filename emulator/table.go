package emulator

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
)

// table is one resource: rows of type R, each filed under an owner (an
// account id, UserOwner, or "" for what belongs to the whole emulator) and
// an id unique within its owner, and kept per owner in the order they were
// first stored. A row names its own owner and id (key).
//
// Rows are values: a read returns a copy, and a row's slices and maps are
// never changed in place, only replaced, so copies may share them. Every
// method takes the transaction it runs in: a *tx exists only inside
// store.update and store.view, so holding one proves the store's lock is
// held, and only an update's can write.
type table[R any] struct {
	name string // in the state file; never rename one
	key  func(*R) (owner, id string)
	// index, when set, keeps derived data in step with the rows (an index
	// of values, a parsed form of a field): called after every change,
	// with the row before (nil when inserted) and after (nil when removed),
	// for changes made in a transaction, undone and replayed alike.
	index func(before, after *R)

	owners map[string]*ownerRows[R]
	// ownerOf files every id under its owner, for tables whose ids are
	// unique across owners (see withGlobalIDs); nil otherwise.
	ownerOf map[string]string
	n       int
}

type ownerRows[R any] struct {
	byID  map[string]R
	order []string // first-stored order
}

func newTable[R any](name string, key func(*R) (owner, id string)) *table[R] {
	return &table[R]{name: name, key: key, owners: map[string]*ownerRows[R]{}}
}

// withGlobalIDs indexes ids across owners, so lookup finds a row by id
// alone; for tables whose ids are unique across owners, as the functions
// that create their rows make sure.
func (t *table[R]) withGlobalIDs() *table[R] {
	t.ownerOf = map[string]string{}
	return t
}

// get returns the owner's row id.
func (t *table[R]) get(_ *tx, owner, id string) (R, bool) {
	if o := t.owners[owner]; o != nil {
		r, ok := o.byID[id]
		return r, ok
	}
	var zero R
	return zero, false
}

// lookup finds a row by id alone (withGlobalIDs tables).
func (t *table[R]) lookup(tx *tx, id string) (R, bool) {
	owner, ok := t.ownerOf[id]
	if !ok {
		var zero R
		return zero, false
	}
	return t.get(tx, owner, id)
}

// list returns the owner's rows in order (empty, not nil, when none).
func (t *table[R]) list(tx *tx, owner string) []R {
	out := make([]R, 0, t.count(tx, owner))
	for _, r := range t.rows(tx, owner) {
		out = append(out, r)
	}
	return out
}

// rows iterates over the owner's rows in order.
func (t *table[R]) rows(_ *tx, owner string) iter.Seq2[string, R] {
	return func(yield func(string, R) bool) {
		o := t.owners[owner]
		if o == nil {
			return
		}
		for _, id := range o.order {
			if !yield(id, o.byID[id]) {
				return
			}
		}
	}
}

// all iterates over every row: owners sorted, each owner's rows in order.
func (t *table[R]) all(tx *tx) iter.Seq[R] {
	return func(yield func(R) bool) {
		for _, owner := range slices.Sorted(maps.Keys(t.owners)) {
			for _, r := range t.rows(tx, owner) {
				if !yield(r) {
					return
				}
			}
		}
	}
}

// len counts the rows of every owner.
func (t *table[R]) len(*tx) int { return t.n }

// count counts the owner's rows.
func (t *table[R]) count(_ *tx, owner string) int {
	if o := t.owners[owner]; o != nil {
		return len(o.order)
	}
	return 0
}

// put stores r (a new row, or one replacing the row of the same key).
func (t *table[R]) put(tx *tx, r R) {
	tx.mustWrite()
	owner, id := t.key(&r)
	tx.did(change{Table: t.name, Owner: owner, ID: id, Row: r}, t.set(owner, id, r))
}

// delete removes the owner's row id, reporting whether there was one.
func (t *table[R]) delete(tx *tx, owner, id string) bool {
	tx.mustWrite()
	undo, ok := t.unset(owner, id)
	if ok {
		tx.did(change{Table: t.name, Owner: owner, ID: id, Deleted: true}, undo)
	}
	return ok
}

// set stores r under owner and id and returns how to undo it.
func (t *table[R]) set(owner, id string, r R) (undo func()) {
	o := t.owners[owner]
	if o == nil {
		o = &ownerRows[R]{byID: map[string]R{}}
		t.owners[owner] = o
	}
	before, existed := o.byID[id]
	o.byID[id] = r
	if !existed {
		o.order = append(o.order, id)
		t.n++
		if t.ownerOf != nil {
			t.ownerOf[id] = owner
		}
	}
	if t.index != nil {
		if existed {
			t.index(&before, &r)
		} else {
			t.index(nil, &r)
		}
	}
	if existed {
		return func() { t.set(owner, id, before) }
	}
	return func() { t.unset(owner, id) }
}

// unset removes the owner's row id and returns how to undo it.
func (t *table[R]) unset(owner, id string) (undo func(), ok bool) {
	o := t.owners[owner]
	if o == nil {
		return nil, false
	}
	before, ok := o.byID[id]
	if !ok {
		return nil, false
	}
	at := slices.Index(o.order, id)
	delete(o.byID, id)
	o.order = slices.Delete(o.order, at, at+1)
	if len(o.order) == 0 {
		delete(t.owners, owner)
	}
	t.n--
	if t.ownerOf != nil && t.ownerOf[id] == owner {
		delete(t.ownerOf, id)
	}
	if t.index != nil {
		t.index(&before, nil)
	}
	return func() {
		t.set(owner, id, before) // appended: move it back to where it was
		o := t.owners[owner]
		last := len(o.order) - 1
		o.order = slices.Insert(o.order[:last], min(at, last), id)
	}, true
}

// The methods below are what replay and compaction use (journaled): they
// see a table only as a name and rows of JSON.

// load applies a change read back from the journal.
func (t *table[R]) load(_ *tx, c storedChange) error {
	if c.Deleted {
		t.unset(c.Owner, c.ID)
		return nil
	}
	var r R
	if len(c.Row) == 0 {
		return fmt.Errorf("%s %s/%s: no row", t.name, c.Owner, c.ID)
	}
	if err := json.Unmarshal(c.Row, &r); err != nil {
		return fmt.Errorf("%s %s/%s: %w", t.name, c.Owner, c.ID, err)
	}
	if owner, id := t.key(&r); owner != c.Owner || id != c.ID {
		return fmt.Errorf("%s %s/%s: the row is %s/%s", t.name, c.Owner, c.ID, owner, id)
	}
	t.set(c.Owner, c.ID, r)
	return nil
}

// dump yields every row as the change that stores it, in order.
func (t *table[R]) dump(tx *tx, yield func(change) bool) bool {
	for r := range t.all(tx) {
		owner, id := t.key(&r)
		if !yield(change{Table: t.name, Owner: owner, ID: id, Row: r}) {
			return false
		}
	}
	return true
}

// journaled is a table as the store's registry, replay and compaction see
// it, whatever its rows.
type journaled interface {
	len(*tx) int
	load(*tx, storedChange) error
	dump(*tx, func(change) bool) bool
}
