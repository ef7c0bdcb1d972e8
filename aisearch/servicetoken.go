package aisearch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultServiceTokenName names the registration (and the Cloudflare
// token) Provision makes unless ServiceTokenOptions says otherwise.
const DefaultServiceTokenName = "ai-search-service"

// ErrBrokenRegistration: Provision found a registration, but it is not
// healthy; it creates no second one. Repair it with Rotate. The error is a
// *BrokenRegistrationError listing what Check found.
var ErrBrokenRegistration = errors.New("aisearch: the registered service token is broken")

// cleanupTimeout bounds the requests that undo a half-done Provision or
// Rotate, which run even when the caller's context is cancelled: a
// Cloudflare token left behind would hold permissions nobody tracks.
const cleanupTimeout = 30 * time.Second

// cleanupContext is the context of such a request: ctx's values, not its
// cancellation, and cleanupTimeout.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// ServiceTokenOptions configures Provision and Rotate.
type ServiceTokenOptions struct {
	// Name of the registration and of its Cloudflare token (which gets the
	// time of its creation appended, so each one can be found again).
	// Default DefaultServiceTokenName; Rotate keeps the registration's.
	Name string
	// Issuer creates and deletes the Cloudflare tokens, with its client's
	// credential (one that may create tokens: "API Tokens Write"). Default:
	// this client's own user tokens, c.APITokens(OwnerUser), as Cloudflare's
	// guide does. Pass another client's APITokens to use another credential,
	// or OwnerAccount for account-owned tokens.
	Issuer *APITokens
	// PermissionGroups the token is granted on this account; default
	// ServiceTokenPermissions() ("AI Search Index Engine" and "Workers R2
	// Storage Write").
	PermissionGroups []string
	// ExpiresOn makes the token expire; zero: never. It must leave the
	// token time to be registered: Provision and Rotate refuse, before any
	// request, an ExpiresOn in the past or sooner than PropagationTimeout
	// and a minute from now. Check warns before it comes.
	ExpiresOn time.Time
	// Legacy is the registration's legacy flag (Provision only; nil: the
	// API's default, true). Rotate keeps the registration's.
	Legacy *bool
	// PropagationTimeout bounds how long Provision and Rotate keep
	// registering the token they have just created while AI Search refuses
	// it with code 7012 (ErrServiceTokenRejected): Cloudflare takes a few
	// seconds to make a new token known everywhere. It counts the waits
	// between attempts (1s, doubling up to 5s), made with the retry
	// policy's Sleep. Zero: DefaultPropagationTimeout; negative: one
	// attempt. When it runs out the error is a *PropagationError.
	PropagationTimeout time.Duration
	// ProveWithJob (Rotate only) proves the switch: once the registration
	// holds the new token, Rotate starts one indexing job on one instance
	// that uses the registration and waits for it to end (Rotated.Proof).
	// Jobs cost (a job re-indexes the instance's source), so Rotate never
	// runs one unless asked.
	ProveWithJob bool
	// ProofTimeout bounds the proof's waiting: for the 30 s between two
	// jobs of an instance (code 7020), then for the job to end, with the
	// retry policy's Sleep. Zero: DefaultProofTimeout.
	ProofTimeout time.Duration
}

// DefaultPropagationTimeout is how long Provision and Rotate wait, unless
// ServiceTokenOptions says otherwise, for a token they have just created to
// reach AI Search.
const DefaultPropagationTimeout = 30 * time.Second

// The waits between registrations of a token that has not reached AI
// Search yet: the first, doubled after each attempt up to the longest.
const (
	propagationFirstWait = time.Second
	propagationMaxWait   = 5 * time.Second
)

// minServiceTokenLife is how long, beyond PropagationTimeout, a new token
// must stay valid: the requests of Provision or Rotate, and some clock
// skew between this machine and Cloudflare.
const minServiceTokenLife = time.Minute

// ErrNotPropagated: Provision or Rotate created a Cloudflare token, but AI
// Search kept refusing it (code 7012) for ServiceTokenOptions'
// PropagationTimeout. The error is a *PropagationError saying what was
// left behind.
var ErrNotPropagated = errors.New("aisearch: the new token did not reach AI Search in time")

// PropagationError is Provision's or Rotate's error when the token it
// created did not reach AI Search in time. Provision and Rotate delete the
// token again; Deleted says whether that worked.
type PropagationError struct {
	// Op is "Provision" or "Rotate".
	Op string
	// TokenID is the Cloudflare API token that was created, and Owner whose
	// it is.
	TokenID string
	Owner   Owner
	// Attempts is how many times registering it was tried, and Waited the
	// time spent waiting between them.
	Attempts int
	Waited   time.Duration
	// Deleted reports whether the token was deleted again. When false,
	// DeleteErr says why, and the token is left behind: delete it by hand.
	Deleted   bool
	DeleteErr error
	// Err is AI Search's last refusal, an *APIError with code 7012.
	Err error
	// unchanged says what Rotate left as it was.
	unchanged string
}

func (e *PropagationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "aisearch: %s: the new Cloudflare token %s (%s-owned) was created but did not reach AI Search in time: AI Search refused it on %d attempt(s) over %s", e.Op, e.TokenID, e.Owner, e.Attempts, e.Waited)
	var apiErr *APIError
	if errors.As(e.Err, &apiErr) && len(apiErr.Errors) > 0 {
		fmt.Fprintf(&b, " (last: %s, code %d)", apiErr.Errors[0].Message, apiErr.Errors[0].Code)
	}
	if e.Deleted {
		b.WriteString("; the token was deleted again, nothing is left behind")
	} else {
		fmt.Fprintf(&b, "; deleting the token failed, so it is left behind (delete it by hand): %v", e.DeleteErr)
	}
	if e.unchanged != "" {
		b.WriteString("; " + e.unchanged)
	}
	return b.String()
}

