package emulator

import (
	"encoding/json"
	"iter"
)

// change is one row stored or deleted: the one journal entry shape of
// every table. A transaction's changes are written together, as one
// state-file line, so they are durable together or not at all.
type change struct {
	Table   string `json:"table"`
	Owner   string `json:"owner,omitempty"`
	ID      string `json:"id"`
	Row     any    `json:"row,omitempty"`     // the row stored (encoded with its table's JSON tags)
	Deleted bool   `json:"deleted,omitempty"` // or: the row was deleted
}

// storedChange is a change read back from the journal, its row still JSON
// for its table to decode.
type storedChange struct {
	Table   string          `json:"table"`
	Owner   string          `json:"owner,omitempty"`
	ID      string          `json:"id"`
	Row     json.RawMessage `json:"row,omitempty"`
	Deleted bool            `json:"deleted,omitempty"`
}

// journal persists committed transactions. The store calls it under its
// lock: append before a transaction counts as done (a failed append undoes
// it), compact with every row when wantsCompaction says the log has grown.
type journal interface {
	append(tx []change) error
	wantsCompaction(rows int) bool
	compact(rows iter.Seq[change]) error
	close() error
}

// memJournal is the journal of a store without a state file.
type memJournal struct{}

func (memJournal) append([]change) error          { return nil }
func (memJournal) wantsCompaction(int) bool       { return false }
func (memJournal) compact(iter.Seq[change]) error { return nil }
func (memJournal) close() error                   { return nil }
