package emulator

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/permgroups"
)

// The permission groups an AI Search service token needs (AI Search docs),
// on resource com.cloudflare.api.account.<account_id>.
const (
	AISearchIndexEngineGroupID   = permgroups.AISearchIndexEngine   // "AI Search Index Engine"
	WorkersR2StorageWriteGroupID = permgroups.WorkersR2StorageWrite // "Workers R2 Storage Write"
)

// The permission groups the operations require (see the package
// documentation, "Permissions"): API Tokens Read and Write for the user's
// tokens, Account API Tokens Read and Write for an account's, and AI
// Search Read and Edit for the AI Search operations. The AI Search ids are
// the emulator's choice: no source publishes them.
const (
	APITokensReadGroupID         = permgroups.APITokensRead         // "API Tokens Read"
	APITokensWriteGroupID        = permgroups.APITokensWrite        // "API Tokens Write"
	AccountAPITokensReadGroupID  = permgroups.AccountAPITokensRead  // "Account API Tokens Read"
	AccountAPITokensWriteGroupID = permgroups.AccountAPITokensWrite // "Account API Tokens Write"
	AISearchEditGroupID          = permgroups.AISearchEdit          // "AI Search Edit"
	AISearchReadGroupID          = permgroups.AISearchRead          // "AI Search Read"
	AISearchRunGroupID           = permgroups.AISearchRun           // "AI Search Run" (queries: grants no operation of openapi.yaml)
)

// PermissionGroup is an entry of the permission group catalogue the
// emulator serves (GET …/tokens/permission_groups) and checks API token
// policies against.
type PermissionGroup struct {
	ID       string   `json:"id"`                 // required: 32 lowercase hex digits
	Name     string   `json:"name"`               // required
	Category string   `json:"category,omitempty"` // one of the spec's categories, e.g. developer_platform
	Scopes   []string `json:"scopes,omitempty"`   // e.g. com.cloudflare.api.account
}

const (
	accountScope = "com.cloudflare.api.account"
	userScope    = "com.cloudflare.api.user"
)

// DefaultPermissionGroups is the built-in catalogue: the groups the
// operations require (with their scopes), the two AI Search service token
// groups, and the examples Cloudflare's API schema publishes.
func DefaultPermissionGroups() []PermissionGroup {
	acct := func() []string { return []string{accountScope} }
	user := func() []string { return []string{userScope} }
	g := func(id, category string, scopes []string) PermissionGroup {
		return PermissionGroup{ID: id, Name: permgroups.Name(id), Category: category, Scopes: scopes}
	}
	return []PermissionGroup{
		g(permgroups.AISearchIndexEngine, "ai_and_machine_learning", acct()),
		g(permgroups.WorkersR2StorageWrite, "developer_platform", acct()),
		g(permgroups.AISearchEdit, "ai_and_machine_learning", acct()),
		g(permgroups.AISearchRead, "ai_and_machine_learning", acct()),
		g(permgroups.AISearchRun, "ai_and_machine_learning", acct()),
		g(permgroups.APITokensRead, "", user()),
		g(permgroups.APITokensWrite, "", user()),
		g(permgroups.AccountAPITokensRead, "", acct()),
		g(permgroups.AccountAPITokensWrite, "", acct()),
		g(permgroups.ZoneRead, "dns_and_zones", []string{"com.cloudflare.api.account.zone"}),
		g(permgroups.MagicNetworkMonitoring, "network_services", acct()),
		{ID: "7cf72faf220841aabcfdfab81c43c4f6", Name: "Billing Read", Category: "account_and_billing", Scopes: acct()},
		{ID: "9d24387c6e8544e2bc4024a03991339f", Name: "Load Balancing: Monitors and Pools Read", Category: "network_services", Scopes: acct()},
		{ID: "d2a1802cc9a34e30852f8b33869b2f3c", Name: "Load Balancing: Monitors and Pools Write", Category: "network_services", Scopes: acct()},
		{ID: "8b47d2786a534c08a1f94ee8f9f599ef", Name: "Workers KV Storage Read", Category: "developer_platform", Scopes: acct()},
		{ID: "f7f0eda5697f475c90846e879bab8666", Name: "Workers KV Storage Write", Category: "developer_platform", Scopes: acct()},
		{ID: "1a71c399035b4950a1bd1466bbe4f420", Name: "Workers Scripts Read", Category: "developer_platform", Scopes: acct()},
		{ID: "e086da7e2179491d91ee5f35b3ca210a", Name: "Workers Scripts Write", Category: "developer_platform", Scopes: acct()},
	}
}