// Unwrap gives the last refusal: errors.Is(err, ErrServiceTokenRejected).
func (e *PropagationError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotPropagated) true.
func (e *PropagationError) Is(target error) bool { return target == ErrNotPropagated }

// Provisioned is what Provision did.
type Provisioned struct {
	// Registration is the registered token: its ID is the token_id to give
	// AI Search instances.
	Registration Registration `json:"registration"`
	// APIToken is the Cloudflare token behind it.
	APIToken APIToken `json:"api_token"`
	// Created is false when a healthy registration existed and nothing was
	// created.
	Created bool `json:"created"`
}

// Rotated is what Rotate did.
type Rotated struct {
	// Registration is the same registration (same ID, so instances keep
	// their token_id), now holding the new token.
	Registration Registration `json:"registration"`
	// APIToken is the new Cloudflare token.
	APIToken APIToken `json:"api_token"`
	// OldCfAPIID is the token the registration held before.
	OldCfAPIID string `json:"old_cf_api_id"`
	// OldDeleted is whether Rotate deleted it; false when it was already
	// gone, or is still held by another registration.
	OldDeleted bool `json:"old_deleted"`
	// Proof is the job ServiceTokenOptions.ProveWithJob ran; nil when it was
	// not asked for, or no instance that indexes uses the registration.
	Proof *Proof `json:"proof,omitempty"`
}

// BrokenRegistrationError is Provision's answer when the account has
// registrations but none is healthy.
type BrokenRegistrationError struct {
	Found []Health
}

func (e *BrokenRegistrationError) Error() string {
	var b strings.Builder
	b.WriteString("aisearch: Provision: the account's registered service token is broken, so no second one was made; repair it with Rotate")
	for _, h := range e.Found {
		kinds := make([]string, 0, len(h.Problems))
		for _, p := range h.Problems {
			kinds = append(kinds, string(p.Kind))
		}
		fmt.Fprintf(&b, "; registration %s (%q, cf_api_id %s): %s", h.Registration.ID, h.Registration.Name, h.Registration.CfAPIID, strings.Join(kinds, ", "))
	}
	return b.String()
}

