package emulator_test

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/emulator"
)

// The reference model: what the documentation (openapi.yaml, the reference
// README and the emulator's package documentation) says the API does,
// written as plainly as possible and independently of the emulator's code.

// Documented error codes (emulator package documentation).
const (
	codeInvalidAPIToken      = 1000
	codeMissingAuthorization = 1001
	codeInvalidToken         = 7012
	codeTokenNotFound        = 7075
	codeInUse                = 7076
	codeNoCredential         = 9106
	codeAuth                 = 10000
	codeValidation           = 10001
	codeNotFound             = 10003
)

// userOwner is the owner of the user's API tokens.
const userOwner = emulator.UserOwner

type mtoken struct {
	id, name, cfAPIID string
	key               string // the cf_api_key it holds
	legacy            bool
	createdAt         time.Time
	modifiedAt        time.Time
}

type maccount struct {
	order     []string // creation order
	tokens    map[string]*mtoken
	instances map[string]*minstance // by id (namespace default)
}

// mapitoken is a Cloudflare API token.
type mapitoken struct {
	id, owner, name string
	value           string
	disabled        bool
	groups          int // permission groups of its one policy
	issuedOn        time.Time
}

type model struct {
	accounts map[string]*maccount
	deleted  []string // registration ids that existed once: get/update/delete must 404

	apiTokens  map[string]*mapitoken // live API tokens by id, every owner
	revoked    []revokedValue        // in the order revoked (see revokedValue)
	deletedAPI map[string]bool       // ids of deleted API tokens
}

func newModel(accounts ...string) *model {
	m := &model{accounts: map[string]*maccount{}, apiTokens: map[string]*mapitoken{}, deletedAPI: map[string]bool{}}
	for _, a := range accounts {
		m.accounts[a] = &maccount{tokens: map[string]*mtoken{}, instances: map[string]*minstance{}}
	}
	return m
}

func (m *model) acct(a string) *maccount { return m.accounts[a] }

func (a *maccount) get(id string) *mtoken { return a.tokens[id] }

func (a *maccount) add(t *mtoken) {
	a.order = append(a.order, t.id)
	a.tokens[t.id] = t
}

func (m *model) remove(acct, id string) {
	a := m.acct(acct)
	delete(a.tokens, id)
	a.order = slices.DeleteFunc(a.order, func(x string) bool { return x == id })
	m.deleted = append(m.deleted, id)
}

// inUseBy lists the instances that use a registration, sorted.
func (a *maccount) inUseBy(id string) []string {
	var out []string
	for id2, in := range a.instances {
		if in.reg == id {
			out = append(out, id2)
		}
	}
	slices.Sort(out)
	return out
}

// markInUse: exactly names use the registration; an instance named here
// that used another one now uses this one (keeping its type and jobs), one
// not there yet is a built-in one.
func (a *maccount) markInUse(id string, names []string, now time.Time) {
	for name, in := range a.instances {
		if in.reg == id && !slices.Contains(names, name) {
			delete(a.instances, name)
		}
	}
	for _, n := range names {
		if in := a.instances[n]; in != nil {
			in.reg = id
		} else {
			a.instances[n] = &minstance{reg: id, createdAt: now}
		}
	}
}

// listPage is what a list answers: names containing search
// (case-insensitive), in creation order, page by page.
func (a *maccount) listPage(search string, page, perPage int) (ids []string, total int) {
	needle := strings.ToLower(search)
	var matching []string
	for _, id := range a.order {
		if strings.Contains(strings.ToLower(a.tokens[id].name), needle) {
			matching = append(matching, id)
		}
	}
	return pageOf(matching, page, perPage)
}

func pageOf(ids []string, page, perPage int) ([]string, int) {
	from := min(len(ids), (page-1)*perPage)
	to := min(len(ids), from+perPage)
	return ids[from:to], len(ids)
}

// apiTokensOf is an owner's API tokens by issued_on, then id.
func (m *model) apiTokensOf(owner string) []*mapitoken {
	var out []*mapitoken
	for _, t := range m.apiTokens {
		if t.owner == owner {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *mapitoken) int { return cmp.Or(a.issuedOn.Compare(b.issuedOn), cmp.Compare(a.id, b.id)) })
	return out
}

// revoke: the value never works again.
// revokedValue is a value its token no longer has (rolled or deleted).
// Values are random even with deterministic ids, so the model keeps them
// in the order revoked and actions draw by that order, never by value:
// a seed then replays the same sequence.
type revokedValue struct{ value, id string }

func (m *model) revoke(value, id string) { m.revoked = append(m.revoked, revokedValue{value, id}) }

// credential says whether a registration of acct holding cfAPIID and key
// works, as CredentialWorks and the AI Search create and update judge it:
// nil, or the documented reason. A create or update holding one that does
// not work is refused (400, code 7012).
func (m *model) credential(acct, cfAPIID, key string) error {
	t := m.apiTokens[cfAPIID]
	switch {
	case t != nil && key == t.value:
		if t.owner != userOwner && t.owner != acct {
			return emulator.ErrOtherAccount
		}
		if t.disabled {
			return emulator.ErrAPITokenDisabled
		}
		return nil
	case t != nil && slices.Contains(m.revoked, revokedValue{key, cfAPIID}):
		return emulator.ErrValueRolled
	case t != nil:
		return emulator.ErrWrongValue
	case m.deletedAPI[cfAPIID]:
		return emulator.ErrAPITokenDeleted
	}
	return emulator.ErrNoSuchAPIToken
}

// authRefusal is how the operations of a family answer a scheme of the
// configured credentials (0, 0: accepted). A valid bearer token decides
// alone; without an Authorization header, the e-mail and key pair must
// both be right, on the operations that accept it (AI Search's; the API
// token operations answer 400 code 1001 to any X-Auth header without an
// Authorization one). No credential at all, or half the pair where it is
// accepted, is 400 code 9106; one that does not work a 401: code 10000 on
// AI Search, 1000 on the API tokens.
func authRefusal(s authScheme, aiSearch bool) (status, code int) {
	bad := map[bool]int{true: codeAuth, false: codeInvalidAPIToken}[aiSearch]
	switch s {
	case authBearer, authBearerWithBadKey:
		return 0, 0
	case authNone:
		return 400, codeNoCredential
	case authKey, authEmailOnly:
		switch {
		case !aiSearch:
			return 400, codeMissingAuthorization
		case s == authEmailOnly:
			return 400, codeNoCredential
		}
		return 0, 0
	}
	return 401, bad
}

// authorized reports whether a family's operations accept the scheme.
func authorized(s authScheme, aiSearch bool) bool {
	status, _ := authRefusal(s, aiSearch)
	return status == 0
}
