package aisearch

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/permgroups"
)

// Owner says who owns a Cloudflare API token: the user whose credential
// calls the API (/user/tokens, what Cloudflare's AI Search guide uses), or
// the client's account (/accounts/{account_id}/tokens). Its values are the
// words the CLI's --owner flag and the emulator use.
type Owner string

const (
	// OwnerUser is a token owned by the calling user.
	OwnerUser Owner = "user"
	// OwnerAccount is a token owned by the client's account.
	OwnerAccount Owner = "account"
)

// ParseOwner reads "user" or "account".
func ParseOwner(s string) (Owner, error) {
	if o := Owner(s); o.valid() {
		return o, nil
	}
	return "", fmt.Errorf("aisearch: owner %q: want user or account", s)
}

// String returns the owner's word, "user" or "account".
func (o Owner) String() string { return string(o) }

func (o Owner) valid() bool { return o == OwnerUser || o == OwnerAccount }

// APITokenStatus is a Cloudflare API token's status.
type APITokenStatus string

// The statuses Cloudflare reports. Expired is set by Cloudflare once
// ExpiresOn has passed; a client can only choose active or disabled.
const (
	StatusActive   APITokenStatus = "active"
	StatusDisabled APITokenStatus = "disabled"
	StatusExpired  APITokenStatus = "expired"
)

// APIToken is a Cloudflare API token as the API shows it: never its secret
// value, which only Create and Roll return.
type APIToken struct {
	ID     string         `json:"id"`
	Name   string         `json:"name"`
	Status APITokenStatus `json:"status"`
	// Owner is who owns it (the service it was fetched from).
	Owner      Owner     `json:"-"`
	IssuedOn   time.Time `json:"issued_on"`
	ModifiedOn time.Time `json:"modified_on"` // a roll of the value changes it too
	// LastUsedOn, ExpiresOn and NotBefore are zero when unset.
	LastUsedOn time.Time `json:"last_used_on,omitzero"`
	ExpiresOn  time.Time `json:"expires_on,omitzero"`
	NotBefore  time.Time `json:"not_before,omitzero"`
	Policies   []Policy  `json:"policies"`
	// RequestIPIn and RequestIPNotIn restrict the client addresses (CIDRs).
	RequestIPIn    []string `json:"request_ip_in,omitempty"`
	RequestIPNotIn []string `json:"request_ip_not_in,omitempty"`
}

// Policy grants (or denies) permission groups on resources.
type Policy struct {
	ID string `json:"id,omitempty"` // set by the server
	// Effect is "allow" or "deny"; "" means allow.
	Effect           string            `json:"effect"`
	PermissionGroups []PermissionGroup `json:"permission_groups"`
	// Resources maps resource names to "*", e.g.
	// {"com.cloudflare.api.account.<account_id>": "*"}, or to nested maps of
	// the same shape.
	Resources map[string]any `json:"resources"`
}

// PermissionGroup is a named set of permissions. In a Policy only ID is
// sent; the API fills in Name.
type PermissionGroup struct {
	ID     string   `json:"id"`
	Name   string   `json:"name,omitempty"`
	Scopes []string `json:"scopes,omitempty"` // from the catalogue only
}

// The permission groups AI Search's service token needs, as Cloudflare's
// API guide lists them.
const (
	PermissionAISearchIndexEngine   = permgroups.AISearchIndexEngine   // "AI Search Index Engine"
	PermissionWorkersR2StorageWrite = permgroups.WorkersR2StorageWrite // "Workers R2 Storage Write"
)

// PermissionGroupName is the name of one of the permission groups above,
// given its id, or "" for any other id.
func PermissionGroupName(id string) string {
	if id != PermissionAISearchIndexEngine && id != PermissionWorkersR2StorageWrite {
		return ""
	}
	return permgroups.Name(id)
}

// ServiceTokenPermissions are the permission groups Provision and Rotate
// grant by default and Check requires by default.
func ServiceTokenPermissions() []string {
	return permgroups.ServiceToken()
}

// AccountResource is the policy resource naming one account:
// com.cloudflare.api.account.<accountID>.
func AccountResource(accountID string) string { return "com.cloudflare.api.account." + accountID }

// APITokenParams is the body of APITokens.Create and APITokens.Update.
// Update is a full replacement: fields left zero are cleared (Status
// excepted: zero keeps the token's status).
type APITokenParams struct {
	Name     string   // required, at most 120 characters
	Policies []Policy // required, at least one
	// ExpiresOn and NotBefore bound the token's validity; zero: none.
	ExpiresOn time.Time
	NotBefore time.Time
	// RequestIPIn and RequestIPNotIn restrict client addresses (CIDRs).
	RequestIPIn    []string
	RequestIPNotIn []string
	// Status is for Update only: StatusActive or StatusDisabled.
	Status APITokenStatus
}

// CreatedAPIToken is what Create returns: the token and its secret value,
// which the API shows this once.
type CreatedAPIToken struct {
	APIToken
	Value Secret `json:"value"`
}

// APITokenListOptions selects one page of APITokens.List. Zero fields take
// the API's defaults (page 1, 20 per page, oldest first, no expired tokens).
type APITokenListOptions struct {
	Page    int // 1-indexed
	PerPage int // 5 to 50
	// Descending lists the newest tokens first.
	Descending bool
	// IncludeExpired also lists recently expired tokens.
	IncludeExpired bool
}

// APITokenPage is one page of APITokens.List.
type APITokenPage struct {
	Tokens []APIToken // never nil
	Info   ResultInfo
}

// Verification is what APITokens.Verify reports about a token.
type Verification struct {
	ID        string         `json:"id"`
	Status    APITokenStatus `json:"status"`
	ExpiresOn time.Time      `json:"expires_on,omitzero"`
	NotBefore time.Time      `json:"not_before,omitzero"`
}