// Is makes errors.Is(err, ErrBrokenRegistration) true.
func (e *BrokenRegistrationError) Is(target error) bool { return target == ErrBrokenRegistration }

// Provision gives AI Search a working service credential, the way
// Cloudflare's API guide does by hand: it creates a Cloudflare API token with
// the service permissions on this account (step 2), registers its id and
// value with AI Search (step 3), and returns the registration, whose ID is
// the token_id of every instance (step 4). While AI Search refuses the new
// token as not yet known (code 7012, for a few seconds after it is made),
// registering it is retried for up to opts.PropagationTimeout.
//
// It is idempotent. A healthy registration (one named opts.Name first, else
// any) is returned as is and nothing is created. If the account has
// registrations but none is healthy, Provision creates nothing and returns a
// *BrokenRegistrationError (errors.Is ErrBrokenRegistration): run Rotate on
// it. If registering fails after the Cloudflare token was made, the token is
// deleted again, so no credential is left holding permissions, and the
// error says so.
func (c *Client) Provision(ctx context.Context, opts ServiceTokenOptions) (Provisioned, error) {
	opts, err := c.serviceDefaults(opts)
	if err != nil {
		return Provisioned{}, err
	}
	switch found, err := c.registered(ctx, opts); {
	case err != nil:
		return Provisioned{}, err
	case found != nil:
		return *found, nil
	}
	tok, err := c.createServiceToken(ctx, opts, opts.Name)
	if err != nil {
		return Provisioned{}, err
	}
	p := RegistrationParams{Name: opts.Name, CfAPIID: tok.ID, CfAPIKey: tok.Value, Legacy: opts.Legacy}
	reg, err := c.untilPropagated(ctx, opts, tok, func() (Registration, error) { return c.Registrations.Create(ctx, p) })
	var notYet *PropagationError
	if errors.As(err, &notYet) {
		notYet.Op = "Provision"
		return Provisioned{}, c.abandon(ctx, opts.Issuer, notYet)
	}
	if err != nil && !answered(err) {
		// The create may have reached the API: look before undoing it.
		cctx, cancel := cleanupContext(ctx)
		r, found, ferr := c.holder(cctx, tok.ID, "")
		cancel()
		switch {
		case ferr != nil:
			// Unknown: deleting the token could break the registration.
			return Provisioned{}, fmt.Errorf("aisearch: Provision: registering the new Cloudflare token %s may have been applied (%w), and looking for the registration failed: %v; the token was kept: if no registration holds it, delete it", tok.ID, err, ferr)
		case found:
			reg, err = r, nil
		}
	}
	if err != nil {
		return Provisioned{}, c.undo(ctx, opts.Issuer, tok.ID, fmt.Errorf("aisearch: Provision: registering the new Cloudflare token %s failed: %w", tok.ID, err))
	}
	return Provisioned{Registration: reg, APIToken: tok.APIToken, Created: true}, nil
}

// registered returns the healthy registration to reuse, nil when the
// account has none at all, or a *BrokenRegistrationError.
func (c *Client) registered(ctx context.Context, opts ServiceTokenOptions) (*Provisioned, error) {
	var named, others []Registration
	for t, err := range c.Registrations.All(ctx, RegistrationListOptions{}) {
		if err != nil {
			return nil, err
		}
		if t.Name == opts.Name {
			named = append(named, t)
		} else {
			others = append(others, t)
		}
	}
	check := CheckOptions{Issuer: opts.Issuer, PermissionGroups: opts.PermissionGroups} // no expiry window: a token expiring soon still works
	var broken []Health
	for _, reg := range append(named, others...) {
		h, err := c.health(ctx, reg, check)
		if err != nil {
			return nil, err
		}
		if h.Healthy() {
			return &Provisioned{Registration: reg, APIToken: *h.APIToken}, nil
		}
		broken = append(broken, h)
	}
	if len(broken) > 0 {
		return nil, &BrokenRegistrationError{Found: broken}
	}
	return nil, nil
}

