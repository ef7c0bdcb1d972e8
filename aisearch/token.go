package aisearch

import (
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// Registration is a registered service API token. Its secret is never returned by
// the API, so Registration holds none. The JSON tags match the API's field names.
type Registration struct {
	// ID identifies the registration; pass it as token_id when creating an
	// AI Search instance.
	ID string `json:"id"`
	// Name is for people; the API does not require it to be unique.
	Name string `json:"name"`
	// CfAPIID is the ID of the Cloudflare API token whose value was registered.
	CfAPIID    string    `json:"cf_api_id"`
	CreatedAt  time.Time `json:"created_at"`
	ModifiedAt time.Time `json:"modified_at"`
	// CreatedBy and ModifiedBy are "" when the API sends null (unknown).
	CreatedBy  string `json:"created_by"`
	ModifiedBy string `json:"modified_by"`
	// Enabled and Legacy are true when the API omits them (their documented
	// default).
	Enabled bool `json:"enabled"`
	Legacy  bool `json:"legacy"`
}

// RegistrationParams is the body of Create and Update. Update is a full
// replacement, so it needs every field too.
type RegistrationParams struct {
	Name    string
	CfAPIID string
	// CfAPIKey is the service token's value; it is sent, stored by the API
	// and never returned.
	CfAPIKey Secret
	// Legacy is sent only when non-nil; the API then defaults it to true.
	// Note that on Update an omitted Legacy resets the token to true.
	Legacy *bool
}

// RegistrationListOptions selects one page of List. Zero fields are left to the API's
// defaults (page 1, 20 per page, no filter).
type RegistrationListOptions struct {
	Page    int // 1-indexed
	PerPage int // at most 100
	// Search keeps tokens whose name contains it (case-insensitive).
	Search string
}

// ResultInfo describes one page of a list.
type ResultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
}

// RegistrationPage is one page of List.
type RegistrationPage struct {
	Registrations []Registration // never nil
	Info          ResultInfo
}

func registrationFromAPI(t generated.Token) Registration {
	return Registration{
		ID:         t.ID,
		Name:       t.Name,
		CfAPIID:    t.CfAPIID,
		CreatedAt:  t.CreatedAt,
		ModifiedAt: t.ModifiedAt,
		CreatedBy:  deref(t.CreatedBy, ""),
		ModifiedBy: deref(t.ModifiedBy, ""),
		Enabled:    deref(t.Enabled, true),
		Legacy:     deref(t.Legacy, true),
	}
}

// input builds the request body. The secret is copied with Reveal here, and
// only here, because Secret's MarshalJSON redacts.
func (p RegistrationParams) input() generated.TokenInput {
	return generated.TokenInput{
		Name:     p.Name,
		CfAPIID:  p.CfAPIID,
		CfAPIKey: p.CfAPIKey.Reveal(),
		Legacy:   p.Legacy,
	}
}

// nonZero is an optional parameter: a pointer to v, or nil (left out, so
// the API's default) for v's zero value.
func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// Registrations calls the AI Search tokens API: the account's registered
// service credentials (Client.Registrations).
type Registrations struct{ c *Client }