// PermissionGroupFilter narrows APITokens.PermissionGroups; zero fields
// filter nothing.
type PermissionGroupFilter struct {
	Name  string // e.g. "AI Search Index Engine"
	Scope string // e.g. "com.cloudflare.api.account"
}

func (p APITokenParams) check(update bool) error {
	var problems []string
	if strings.TrimSpace(p.Name) == "" {
		problems = append(problems, "empty Name")
	}
	if len(p.Policies) == 0 {
		problems = append(problems, "no Policies")
	}
	for i, pol := range p.Policies {
		if pol.Effect != "" && pol.Effect != "allow" && pol.Effect != "deny" {
			problems = append(problems, fmt.Sprintf("Policies[%d].Effect %q (want allow or deny)", i, pol.Effect))
		}
		if len(pol.PermissionGroups) == 0 {
			problems = append(problems, fmt.Sprintf("Policies[%d] has no PermissionGroups", i))
		}
		for j, g := range pol.PermissionGroups {
			if g.ID == "" {
				problems = append(problems, fmt.Sprintf("Policies[%d].PermissionGroups[%d] has no ID", i, j))
			}
		}
		if len(pol.Resources) == 0 {
			problems = append(problems, fmt.Sprintf("Policies[%d] has no Resources", i))
		}
	}
	switch p.Status {
	case "", StatusActive, StatusDisabled:
		if p.Status != "" && !update {
			problems = append(problems, "Status is for Update only")
		}
	default:
		problems = append(problems, fmt.Sprintf("Status %q (want active or disabled)", p.Status))
	}
	if len(problems) > 0 {
		return fmt.Errorf("aisearch: APITokenParams: %s", strings.Join(problems, "; "))
	}
	return nil
}

func (p APITokenParams) policies() []generated.Policy {
	out := make([]generated.Policy, 0, len(p.Policies))
	for _, pol := range p.Policies {
		effect := generated.PolicyEffect(pol.Effect)
		if effect == "" {
			effect = generated.Allow
		}
		groups := make([]generated.PolicyPermissionGroup, 0, len(pol.PermissionGroups))
		for _, g := range pol.PermissionGroups {
			groups = append(groups, generated.PolicyPermissionGroup{ID: g.ID})
		}
		out = append(out, generated.Policy{Effect: effect, PermissionGroups: groups, Resources: maps.Clone(pol.Resources)})
	}
	return out
}

func (p APITokenParams) condition() *generated.APITokenCondition {
	if len(p.RequestIPIn) == 0 && len(p.RequestIPNotIn) == 0 {
		return nil
	}
	c := &generated.APITokenCondition{}
	c.RequestIP = &generated.RequestIPCondition{}
	if len(p.RequestIPIn) > 0 {
		in := slices.Clone(p.RequestIPIn)
		c.RequestIP.In = &in
	}
	if len(p.RequestIPNotIn) > 0 {
		notIn := slices.Clone(p.RequestIPNotIn)
		c.RequestIP.NotIn = &notIn
	}
	return c
}

func (p APITokenParams) createBody() generated.APITokenCreate {
	return generated.APITokenCreate{
		Name:      p.Name,
		Policies:  p.policies(),
		Condition: p.condition(),
		ExpiresOn: timePtr(p.ExpiresOn),
		NotBefore: timePtr(p.NotBefore),
	}
}

func (p APITokenParams) updateBody() generated.APITokenUpdate {
	u := generated.APITokenUpdate{
		Name:      p.Name,
		Policies:  p.policies(),
		Condition: p.condition(),
		ExpiresOn: timePtr(p.ExpiresOn),
		NotBefore: timePtr(p.NotBefore),
	}
	if p.Status != "" {
		s := generated.APITokenStatus(p.Status)
		u.Status = &s
	}
	return u
}

func apiTokenFromAPI(t generated.APIToken, owner Owner) APIToken {
	out := APIToken{
		ID:         t.ID,
		Name:       t.Name,
		Status:     APITokenStatus(t.Status),
		Owner:      owner,
		IssuedOn:   t.IssuedOn,
		ModifiedOn: t.ModifiedOn,
		LastUsedOn: deref(t.LastUsedOn, time.Time{}),
		ExpiresOn:  deref(t.ExpiresOn, time.Time{}),
		NotBefore:  deref(t.NotBefore, time.Time{}),
		Policies:   make([]Policy, 0, len(t.Policies)),
	}
	if c := t.Condition; c != nil && c.RequestIP != nil {
		out.RequestIPIn = slices.Clone(deref(c.RequestIP.In, nil))
		out.RequestIPNotIn = slices.Clone(deref(c.RequestIP.NotIn, nil))
	}
	for _, p := range t.Policies {
		pol := Policy{ID: p.ID, Effect: string(p.Effect), Resources: p.Resources}
		for _, g := range p.PermissionGroups {
			pol.PermissionGroups = append(pol.PermissionGroups, PermissionGroup{ID: g.ID, Name: deref(g.Name, "")})
		}
		out.Policies = append(out.Policies, pol)
	}
	return out
}

// withValue turns a create's result into an APIToken and its value.
func withValue(t generated.APITokenWithValue, owner Owner) CreatedAPIToken {
	base := apiTokenFromAPI(generated.APIToken{
		ID: t.ID, Name: t.Name, Status: t.Status, IssuedOn: t.IssuedOn, ModifiedOn: t.ModifiedOn,
		LastUsedOn: t.LastUsedOn, ExpiresOn: t.ExpiresOn, NotBefore: t.NotBefore,
		Condition: t.Condition, Policies: t.Policies,
	}, owner)
	return CreatedAPIToken{APIToken: base, Value: Secret(t.Value)}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