// Rotate replaces the Cloudflare token behind the registration with the id
// registrationID, without breaking the instances that use it: it creates a
// new token, replaces the registration's credential with it (same
// registration ID, so instances keep their token_id), and only then deletes
// the old token. Like Provision, it retries the update while AI Search does
// not know the new token yet (see ServiceTokenOptions.PropagationTimeout).
// A failure at any step leaves a working registration and no token nobody
// holds: the new token is deleted again if the registration could not take
// it, and the old one is deleted only once nothing holds it.
// The one exception: when the update's answer was lost and reading the
// registration back fails too, Rotate cannot tell which token it holds, so
// it keeps both and says so (run Check, then Rotate again).
// It also repairs a registration whose token is gone, disabled or expired
// (what Check reports).
//
// Why not roll the token's value in place (APITokens.Roll)? The old value
// dies at once, while AI Search still holds it: its instances stop indexing
// until the registration is updated, and if that update fails there is no
// working credential left at all.
//
// When deleting the old token fails, the rotation itself has succeeded: the
// Rotated result is returned with an error naming the token to delete.
func (c *Client) Rotate(ctx context.Context, registrationID string, opts ServiceTokenOptions) (Rotated, error) {
	if err := checkPathSegment("registration ID", registrationID); err != nil {
		return Rotated{}, err
	}
	opts, err := c.serviceDefaults(opts)
	if err != nil {
		return Rotated{}, err
	}
	reg, err := c.Registrations.Get(ctx, registrationID)
	if err != nil {
		return Rotated{}, err
	}
	old, err := findAPIToken(ctx, opts.Issuer, reg.CfAPIID)
	oldExists := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Rotated{}, fmt.Errorf("aisearch: Rotate: look up the current Cloudflare token %s: %w", reg.CfAPIID, err)
	}
	tok, err := c.createServiceToken(ctx, opts, reg.Name)
	if err != nil {
		return Rotated{}, err
	}
	legacy := reg.Legacy
	p := RegistrationParams{Name: reg.Name, CfAPIID: tok.ID, CfAPIKey: tok.Value, Legacy: &legacy}
	updated, err := c.untilPropagated(ctx, opts, tok, func() (Registration, error) { return c.Registrations.Update(ctx, reg.ID, p) })
	var notYet *PropagationError
	if errors.As(err, &notYet) {
		notYet.Op = "Rotate"
		notYet.unchanged = fmt.Sprintf("registration %s still holds its old token %s", reg.ID, reg.CfAPIID)
		return Rotated{}, c.abandon(ctx, opts.Issuer, notYet)
	}
	if err != nil && !answered(err) {
		// The update may have been applied: look before undoing it.
		cctx, cancel := cleanupContext(ctx)
		r, gerr := c.Registrations.Get(cctx, reg.ID)
		cancel()
		switch {
		case gerr != nil:
			// Unknown: deleting either token could break the registration.
			return Rotated{}, fmt.Errorf("aisearch: Rotate: updating registration %s may have been applied (%w), and reading it back failed: %v; it holds token %s (new) or %s (old), both kept: run Check, then Rotate again", reg.ID, err, gerr, tok.ID, reg.CfAPIID)
		case r.CfAPIID == tok.ID:
			updated, err = r, nil
		}
	}
	if err != nil {
		return Rotated{}, c.undo(ctx, opts.Issuer, tok.ID,
			fmt.Errorf("aisearch: Rotate: updating registration %s failed, it still holds token %s: %w", reg.ID, reg.CfAPIID, err))
	}
	out := Rotated{Registration: updated, APIToken: tok.APIToken, OldCfAPIID: reg.CfAPIID}
	var retireErr error
	if oldExists {
		out.OldDeleted, retireErr = c.retire(ctx, opts, reg.ID, tok.ID, old)
	}
	if !opts.ProveWithJob {
		return out, retireErr
	}
	var proofErr error
	out.Proof, proofErr = c.prove(ctx, reg.ID, opts.ProofTimeout)
	if proofErr != nil {
		proofErr = fmt.Errorf("aisearch: Rotate: registration %s now holds token %s, but %w", reg.ID, tok.ID, proofErr)
	}
	return out, errors.Join(retireErr, proofErr)
}

