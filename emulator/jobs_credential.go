package emulator

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// A job indexes with its instance's service credential: the registration
// its token_id names, and the Cloudflare API token that registration holds.
// serviceCredential judges it when the job starts; jobFailures is the one
// table from a dead credential's cause to the job's end_reason and the log
// line that names it. Log lines name ids, never a key or a token value.

// Why a job's service credential does not work, besides the reasons
// CredentialWorks gives (ErrNoSuchAPIToken, ErrAPITokenDeleted,
// ErrValueRolled, ErrWrongValue, ErrAPITokenDisabled, ErrAPITokenExpired,
// ErrAPITokenNotYetValid, ErrOtherAccount, ErrNotPropagated).
var (
	ErrNoServiceToken       = errors.New("the instance names no registration")
	ErrRegistrationDisabled = errors.New("the registration is disabled")
	ErrPermissionMissing    = errors.New("the Cloudflare API token lacks a permission group AI Search needs")
)

// The end_reason of a job whose credential does not work, by cause. The
// real values are undocumented (only new_job_has_started is reported), so
// these are the emulator's own, in Cloudflare's snake_case style.
const (
	EndReasonNoServiceToken       = "service_token_missing"
	EndReasonRegistrationDisabled = "service_token_registration_disabled"
	EndReasonTokenNotFound        = "service_token_not_found"
	EndReasonTokenDeleted         = "service_token_deleted"
	EndReasonValueRolled          = "service_token_value_rolled"
	EndReasonWrongValue           = "service_token_invalid_value"
	EndReasonTokenDisabled        = "service_token_disabled"
	EndReasonTokenExpired         = "service_token_expired"
	EndReasonTokenNotYetValid     = "service_token_not_yet_valid"
	EndReasonWrongAccount         = "service_token_wrong_account"
	EndReasonMissingPermission    = "service_token_missing_permission"
	EndReasonNotPropagated        = "service_token_not_propagated"
)

// jobFailure is one way a credential dies: its cause (errors.Is), the
// job's end_reason and the failing log line.
type jobFailure struct {
	err     error
	reason  string
	message func(c credentialCheck) string
}

var jobFailures = []jobFailure{
	{ErrNoServiceToken, EndReasonNoServiceToken, func(c credentialCheck) string {
		return "The instance has no service token: register one (POST /accounts/" + c.account + "/ai-search/tokens) and name it as token_id"
	}},
	{ErrRegistrationDisabled, EndReasonRegistrationDisabled, func(c credentialCheck) string {
		return "Service token " + c.registrationID + " is disabled in AI Search"
	}},
	{ErrNoSuchAPIToken, EndReasonTokenNotFound, func(c credentialCheck) string {
		return c.prefix() + " does not exist"
	}},
	{ErrAPITokenDeleted, EndReasonTokenDeleted, func(c credentialCheck) string {
		return c.prefix() + " no longer exists"
	}},
	{ErrValueRolled, EndReasonValueRolled, func(c credentialCheck) string {
		return "Service token " + c.registrationID + ": the stored value of Cloudflare API token " + c.cfAPIID + " was rolled; update the registration"
	}},
	{ErrWrongValue, EndReasonWrongValue, func(c credentialCheck) string {
		return "Service token " + c.registrationID + ": the stored value is not the value of Cloudflare API token " + c.cfAPIID
	}},
	{ErrAPITokenDisabled, EndReasonTokenDisabled, func(c credentialCheck) string {
		return c.prefix() + " is disabled"
	}},
	{ErrAPITokenExpired, EndReasonTokenExpired, func(c credentialCheck) string {
		return c.prefix() + " expired at " + c.token.ExpiresOn.UTC().Format(time.RFC3339)
	}},
	{ErrAPITokenNotYetValid, EndReasonTokenNotYetValid, func(c credentialCheck) string {
		return c.prefix() + " is not valid before " + c.token.NotBefore.UTC().Format(time.RFC3339)
	}},
	{ErrOtherAccount, EndReasonWrongAccount, func(c credentialCheck) string {
		return c.prefix() + " has no access to account " + c.account
	}},
	{ErrPermissionMissing, EndReasonMissingPermission, func(c credentialCheck) string {
		return fmt.Sprintf("%s lacks permission group %q (%s)", c.prefix(), c.missing.Name, c.missing.ID)
	}},
	{ErrNotPropagated, EndReasonNotPropagated, func(c credentialCheck) string {
		return c.prefix() + " has not reached AI Search yet"
	}},
}

// failureFor is the table's row for a cause.
func failureFor(err error) *jobFailure {
	for i := range jobFailures {
		if errors.Is(err, jobFailures[i].err) {
			return &jobFailures[i]
		}
	}
	return nil
}

// failureByReason is the table's row for an end_reason (nil for none).
func failureByReason(reason string) *jobFailure {
	for i := range jobFailures {
		if jobFailures[i].reason == reason {
			return &jobFailures[i]
		}
	}
	return nil
}

// credentialCheck is what a job found out about its service credential.
type credentialCheck struct {
	account, registrationID, cfAPIID string
	token                            apiTokenRecord  // the API token, when the emulator knows it
	missing                          PermissionGroup // the first group it lacks
	failure                          *jobFailure     // nil: it works
}

func (c credentialCheck) prefix() string {
	return "Service token " + c.registrationID + ": Cloudflare API token " + c.cfAPIID
}

func (c credentialCheck) message() string { return c.failure.message(c) }

// requiredGroups are the permission groups a job of this kind of instance
// needs on the account: AI Search Index Engine, and Workers R2 Storage
// Write to read an R2 bucket.
func requiredGroups(t generated.InstanceType) []string {
	if t == generated.InstanceTypeR2 {
		return []string{AISearchIndexEngineGroupID, WorkersR2StorageWriteGroupID}
	}
	return []string{AISearchIndexEngineGroupID}
}

// serviceCredential judges in's service credential at now, the first
// cause that applies winning: no registration, the registration disabled,
// then CredentialWorks's reasons (an unknown, deleted, rolled or wrong
// token; another account's; expired, disabled or not yet valid; not
// propagated), then its policies, read as permissions.go reads them: none
// that allows anything on this account (another account's), or a required
// group not allowed (or denied) on it.
func (s *store) serviceCredential(tx *tx, in instance, now time.Time, propagation time.Duration) credentialCheck {
	c := credentialCheck{account: in.Account, registrationID: in.TokenID}
	fail := func(err error) credentialCheck { c.failure = failureFor(err); return c }
	reg, ok := s.registrations.get(tx, in.Account, in.TokenID)
	if !ok {
		return fail(ErrNoServiceToken)
	}
	c.cfAPIID = reg.CfAPIID
	if !reg.Enabled {
		return fail(ErrRegistrationDisabled)
	}
	c.token, _ = s.apiTokens.lookup(tx, reg.CfAPIID)
	if err := s.credentialProblem(tx, in.Account, reg.CfAPIID, reg.KeySHA256, now, propagation); err != nil {
		return fail(err)
	}
	account := accountResource(in.Account)
	if !slices.ContainsFunc(c.token.Policies, func(p generated.Policy) bool { return p.Effect != generated.Deny && covers(p.Resources, account) }) {
		return fail(ErrOtherAccount)
	}
	for _, id := range requiredGroups(in.Type) {
		if !allows(c.token.Policies, []string{id}, account) {
			c.missing, _ = s.group(tx, id)
			return fail(ErrPermissionMissing)
		}
	}
	return c
}
