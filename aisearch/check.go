package aisearch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultExpiryWarning is the expiry window the CLI's check uses by
// default: pass it as CheckOptions.ExpiringWithin to be warned a week
// before a service token expires.
const DefaultExpiryWarning = 7 * 24 * time.Hour

// CheckOptions configures Check.
type CheckOptions struct {
	// Issuer looks the Cloudflare tokens up (it needs "API Tokens Read");
	// default: this client's own user tokens. A token not found among the
	// issuer owner's tokens is looked for among the other owner's.
	Issuer *APITokens
	// ExpiringWithin is how close to its expiry a token is reported as
	// expiring soon. Zero (or negative) means no window: expiring_soon is
	// never reported, only expired. The CLI's check passes
	// DefaultExpiryWarning unless --expiring-within says otherwise, and
	// its --expiring-within 0 is this zero.
	ExpiringWithin time.Duration
	// PermissionGroups are the groups the token must grant on this account
	// (default ServiceTokenPermissions()).
	PermissionGroups []string
	// LastJobs also reads, for each instance that indexes (Instance.HasJobs),
	// its newest job into InstanceUse.LastJob: one more request per such
	// instance.
	LastJobs bool
}

// InstanceUse is an instance that uses a registration (its token_id names
// it): it stops indexing when the registration's credential dies.
type InstanceUse struct {
	Instance Instance `json:"instance"`
	// LastJob is its newest job, when CheckOptions.LastJobs asked for it and
	// it has one; LastFailure is then the log line that says why that job
	// failed ("" when it ended well or runs).
	LastJob     *Job   `json:"last_job,omitempty"`
	LastFailure string `json:"last_failure,omitempty"`
}

// ProblemKind names what is wrong with a registration.
type ProblemKind string

// The problems Check reports.
const (
	// ProblemGone: no Cloudflare token has the registration's cf_api_id (it
	// was deleted): AI Search holds a dead secret.
	ProblemGone ProblemKind = "gone"
	// ProblemDisabled: the Cloudflare token is disabled.
	ProblemDisabled ProblemKind = "disabled"
	// ProblemExpired: the Cloudflare token is past its expires_on.
	ProblemExpired ProblemKind = "expired"
	// ProblemExpiringSoon: it expires within CheckOptions.ExpiringWithin.
	ProblemExpiringSoon ProblemKind = "expiring_soon"
	// ProblemNotYetValid: its not_before is still ahead.
	ProblemNotYetValid ProblemKind = "not_yet_valid"
	// ProblemOtherAccount: no allow policy of the token covers this account.
	ProblemOtherAccount ProblemKind = "other_account"
	// ProblemMissingPermission: a required permission group is not granted
	// on this account.
	ProblemMissingPermission ProblemKind = "missing_permission_group"
	// ProblemChangedAfterRegistration (a heuristic): the token was modified
	// after the registration was last written. That is what rolling its value
	// in place looks like, which leaves AI Search with a dead secret; it is
	// also what a harmless edit (a rename) looks like.
	ProblemChangedAfterRegistration ProblemKind = "changed_after_registration"
	// ProblemRegistrationDisabled: the registration itself is disabled, so
	// instances cannot use it.
	ProblemRegistrationDisabled ProblemKind = "registration_disabled"
)

// Problem is one thing wrong with a registration.
type Problem struct {
	Kind   ProblemKind `json:"kind"`
	Detail string      `json:"detail"`
	// Heuristic marks a problem inferred, not observed.
	Heuristic bool `json:"heuristic,omitempty"`
}

// String is the problem on one line: "kind: detail", with " (heuristic)"
// after an inferred one. Control characters in the detail (which quotes
// the API's data) print as spaces.
func (p Problem) String() string {
	s := string(p.Kind) + ": " + plainText(p.Detail)
	if p.Heuristic {
		s += " (heuristic)"
	}
	return s
}

// ErrNoRegistration is Check's error when the account has no registration
// at all: AI Search has no service credential, so no R2-backed instance
// can work. The report that comes with it is empty. Provision makes one.
var ErrNoRegistration = errors.New("aisearch: no service token is registered")

// Health is Check's verdict on one registration.
type Health struct {
	Registration Registration `json:"registration"`
	// APIToken is the Cloudflare token behind it; nil when it is gone.
	APIToken *APIToken `json:"api_token,omitempty"`
	Problems []Problem `json:"problems"` // never nil
	// Instances are the instances whose token_id is this registration, of
	// every namespace (Check only; never nil there).
	Instances []InstanceUse `json:"instances"`
}