// retire deletes the old token of registration regID, which now holds
// newID, unless another registration still holds it, and reports whether
// it did.
func (c *Client) retire(ctx context.Context, opts ServiceTokenOptions, regID, newID string, old APIToken) (bool, error) {
	switch _, held, err := c.holder(ctx, old.ID, regID); {
	case err != nil:
		return false, fmt.Errorf("aisearch: Rotate: registration %s now holds token %s; the old token %s was kept, as the registrations could not be listed to see whether another holds it (delete it by hand if none does): %w", regID, newID, old.ID, err)
	case held:
		return false, nil // another registration still needs the old token
	}
	err := opts.Issuer.Client().APITokens(old.Owner).Delete(ctx, old.ID)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	}
	return false, fmt.Errorf("aisearch: Rotate: registration %s now holds token %s, but deleting the old token %s failed (delete it by hand): %w", regID, newID, old.ID, err)
}

// holder returns the registration, other than the one with the id
// except, that holds the Cloudflare token cfAPIID: for a create whose
// answer was lost, and before an old token is deleted. It reports false
// when none does; an error means it could not tell.
func (c *Client) holder(ctx context.Context, cfAPIID, except string) (Registration, bool, error) {
	for t, err := range c.Registrations.All(ctx, RegistrationListOptions{}) {
		if err != nil {
			return Registration{}, false, err
		}
		if t.ID != except && t.CfAPIID == cfAPIID {
			return t, true, nil
		}
	}
	return Registration{}, false, nil
}

func (c *Client) serviceDefaults(opts ServiceTokenOptions) (ServiceTokenOptions, error) {
	if opts.Name == "" {
		opts.Name = DefaultServiceTokenName
	}
	if opts.Issuer == nil {
		opts.Issuer = c.APITokens(OwnerUser)
	}
	if !opts.Issuer.Owner().valid() {
		return opts, fmt.Errorf("aisearch: ServiceTokenOptions: Issuer's owner %q: want OwnerUser or OwnerAccount", opts.Issuer.Owner())
	}
	if opts.PermissionGroups == nil {
		opts.PermissionGroups = ServiceTokenPermissions()
	}
	if len(opts.PermissionGroups) == 0 {
		return opts, errors.New("aisearch: ServiceTokenOptions: empty PermissionGroups")
	}
	if len(opts.Name) > maxServiceName {
		return opts, fmt.Errorf("aisearch: ServiceTokenOptions: Name longer than %d characters", maxServiceName)
	}
	if opts.PropagationTimeout == 0 {
		opts.PropagationTimeout = DefaultPropagationTimeout
	}
	if e := opts.ExpiresOn; !e.IsZero() {
		now := c.now()
		life := max(opts.PropagationTimeout, 0) + minServiceTokenLife
		switch {
		case !e.After(now):
			return opts, fmt.Errorf("aisearch: ServiceTokenOptions: ExpiresOn %s is in the past", stamp(e))
		case e.Sub(now) < life:
			return opts, fmt.Errorf("aisearch: ServiceTokenOptions: ExpiresOn %s is only %s away: the token could expire before AI Search takes it (allow at least %s: PropagationTimeout and a minute)",
				stamp(e), e.Sub(now), life)
		}
	}
	return opts, nil
}

