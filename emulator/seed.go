package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/go-aisearch/tokens/internal/safefile"
)

// SeedFile is the --seed format: accounts with their AI Search
// registrations ("tokens") and Cloudflare API tokens ("api_tokens"), the
// user's API tokens, and permission groups for the catalogue.
//
//	{"accounts": {"<account_id>": {
//	   "tokens": [{"id": "<uuid>", "name": "...", "cf_api_id": "...",
//	     "cf_api_key": "...", "legacy": true, "enabled": true,
//	     "created_at": "<RFC 3339>", "in_use_by": ["<instance name>"]}],
//	   "api_tokens": [<API token>],
//	   "namespaces": [{"name": "...", "description": "...", "created_at": "<RFC 3339>"}],
//	   "instances": [{"namespace": "default", "id": "...", "type": "r2",
//	     "source": "<bucket>", "token_id": "<uuid>", "paused": false,
//	     "created_at": "<RFC 3339>", "settings": {<create body fields>}}],
//	   "jobs": [{"namespace": "default", "instance": "...", "id": "...",
//	     "source": "user", "description": "...", "started_at": "<RFC 3339>",
//	     "ended_at": "<RFC 3339>", "end_reason": "..."}]}},
//	 "user": {"api_tokens": [<API token>]},
//	 "permission_groups": [{"id": "<32 hex>", "name": "...",
//	   "category": "developer_platform", "scopes": ["com.cloudflare.api.account"]}]}
//
//	<API token>: {"id": "<32 hex>", "name": "...", "value": "<secret>",
//	  "status": "active", "issued_on": "<RFC 3339>", "expires_on": "<RFC 3339>",
//	  "not_before": "<RFC 3339>", "condition": {"request_ip": {"in": ["<CIDR>"]}},
//	  "policies": [{"effect": "allow", "permission_groups": [{"id": "<32 hex>"}],
//	    "resources": {"com.cloudflare.api.account.<account_id>": "*"}}]}
//
// A registration needs id, name, cf_api_id and cf_api_key; an API token id,
// name and value (kept as its SHA-256 only; an account's API tokens need a
// 32-character account id); a permission group id and name; a namespace a
// name; an instance an id (SeedInstance); a job its instance (SeedJob). Permission
// groups load first, so tokens may use them. testdata/seed.example.json is
// a complete example.
type SeedFile struct {
	Accounts         map[string]SeedAccount `json:"accounts"`
	User             SeedUser               `json:"user,omitzero"`               // the user's Cloudflare API tokens
	PermissionGroups []PermissionGroup      `json:"permission_groups,omitempty"` // added to the catalogue
}

// SeedAccount is one account of a SeedFile: AI Search registrations,
// Cloudflare API tokens, and AI Search namespaces, instances (which name
// registrations as token_id) and indexing jobs, loaded in that order.
type SeedAccount struct {
	Tokens     []SeedToken     `json:"tokens"`
	APITokens  []SeedAPIToken  `json:"api_tokens,omitempty"`
	Namespaces []SeedNamespace `json:"namespaces,omitempty"`
	Instances  []SeedInstance  `json:"instances,omitempty"`
	Jobs       []SeedJob       `json:"jobs,omitempty"`
}

// SeedToken is a token to preload.
type SeedToken struct {
	ID        string    `json:"id"`                  // required: a lowercase uuid
	Name      string    `json:"name"`                // required
	CfAPIID   string    `json:"cf_api_id"`           // required
	CfAPIKey  string    `json:"cf_api_key"`          // required; stored as its SHA-256 only
	Legacy    *bool     `json:"legacy,omitempty"`    // default true
	Enabled   *bool     `json:"enabled,omitempty"`   // default true
	CreatedAt time.Time `json:"created_at,omitzero"` // default now; also the modified_at
	InUseBy   []string  `json:"in_use_by,omitempty"` // instances (namespace default) using it: delete gets 409
}

// MaxSeedFileSize bounds a seed file: tens of thousands of tokens.
const MaxSeedFileSize = 16 << 20

// ReadSeedFile reads and checks a seed file: a regular file (not a FIFO
// or a device) of at most MaxSeedFileSize. Unknown fields are errors, so a
// typo does not silently drop data.
func ReadSeedFile(path string) (*SeedFile, error) {
	data, err := safefile.ReadFile(path, MaxSeedFileSize)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return ParseSeed(data)
}

