package emulator

import (
	"fmt"
	"slices"
	"time"
)

// AI Search instances, as far as the tokens API needs them: an instance
// names the registration it uses (token_id), and a registration that any
// instance names cannot be deleted. Nothing stores that a registration is
// in use: it is read from this table (instancesUsing).

// defaultNamespace is the namespace every account has.
const defaultNamespace = "default"

// instance is a row of the instances table.
type instance struct {
	Account   string    `json:"account"`
	Namespace string    `json:"namespace"`
	ID        string    `json:"id"` // unique within the namespace
	TokenID   string    `json:"token_id"`
	CreatedAt time.Time `json:"created_at"`
}

// instanceKey files an instance under its account, by namespace and id.
func instanceKey(i *instance) (owner, id string) { return i.Account, i.Namespace + "/" + i.ID }

// instancesUsing returns the ids of the account's instances whose token_id
// is registrationID, in order.
func (s *store) instancesUsing(tx *tx, account, registrationID string) []string {
	var ids []string
	for _, in := range s.instances.rows(tx, account) {
		if in.TokenID == registrationID {
			ids = append(ids, in.ID)
		}
	}
	return ids
}

// markInUse makes names exactly the instances of the account's default
// namespace whose token_id is registrationID: a named instance is created
// (at now) or pointed at it, and one that used it without being named is
// deleted.
func (s *store) markInUse(tx *tx, account, registrationID string, names []string, now time.Time) error {
	if _, ok := s.registrations.get(tx, account, registrationID); !ok {
		return ErrNotFound
	}
	for _, in := range s.instances.list(tx, account) {
		if in.Namespace == defaultNamespace && in.TokenID == registrationID && !slices.Contains(names, in.ID) {
			owner, id := instanceKey(&in)
			s.instances.delete(tx, owner, id)
		}
	}
	for _, name := range names {
		in := instance{Account: account, Namespace: defaultNamespace, ID: name, TokenID: registrationID, CreatedAt: now}
		owner, id := instanceKey(&in)
		if cur, ok := s.instances.get(tx, owner, id); ok {
			in.CreatedAt = cur.CreatedAt
		}
		s.instances.put(tx, in)
	}
	return nil
}

func checkInstanceNames(names []string) error {
	if slices.Contains(names, "") {
		return fmt.Errorf("%w: empty instance name", ErrInvalid)
	}
	return nil
}

// MarkInUse makes instances exactly the AI Search instances (in namespace
// default) that use a registration, as an instance's token_id does: it
// creates each named instance that does not exist, points it at tokenID,
// and deletes the instances that used tokenID but are not named. While any
// instance uses it, deleting the registration gets 409; no instances
// releases it.
func (s *Server) MarkInUse(accountID, tokenID string, instances ...string) error {
	err := checkInstanceNames(instances)
	if err == nil {
		now := s.cfg.clock().UTC().Truncate(time.Millisecond)
		err = s.store.update(func(tx *tx) error { return s.store.markInUse(tx, accountID, tokenID, instances, now) })
	}
	if err != nil {
		return fmt.Errorf("emulator: MarkInUse %s: %w", tokenID, err)
	}
	return nil
}

// Instance is a stored AI Search instance as tests inspect it.
type Instance struct {
	AccountID string
	Namespace string // "default"
	ID        string
	TokenID   string // the registration it uses
	CreatedAt time.Time
}

// Instances returns the account's instances, in creation order (empty,
// not nil, for none).
func (s *Server) Instances(accountID string) []Instance {
	out := []Instance{}
	s.store.view(func(tx *tx) {
		for _, in := range s.store.instances.rows(tx, accountID) {
			out = append(out, Instance{AccountID: in.Account, Namespace: in.Namespace, ID: in.ID, TokenID: in.TokenID, CreatedAt: in.CreatedAt})
		}
	})
	return out
}
