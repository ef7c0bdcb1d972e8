package emulator

import (
	"encoding/json"
	"fmt"
	"slices"
)

// The log format before tables (v0): one entry per change, by kind.
//
//	{"op":"put","account":A,"token":{…registration…,"in_use_by":[…]}}
//	{"op":"del","account":A,"id":ID}
//	{"op":"api_token","api_token":{"group":{…},"revoked":{…},"delete":ID,"token":{…}}}
//
// Replay reads such lines into the changes that store the same rows; the
// first compaction rewrites the log in the current format. This file is
// the one place that knows the old kinds.

type v0Entry struct {
	Op       string          `json:"op,omitempty"`
	Account  string          `json:"account,omitempty"`
	Token    json.RawMessage `json:"token,omitempty"`     // put: a registration
	ID       string          `json:"id,omitempty"`        // del
	APIToken *v0APIToken     `json:"api_token,omitempty"` // api_token
}

type v0APIToken struct {
	Token   json.RawMessage  `json:"token,omitempty"`
	Delete  string           `json:"delete,omitempty"`
	Revoked *revokedValue    `json:"revoked,omitempty"`
	Group   *PermissionGroup `json:"group,omitempty"`
}

// v0Reader turns v0 entries into changes. It remembers what the old
// entries implied but did not say (whose API token an id was, which
// instances used which registration), so it reads one log, in order.
type v0Reader struct {
	apiTokenOwner map[string]string    // API token id → owner
	instances     map[[2]string]string // account, instance id → registration id
}

func newV0Reader() *v0Reader {
	return &v0Reader{apiTokenOwner: map[string]string{}, instances: map[[2]string]string{}}
}

func (v *v0Reader) changes(e v0Entry) ([]storedChange, error) {
	switch {
	case e.Op == "put" && e.Token != nil:
		return v.putRegistration(e.Account, e.Token)
	case e.Op == "del":
		return v.deregister(e.Account, e.ID, nil), nil
	case e.Op == "api_token" && e.APIToken != nil:
		return v.apiToken(*e.APIToken)
	}
	return nil, fmt.Errorf("unknown entry %q", e.Op)
}

// putRegistration stores the registration and, for its in_use_by list,
// makes exactly those instances use it.
func (v *v0Reader) putRegistration(account string, raw json.RawMessage) ([]storedChange, error) {
	var old struct {
		registration
		InUseBy []string `json:"in_use_by"`
	}
	if err := json.Unmarshal(raw, &old); err != nil {
		return nil, err
	}
	r := old.registration
	r.Account = account
	out := []storedChange{stored(registrationKey, r)}
	out = append(out, v.deregister(account, "", func(in, reg string) bool { return reg == r.ID && !slices.Contains(old.InUseBy, in) })...)
	for _, name := range old.InUseBy {
		v.instances[[2]string{account, name}] = r.ID
		in := newInstance(account, defaultNamespace, name, r.ModifiedAt)
		in.TokenID = r.ID
		out = append(out, stored(instanceKey, in))
	}
	return out, nil
}

// deregister deletes registration id (when not "") and the instances drop
// selects (the ones that used it, when drop is nil).
func (v *v0Reader) deregister(account, id string, drop func(in, reg string) bool) []storedChange {
	var out []storedChange
	if id != "" {
		out = append(out, storedChange{Table: "registrations", Owner: account, ID: id, Deleted: true})
		drop = func(_, reg string) bool { return reg == id }
	}
	for k, reg := range v.instances {
		if k[0] == account && drop(k[1], reg) {
			delete(v.instances, k)
			owner, key := instanceKey(&instance{Account: account, Namespace: defaultNamespace, ID: k[1]})
			out = append(out, storedChange{Table: "instances", Owner: owner, ID: key, Deleted: true})
		}
	}
	return out
}

// apiToken is one v0 API token change, in the order v0 applied its parts.
func (v *v0Reader) apiToken(e v0APIToken) ([]storedChange, error) {
	var out []storedChange
	if e.Group != nil {
		out = append(out, stored(groupKey, *e.Group))
	}
	if e.Revoked != nil {
		out = append(out, stored(revokedKey, *e.Revoked))
	}
	if owner, ok := v.apiTokenOwner[e.Delete]; ok && e.Delete != "" {
		delete(v.apiTokenOwner, e.Delete)
		out = append(out, storedChange{Table: "api_tokens", Owner: owner, ID: e.Delete, Deleted: true})
	}
	if e.Token != nil {
		var old struct {
			apiTokenRecord
			Account string `json:"account"` // the owner; "" for the user
		}
		if err := json.Unmarshal(e.Token, &old); err != nil {
			return nil, err
		}
		r := old.apiTokenRecord
		r.Owner = old.Account
		if r.Owner == "" {
			r.Owner = UserOwner
		}
		v.apiTokenOwner[r.ID] = r.Owner
		out = append(out, stored(apiTokenKey, r))
	}
	return out, nil
}

// stored is the change that stores row r, as read back from a log.
func stored[R any](key func(*R) (string, string), r R) storedChange {
	owner, id := key(&r)
	row, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("emulator: encoding a %T: %v", r, err)) // rows are plain data
	}
	return storedChange{Table: tableOf(r), Owner: owner, ID: id, Row: row}
}

// tableOf names the table of a v0 row.
func tableOf(r any) string {
	switch r.(type) {
	case registration:
		return "registrations"
	case instance:
		return "instances"
	case PermissionGroup:
		return "permission_groups"
	case revokedValue:
		return "revoked_values"
	case apiTokenRecord:
		return "api_tokens"
	}
	panic(fmt.Sprintf("emulator: no v0 table for %T", r))
}