// ParseSeed decodes and checks seed JSON.
func ParseSeed(data []byte) (*SeedFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f SeedFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("seed: trailing data after the JSON object")
	}
	if err := f.checkAPITokens(); err != nil {
		return nil, err
	}
	for _, acc := range f.accountIDs() {
		if acc == "" {
			return nil, errors.New("seed: empty account id")
		}
		seen := map[string]bool{}
		for i, t := range f.Accounts[acc].Tokens {
			if err := t.check(); err != nil {
				return nil, fmt.Errorf("seed: account %s token %d: %w", acc, i, err)
			}
			if seen[t.ID] {
				return nil, fmt.Errorf("seed: account %s token %d: duplicate id %s", acc, i, t.ID)
			}
			seen[t.ID] = true
		}
		if err := f.Accounts[acc].checkAISearch(); err != nil {
			return nil, fmt.Errorf("seed: account %s: %w", acc, err)
		}
	}
	return &f, nil
}

func (f *SeedFile) accountIDs() []string {
	ids := make([]string, 0, len(f.Accounts))
	for id := range f.Accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// check validates t without ever quoting its secret.
func (t SeedToken) check() error {
	u, err := uuid.Parse(t.ID)
	switch {
	case err != nil || u.String() != t.ID:
		return fmt.Errorf("%w: id %q is not a lowercase uuid", ErrInvalid, t.ID)
	case t.Name == "":
		return fmt.Errorf("%w: name is required", ErrInvalid)
	case t.CfAPIID == "":
		return fmt.Errorf("%w: cf_api_id is required", ErrInvalid)
	case t.CfAPIKey == "":
		return fmt.Errorf("%w: cf_api_key is required", ErrInvalid)
	case slices.Contains(t.InUseBy, ""):
		return fmt.Errorf("%w: in_use_by has an empty instance name", ErrInvalid)
	}
	return nil
}

// SeedFrom loads every account of f, in sorted account order and file order
// within an account, in one transaction: all of it or, on an error, none
// (with a state file, one write).
func (s *Server) SeedFrom(f *SeedFile) error {
	return s.store.update(func(tx *tx) error {
		in := within(tx)
		if err := s.seedAPITokensFrom(in, f); err != nil {
			return err
		}
		for _, acc := range f.accountIDs() {
			if err := s.seedAccount(in, acc, f.Accounts[acc]); err != nil {
				return err
			}
		}
		return nil
	})
}

// txRunner runs fn in a transaction: store.update for one of its own
// (the Seed methods: one a row, so that the rows before an error stay), or
// within one already open (SeedFrom's, for a whole file at once).
type txRunner func(fn func(*tx) error) error

// within runs fn in tx.
func within(t *tx) txRunner { return func(fn func(*tx) error) error { return fn(t) } }

// Seed adds registrations to an account, in order, with the instances
// their in_use_by names (see MarkInUse). A registration whose id exists in
// the account is an error (ErrExists); the ones before it stay.
func (s *Server) Seed(accountID string, tokens ...SeedToken) error {
	return s.seed(s.store.update, accountID, tokens)
}

func (s *Server) seed(update txRunner, accountID string, tokens []SeedToken) error {
	if accountID == "" {
		return errors.New("emulator: Seed: empty account id")
	}
	for i, t := range tokens {
		if err := t.check(); err != nil {
			return fmt.Errorf("emulator: Seed %s token %d: %w", accountID, i, err)
		}
		now := s.seedTime(t.CreatedAt)
		r := registration{
			Account: accountID, ID: t.ID, Name: t.Name, CfAPIID: t.CfAPIID, KeySHA256: hashKey(t.CfAPIKey),
			Legacy: t.Legacy == nil || *t.Legacy, Enabled: t.Enabled == nil || *t.Enabled,
			CreatedAt: now, ModifiedAt: now,
		}
		err := update(func(tx *tx) error {
			if _, err := s.store.createRegistration(tx, r); err != nil {
				return err
			}
			return s.store.markInUse(tx, accountID, r.ID, t.InUseBy, now)
		})
		if err != nil {
			return fmt.Errorf("emulator: Seed %s token %s: %w", accountID, t.ID, err)
		}
	}
	return nil
}

// LogValue summarises f for a log line (slog.LogValuer): how many
// accounts, registrations, Cloudflare API tokens (the user's and the
// accounts') and permission groups it holds; never a token or a value.
// Logged under an empty key (slog.Any("", f)) the counts are top-level.
func (f *SeedFile) LogValue() slog.Value {
	regs, apiTokens := 0, len(f.User.APITokens)
	for _, a := range f.Accounts {
		regs += len(a.Tokens)
		apiTokens += len(a.APITokens)
	}
	return slog.GroupValue(slog.Int("accounts", len(f.Accounts)), slog.Int("registrations", regs),
		slog.Int("api_tokens", apiTokens), slog.Int("permission_groups", len(f.PermissionGroups)))
}

// Empty reports whether the store holds no token at all: no AI Search
// registration and no live Cloudflare API token.
func (s *Server) Empty() bool {
	empty := false
	s.store.view(func(tx *tx) { empty = s.store.registrations.len(tx) == 0 && s.store.apiTokens.len(tx) == 0 })
	return empty
}