// InstanceNames are the names (Instance.Name) of h's instances.
func (h Health) InstanceNames() []string {
	out := make([]string, 0, len(h.Instances))
	for _, u := range h.Instances {
		out = append(out, u.Instance.Name())
	}
	return out
}

// Healthy reports whether Check found nothing wrong.
func (h Health) Healthy() bool { return len(h.Problems) == 0 }

// Has reports whether h has a problem of this kind.
func (h Health) Has(k ProblemKind) bool {
	return slices.ContainsFunc(h.Problems, func(p Problem) bool { return p.Kind == k })
}

// Check finds the Cloudflare token behind every AI Search registration of
// the account (by its cf_api_id) and reports, for each, whether it is
// healthy or what is wrong: gone, disabled, expired, expiring soon, not yet
// valid, scoped to another account, missing a required permission group,
// and (a heuristic) changed after it was registered. Each Health also names
// the instances that use the registration (every namespace's), so a dead
// credential says which instances stop indexing, and with opts.LastJobs how
// each one's newest job ended. Run it from cron or CI to find out before AI
// Search does that its credential is dead; repair a registration with
// Rotate.
//
// An account with no registration at all gets an empty report and
// ErrNoRegistration, so that "nothing to check" cannot pass for "all
// healthy". Any other error is for a Check that could not look: listing the
// registrations or reading a token failed (a credential without "API
// Tokens Read", say).
func (c *Client) Check(ctx context.Context, opts CheckOptions) ([]Health, error) {
	opts = c.checkDefaults(opts)
	out := []Health{}
	for reg, err := range c.Registrations.All(ctx, RegistrationListOptions{}) {
		if err != nil {
			return nil, err
		}
		h, err := c.health(ctx, reg, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		return out, fmt.Errorf("%w on account %s (Provision makes one)", ErrNoRegistration, c.accountID)
	}
	if err := c.attachInstances(ctx, out, opts.LastJobs); err != nil {
		return nil, fmt.Errorf("aisearch: Check: listing the instances that use the registrations failed: %w", err)
	}
	return out, nil
}

// attachInstances fills each Health's Instances from one walk over every
// instance of the account, and with lastJobs their newest jobs.
func (c *Client) attachInstances(ctx context.Context, hs []Health, lastJobs bool) error {
	byID := make(map[string]*Health, len(hs))
	for i := range hs {
		hs[i].Instances = []InstanceUse{}
		byID[hs[i].Registration.ID] = &hs[i]
	}
	for it, err := range c.AllInstances(ctx) {
		if err != nil {
			return err
		}
		h := byID[it.TokenID]
		if h == nil {
			continue
		}
		use := InstanceUse{Instance: it}
		if lastJobs && it.HasJobs() {
			in := c.Instances(it.Namespace)
			if use.LastJob, err = in.lastJob(ctx, it.ID); err != nil {
				return fmt.Errorf("the last job of instance %s: %w", it.Name(), err)
			}
			if j := use.LastJob; j != nil && !j.Running && !j.EndedWell() {
				use.LastFailure = in.failure(ctx, *j)
			}
		}
		h.Instances = append(h.Instances, use)
	}
	return nil
}

func (c *Client) checkDefaults(opts CheckOptions) CheckOptions {
	if opts.Issuer == nil {
		opts.Issuer = c.APITokens(OwnerUser)
	}
	if opts.PermissionGroups == nil {
		opts.PermissionGroups = ServiceTokenPermissions()
	}
	return opts
}

// health checks one registration.
func (c *Client) health(ctx context.Context, reg Registration, opts CheckOptions) (Health, error) {
	h := Health{Registration: reg, Problems: []Problem{}}
	if !reg.Enabled {
		h.add(ProblemRegistrationDisabled, false, "the registration is disabled: instances cannot use it")
	}
	tok, err := findAPIToken(ctx, opts.Issuer, reg.CfAPIID)
	switch {
	case errors.Is(err, ErrNotFound):
		h.add(ProblemGone, false, "no Cloudflare API token has id %s, among the user's or the account's: it was deleted, and AI Search holds a dead secret", reg.CfAPIID)
		return h, nil
	case err != nil:
		return Health{}, fmt.Errorf("aisearch: check registration %s: look up Cloudflare token %s: %w", reg.ID, reg.CfAPIID, err)
	}
	h.APIToken = &tok
	h.Problems = append(h.Problems, tokenProblems(tok, reg, c.accountID, opts, c.now())...)
	return h, nil
}

func (h *Health) add(k ProblemKind, heuristic bool, format string, args ...any) {
	h.Problems = append(h.Problems, Problem{Kind: k, Detail: fmt.Sprintf(format, args...), Heuristic: heuristic})
}

// tokenProblems judges a Cloudflare token as the credential of reg on
// accountID at now. It only reads its arguments.
func tokenProblems(tok APIToken, reg Registration, accountID string, opts CheckOptions, now time.Time) []Problem {
	h := Health{}
	expired := tok.Status == StatusExpired || (!tok.ExpiresOn.IsZero() && !now.Before(tok.ExpiresOn))
	switch {
	case expired:
		h.add(ProblemExpired, false, "the token expired at %s", stamp(tok.ExpiresOn))
	case !tok.ExpiresOn.IsZero() && opts.ExpiringWithin > 0 && tok.ExpiresOn.Sub(now) <= opts.ExpiringWithin:
		h.add(ProblemExpiringSoon, false, "the token expires at %s, in %s", stamp(tok.ExpiresOn), humanDuration(tok.ExpiresOn.Sub(now)))
	}
	if tok.Status == StatusDisabled {
		h.add(ProblemDisabled, false, "the token is disabled")
	}
	if !tok.NotBefore.IsZero() && now.Before(tok.NotBefore) {
		h.add(ProblemNotYetValid, false, "the token is not valid before %s", stamp(tok.NotBefore))
	}
	granted, covered := grants(tok.Policies, accountID)
	if !covered {
		h.add(ProblemOtherAccount, false, "no allow policy of the token covers account %s (its resources: %s)", accountID, strings.Join(resourceNames(tok.Policies), ", "))
	} else {
		for _, g := range opts.PermissionGroups {
			if !granted[g] {
				h.add(ProblemMissingPermission, false, "permission group %s is not granted on account %s", groupLabel(g), accountID)
			}
		}
	}
	if tok.ModifiedOn.After(reg.ModifiedAt) {
		h.add(ProblemChangedAfterRegistration, true,
			"the token was modified at %s, after the registration was last written at %s; if its value was rolled, AI Search holds a dead secret (rotate to be sure)",
			stamp(tok.ModifiedOn), stamp(reg.ModifiedAt))
	}
	return h.Problems
}

// grants returns the permission groups the policies grant on accountID
// (allowed and not denied) and whether any allow policy covers it at all.
func grants(policies []Policy, accountID string) (map[string]bool, bool) {
	allowed, denied := map[string]bool{}, map[string]bool{}
	covered := false
	for _, p := range policies {
		if !coversAccount(p.Resources, accountID) {
			continue
		}
		set := allowed
		if p.Effect == "deny" {
			set = denied
		} else {
			covered = true
		}
		for _, g := range p.PermissionGroups {
			set[g.ID] = true
		}
	}
	for g := range denied {
		delete(allowed, g)
	}
	return allowed, covered
}

// coversAccount reports whether policy resources name the account, itself
// (possibly narrowed by a nested map of its resources) or through the
// wildcard com.cloudflare.api.account.*.
func coversAccount(resources map[string]any, accountID string) bool {
	_, own := resources[AccountResource(accountID)]
	_, all := resources[AccountResource("*")]
	return own || all
}

func resourceNames(policies []Policy) []string {
	var names []string
	for _, p := range policies {
		for name := range p.Resources {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return []string{"none"}
	}
	return names
}

// groupLabel is the id of a permission group, with its name when known.
func groupLabel(id string) string {
	if name := PermissionGroupName(id); name != "" {
		return id + ` ("` + name + `")`
	}
	return id
}

// humanDuration writes d as days, hours and minutes ("3d 2h", "45m"), the
// precision an expiry warning needs.
func humanDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%dd", days))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%dh", hours))
	}
	if mins > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%dm", mins))
	}
	return strings.Join(parts, " ")
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// findAPIToken looks the token up among the issuer owner's tokens, then
// among the other owner's. ErrNotFound means neither has it; a credential
// that may not read the other owner's tokens counts as not finding it there.
func findAPIToken(ctx context.Context, issuer *APITokens, id string) (APIToken, error) {
	tok, err := issuer.Get(ctx, id)
	if !errors.Is(err, ErrNotFound) {
		return tok, err
	}
	other := OwnerAccount
	if issuer.Owner() == OwnerAccount {
		other = OwnerUser
	}
	tok, err2 := issuer.Client().APITokens(other).Get(ctx, id)
	switch {
	case err2 == nil:
		return tok, nil
	case errors.Is(err2, ErrNotFound), errors.Is(err2, ErrAuth):
		return APIToken{}, fmt.Errorf("not among the %s's tokens nor the %s's: %w", issuer.Owner(), other, ErrNotFound)
	}
	return APIToken{}, err2
}
