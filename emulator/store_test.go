package emulator

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// A transaction that fails leaves every table as it found it: rows,
// their order (a deleted row comes back in its place) and the indexes
// derived from them.
func TestFailedTransactionUndoesEverything(t *testing.T) {
	t.Parallel()
	s := newStore(nil, nil, nil)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tok := apiTokenRecord{ID: "a1", Owner: UserOwner, Name: "tok", Status: "active", ValueSHA256: hashKey("v"), IssuedOn: at}
	err := s.update(func(tx *tx) error {
		for _, id := range []string{"r1", "r2", "r3"} {
			s.registrations.put(tx, registration{Account: "acc", ID: id, Name: id})
		}
		s.apiTokens.put(tx, tok)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		ids    []string
		names  []string
		byVal  string
		gone   bool
		tokens int
	}
	read := func() state {
		var st state
		s.view(func(tx *tx) {
			for id, r := range s.registrations.rows(tx, "acc") {
				st.ids, st.names = append(st.ids, id), append(st.names, r.Name)
			}
			st.byVal, st.gone, st.tokens = s.apiTokenByValue[keyOf(hashKey("v"))], s.deletedAPIToken["a1"], s.apiTokens.len(tx)
		})
		return st
	}
	before := read()

	boom := errors.New("boom")
	err = s.update(func(tx *tx) error {
		s.registrations.delete(tx, "acc", "r2")
		r1, _ := s.registrations.get(tx, "acc", "r1")
		r1.Name = "renamed"
		s.registrations.put(tx, r1)
		s.registrations.put(tx, registration{Account: "acc", ID: "r4"})
		s.registrations.put(tx, registration{Account: "new", ID: "r5"})
		if err := s.deleteAPIToken(tx, UserOwner, "a1"); err != nil {
			return err
		}
		if !s.deletedAPIToken["a1"] {
			t.Error("inside the transaction the delete is not visible")
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v", err)
	}
	after := read()
	if !slices.Equal(after.ids, before.ids) || !slices.Equal(after.names, before.names) || after.byVal != before.byVal || after.gone || after.tokens != 1 {
		t.Errorf("after a failed transaction %+v, before %+v", after, before)
	}
	s.view(func(tx *tx) {
		if n := s.registrations.len(tx); n != 3 || len(s.registrations.list(tx, "new")) != 0 {
			t.Errorf("%d registrations, or an owner made by the failed transaction", n)
		}
		if _, ok := s.apiTokens.lookup(tx, "a1"); !ok {
			t.Error("the deleted API token is not back in the id index")
		}
	})
}