// WithPermissionGroups adds groups to the catalogue (a group whose id is
// already there replaces it). Unlike SeedPermissionGroups and the seed
// file, it is configuration: not written to the state file.
func WithPermissionGroups(groups ...PermissionGroup) Option {
	return func(c *config) error {
		if len(groups) == 0 {
			return errors.New("WithPermissionGroups: no group given")
		}
		for i, g := range groups {
			if err := g.check(); err != nil {
				return fmt.Errorf("WithPermissionGroups: group %d: %w", i, err)
			}
		}
		c.permissionGroups = append(c.permissionGroups, groups...) // the store keeps clones
		return nil
	}
}

// check validates g: every field it has must fit the spec, or the
// catalogue's answers would break it.
func (g PermissionGroup) check() error {
	switch {
	case !isHexID(g.ID):
		return fmt.Errorf("%w: permission group id %q is not 32 lowercase hex digits", ErrInvalid, g.ID)
	case strings.TrimSpace(g.Name) == "":
		return fmt.Errorf("%w: permission group %s has no name", ErrInvalid, g.ID)
	case g.Category != "" && !generated.PermissionGroupCategory(g.Category).Valid():
		return fmt.Errorf("%w: permission group %s: unknown category %q", ErrInvalid, g.ID, g.Category)
	}
	for _, sc := range g.Scopes {
		if !generated.PermissionGroupScopes(sc).Valid() {
			return fmt.Errorf("%w: permission group %s: unknown scope %q", ErrInvalid, g.ID, sc)
		}
	}
	return nil
}

func (g PermissionGroup) clone() PermissionGroup { g.Scopes = slices.Clone(g.Scopes); return g }

// api is the catalogue entry as the spec shows it.
func (g PermissionGroup) api() generated.PermissionGroup {
	out := generated.PermissionGroup{ID: g.ID, Name: g.Name}
	if g.Category != "" {
		c := generated.PermissionGroupCategory(g.Category)
		out.Category = &c
	}
	if len(g.Scopes) > 0 {
		sc := make([]generated.PermissionGroupScopes, 0, len(g.Scopes))
		for _, s := range g.Scopes {
			sc = append(sc, generated.PermissionGroupScopes(s))
		}
		out.Scopes = &sc
	}
	return out
}

// matches applies the list's filters: name (case-insensitive, exact; the
// docs show it URL-encoded, so an encoded name matches too) and scope (one
// of the group's scopes).
func (g PermissionGroup) matches(name, scope string) bool {
	if name != "" && !strings.EqualFold(g.Name, name) && !strings.EqualFold(g.Name, unescape(name)) {
		return false
	}
	return scope == "" || slices.Contains(g.Scopes, scope) || slices.Contains(g.Scopes, unescape(scope))
}

// unescape undoes the URL-encoding the docs show in filter values
// (Account%20Settings%20Write); a value that is not encoded stays as is.
func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// The catalogue is the built-in groups (configuration, never journaled)
// overlaid with the rows of the permission_groups table (seeded at run
// time, journaled).

func groupKey(g *PermissionGroup) (owner, id string) { return "", g.ID }

// builtinGroups is DefaultPermissionGroups then groups (one with a
// default's id replaces it). Without groups it is the map every such
// store shares, built once: the catalogue is read-only, and New is a
// start-up cost every test pays.
func builtinGroups(groups []PermissionGroup) map[string]PermissionGroup {
	if len(groups) == 0 {
		return defaultGroups()
	}
	out := maps.Clone(defaultGroups())
	for _, g := range groups {
		out[g.ID] = g.clone()
	}
	return out
}

var defaultGroups = sync.OnceValue(func() map[string]PermissionGroup {
	out := map[string]PermissionGroup{}
	for _, g := range DefaultPermissionGroups() {
		out[g.ID] = g
	}
	return out
})

// group finds a catalogue entry; a seeded one overrides a built-in one.
func (s *store) group(tx *tx, id string) (PermissionGroup, bool) {
	if g, ok := s.groups.get(tx, "", id); ok {
		return g, true
	}
	g, ok := s.builtinGroups[id]
	return g, ok
}

// permissionGroups is the catalogue, by name then id.
func (s *store) permissionGroups(tx *tx) []PermissionGroup {
	var out []PermissionGroup
	for id, g := range s.builtinGroups {
		if _, over := s.groups.get(tx, "", id); !over {
			out = append(out, g.clone())
		}
	}
	for g := range s.groups.all(tx) {
		out = append(out, g.clone())
	}
	slices.SortFunc(out, func(a, b PermissionGroup) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}
