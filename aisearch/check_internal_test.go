package aisearch

import (
	"slices"
	"testing"
	"time"
)

// TestTokenProblems judges one Cloudflare token per case; each case breaks
// the healthy token in one way and must report exactly that problem.
func TestTokenProblems(t *testing.T) {
	t.Parallel()
	const account = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	registered := now.Add(-time.Hour)
	healthy := func() APIToken {
		return APIToken{
			ID: "ed17574386854bf78a67040be0a770b0", Status: StatusActive,
			IssuedOn: registered.Add(-time.Minute), ModifiedOn: registered.Add(-time.Minute),
			Policies: []Policy{{Effect: "allow", Resources: map[string]any{AccountResource(account): "*"},
				PermissionGroups: []PermissionGroup{{ID: PermissionAISearchIndexEngine}, {ID: PermissionWorkersR2StorageWrite}}}},
		}
	}
	reg := Registration{ID: "62af0db3-c410-40b2-9ee3-0e93f6dd1de0", ModifiedAt: registered, Enabled: true}
	opts := CheckOptions{ExpiringWithin: 24 * time.Hour, PermissionGroups: ServiceTokenPermissions()}

	tests := []struct {
		name string
		edit func(*APIToken)
		opts func(*CheckOptions)
		want []ProblemKind
		heur bool
	}{
		{name: "healthy", edit: func(*APIToken) {}},
		{name: "disabled", edit: func(t *APIToken) { t.Status = StatusDisabled }, want: []ProblemKind{ProblemDisabled}},
		{name: "expired by status", edit: func(t *APIToken) { t.Status = StatusExpired }, want: []ProblemKind{ProblemExpired}},
		{name: "expired by date, status not yet updated", edit: func(t *APIToken) { t.ExpiresOn = now.Add(-time.Second) }, want: []ProblemKind{ProblemExpired}},
		{name: "expires exactly now", edit: func(t *APIToken) { t.ExpiresOn = now }, want: []ProblemKind{ProblemExpired}},
		{name: "expiring soon", edit: func(t *APIToken) { t.ExpiresOn = now.Add(23 * time.Hour) }, want: []ProblemKind{ProblemExpiringSoon}},
		{name: "expiring later than the threshold", edit: func(t *APIToken) { t.ExpiresOn = now.Add(25 * time.Hour) }},
		{name: "expiry warning off", edit: func(t *APIToken) { t.ExpiresOn = now.Add(time.Hour) }, opts: func(o *CheckOptions) { o.ExpiringWithin = 0 }},
		{name: "not yet valid", edit: func(t *APIToken) { t.NotBefore = now.Add(time.Minute) }, want: []ProblemKind{ProblemNotYetValid}},
		{name: "another account", edit: func(t *APIToken) {
			t.Policies[0].Resources = map[string]any{AccountResource("0123456789abcdef0123456789abcdef"): "*"}
		}, want: []ProblemKind{ProblemOtherAccount}},
		{name: "only a deny policy on this account", edit: func(t *APIToken) { t.Policies[0].Effect = "deny" }, want: []ProblemKind{ProblemOtherAccount}},
		{name: "wildcard account", edit: func(t *APIToken) {
			t.Policies[0].Resources = map[string]any{AccountResource("*"): "*"}
		}},
		{name: "nested resources under this account", edit: func(t *APIToken) {
			t.Policies[0].Resources = map[string]any{AccountResource(account): map[string]any{"com.cloudflare.edge.r2.bucket.*": "*"}}
		}},
		{name: "missing R2 write", edit: func(t *APIToken) {
			t.Policies[0].PermissionGroups = t.Policies[0].PermissionGroups[:1]
		}, want: []ProblemKind{ProblemMissingPermission}},
		{name: "a group granted on another account only", edit: func(t *APIToken) {
			t.Policies[0].PermissionGroups = t.Policies[0].PermissionGroups[:1]
			t.Policies = append(t.Policies, Policy{Effect: "allow", PermissionGroups: []PermissionGroup{{ID: PermissionWorkersR2StorageWrite}},
				Resources: map[string]any{AccountResource("0123456789abcdef0123456789abcdef"): "*"}})
		}, want: []ProblemKind{ProblemMissingPermission}},
		{name: "a group denied", edit: func(t *APIToken) {
			t.Policies = append(t.Policies, Policy{Effect: "deny", PermissionGroups: []PermissionGroup{{ID: PermissionAISearchIndexEngine}},
				Resources: map[string]any{AccountResource(account): "*"}})
		}, want: []ProblemKind{ProblemMissingPermission}},
		{name: "custom required groups", edit: func(*APIToken) {}, opts: func(o *CheckOptions) {
			o.PermissionGroups = []string{PermissionAISearchIndexEngine, "8b47d2786a534c08a1f94ee8f9f599ef"}
		}, want: []ProblemKind{ProblemMissingPermission}},
		{name: "modified after registration (rolled?)", edit: func(t *APIToken) { t.ModifiedOn = registered.Add(time.Second) },
			want: []ProblemKind{ProblemChangedAfterRegistration}},
		{name: "modified when registered", edit: func(t *APIToken) { t.ModifiedOn = registered }},
		{name: "several at once", edit: func(t *APIToken) {
			t.Status = StatusDisabled
			t.ExpiresOn = now.Add(-time.Hour)
			t.ModifiedOn = now
		}, want: []ProblemKind{ProblemExpired, ProblemDisabled, ProblemChangedAfterRegistration}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := healthy()
			tt.edit(&tok)
			o := opts
			if tt.opts != nil {
				tt.opts(&o)
			}
			got := tokenProblems(tok, reg, account, o, now)
			var kinds []ProblemKind
			for _, p := range got {
				kinds = append(kinds, p.Kind)
				if p.Detail == "" {
					t.Errorf("%s has no detail", p.Kind)
				}
				if p.Heuristic != (p.Kind == ProblemChangedAfterRegistration) {
					t.Errorf("%s: heuristic = %v", p.Kind, p.Heuristic)
				}
			}
			if !slices.Equal(kinds, tt.want) {
				t.Fatalf("problems = %v, want %v (%v)", kinds, tt.want, got)
			}
		})
	}
}

func TestHumanDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		72 * time.Hour:                "3d",
		23 * time.Hour:                "23h",
		50*time.Hour + 30*time.Minute: "2d 2h 30m",
		45 * time.Minute:              "45m",
		20 * time.Second:              "0m",
		time.Hour + 29*time.Second:    "1h",
		24*time.Hour + 90*time.Second: "1d 2m",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	for p, want := range map[Problem]string{
		{Kind: ProblemExpired, Detail: "the token expired at 2026-12-01T00:00:00Z"}:                     "expired: the token expired at 2026-12-01T00:00:00Z",
		{Kind: ProblemChangedAfterRegistration, Detail: "modified later", Heuristic: true}:              "changed_after_registration: modified later (heuristic)",
		{Kind: ProblemOtherAccount, Detail: "its resources: com.cloudflare.api.account.x\x1b[2J\nevil"}: "other_account: its resources: com.cloudflare.api.account.x [2J evil",
	} {
		if got := p.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}