// untilPropagated runs register, the registration of tok a moment after it
// was created, again while AI Search refuses tok as unknown (code 7012),
// waiting between attempts with the retry policy's Sleep until
// opts.PropagationTimeout of waiting is spent. It returns register's last
// result, or a *PropagationError (Op and the cleanup fields left for the
// caller) when the waiting ran out.
func (c *Client) untilPropagated(ctx context.Context, opts ServiceTokenOptions, tok CreatedAPIToken, register func() (Registration, error)) (Registration, error) {
	s := schedule{next: propagationFirstWait, longest: propagationMaxWait, budget: opts.PropagationTimeout}
	for attempt := 1; ; attempt++ {
		reg, err := register()
		if !errors.Is(err, ErrServiceTokenRejected) {
			return reg, err
		}
		switch more, serr := s.wait(ctx, c.sleep); {
		case serr != nil:
			return Registration{}, fmt.Errorf("%w (while waiting for the new token to reach AI Search: %w)", err, serr)
		case !more:
			return Registration{}, &PropagationError{TokenID: tok.ID, Owner: tok.Owner, Attempts: attempt, Waited: s.waited, Err: err}
		}
	}
}

// abandon deletes the token of a *PropagationError and says in it how that
// went.
func (c *Client) abandon(ctx context.Context, issuer *APITokens, e *PropagationError) error {
	e.DeleteErr = c.deleteNew(ctx, issuer, e.TokenID)
	e.Deleted = e.DeleteErr == nil
	return e
}

// maxServiceName leaves room, within Cloudflare's 120 characters for a
// token name, for the creation time createServiceToken appends.
const maxServiceName = 96

// createServiceToken creates the Cloudflare token of a registration named
// name. Its name carries the creation time, so that after a create that got
// no answer the token, if it was made, can be found and deleted: its value,
// shown only in that lost answer, is unusable.
func (c *Client) createServiceToken(ctx context.Context, opts ServiceTokenOptions, name string) (CreatedAPIToken, error) {
	groups := make([]PermissionGroup, 0, len(opts.PermissionGroups))
	for _, g := range opts.PermissionGroups {
		groups = append(groups, PermissionGroup{ID: g})
	}
	tokenName := name + " " + c.now().UTC().Format(time.RFC3339Nano)
	p := APITokenParams{
		Name:      tokenName,
		Policies:  []Policy{{Effect: "allow", PermissionGroups: groups, Resources: map[string]any{AccountResource(c.accountID): "*"}}},
		ExpiresOn: opts.ExpiresOn,
	}
	tok, err := opts.Issuer.Create(ctx, p)
	if err == nil {
		return tok, nil
	}
	err = fmt.Errorf("aisearch: create the Cloudflare token (%s-owned): %w", opts.Issuer.Owner(), err)
	if answered(err) {
		return CreatedAPIToken{}, err
	}
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	for t, lerr := range opts.Issuer.All(cctx, APITokenListOptions{Descending: true}) {
		if lerr != nil {
			return CreatedAPIToken{}, fmt.Errorf("%w; it may have been created anyway, and listing the tokens to find it failed: %v (look for a token named %q)", err, lerr, tokenName)
		}
		if t.Name == tokenName {
			return CreatedAPIToken{}, c.undo(ctx, opts.Issuer.Client().APITokens(t.Owner), t.ID, fmt.Errorf("%w; it was created anyway", err))
		}
	}
	return CreatedAPIToken{}, err
}

// undo deletes the Cloudflare token id that a failed Provision or Rotate
// made, even if ctx is done, and returns cause saying how that went.
func (c *Client) undo(ctx context.Context, issuer *APITokens, id string, cause error) error {
	if err := c.deleteNew(ctx, issuer, id); err != nil {
		return fmt.Errorf("%w; deleting the new Cloudflare token %s failed too (delete it by hand): %v", cause, id, err)
	}
	return fmt.Errorf("%w; the new Cloudflare token %s was deleted again, nothing is left behind", cause, id)
}

// deleteNew deletes the Cloudflare token id that a failed Provision or
// Rotate made, even if ctx is done; nil when it is gone.
func (c *Client) deleteNew(ctx context.Context, issuer *APITokens, id string) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	if err := issuer.Delete(cctx, id); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}

// answered reports whether err is the API's refusal (an *APIError), so
// that the request was certainly not applied. Anything else may have been:
// a timeout or a reset connection after the request was sent, or a success
// status with a body the client could not read.
func answered(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr)
}
