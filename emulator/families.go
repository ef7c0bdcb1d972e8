package emulator

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/go-aisearch/tokens/internal/permgroups"
)

// A route family is the operations below one path prefix, which Cloudflare
// answers alike whatever the operation: the failure envelope, the answer to
// a credential that does not work, and the permission group an API token
// needs. The family is read from the request's path, never from a handler,
// so an operation added to openapi.yaml later under a family's prefix (an
// AI Search instance, job or namespace operation) gets all three by
// construction; newAPISpec refuses an operation that no family claims.
//
// A new operation's permission requirement: its family's read groups for
// GET, its write groups for any other method, on its family's resource
// (the path's account, or the user). Only the verify operations, which
// answer for the bearer token itself, need none (operation.whoami).
type family struct {
	// aiSearchEnvelope: failures are {"success":false,"errors":[...],"result":{}},
	// without messages (apiError.body); otherwise Cloudflare's common
	// failure envelope, messages [] and result null.
	aiSearchEnvelope bool
	// badCredential answers a credential that does not work (unknown,
	// revoked, disabled, expired, not yet valid).
	badCredential apiError
	// user: the permission is on the user (userResource), not on the
	// account of the path.
	user bool
	// read allows a GET, write any other method: any one of the groups.
	read, write []string
}

// The families, with what Cloudflare's definitions require: the AI Search
// operations x-cfPermissionsRequired com.cloudflare.api.account.ai-search
// (the dashboard's "AI Search Edit", and "AI Search Read" for reading), the
// API token operations their x-api-token-group ("API Tokens Write", or
// Read for list, get and the permission groups; "Account API Tokens ..."
// for an account's tokens).
var (
	aiSearchFamily = &family{
		aiSearchEnvelope: true,
		badCredential:    apiError{status: http.StatusUnauthorized, code: CodeAuth, message: "Authentication error"},
		read:             []string{permgroups.AISearchRead, permgroups.AISearchEdit},
		write:            []string{permgroups.AISearchEdit},
	}
	accountTokensFamily = &family{
		badCredential: errInvalidAPIToken,
		read:          []string{permgroups.AccountAPITokensRead, permgroups.AccountAPITokensWrite},
		write:         []string{permgroups.AccountAPITokensWrite},
	}
	userTokensFamily = &family{
		user:          true,
		badCredential: errInvalidAPIToken,
		read:          []string{permgroups.APITokensRead, permgroups.APITokensWrite},
		write:         []string{permgroups.APITokensWrite},
	}
)

var errInvalidAPIToken = apiError{status: http.StatusUnauthorized, code: CodeInvalidAPIToken, message: "Invalid API Token"}

// familyOf returns the family of a URL path (under BasePath or not, a
// request's or an operation's template), or nil for a path of none.
// It runs on every request, so it cuts the path segment by segment
// instead of splitting it.
func familyOf(path string) *family {
	first, rest, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(path, BasePath), "/"), "/")
	switch first {
	case "accounts":
		_, rest, _ = strings.Cut(rest, "/") // the account id
		switch third, _, _ := strings.Cut(rest, "/"); third {
		case "ai-search":
			return aiSearchFamily
		case "tokens":
			return accountTokensFamily
		}
	case "user":
		if second, _, _ := strings.Cut(rest, "/"); second == "tokens" {
			return userTokensFamily
		}
	}
	return nil
}

// groups are the permission groups, any one of which allows method.
func (f *family) groups(method string) []string {
	if method == http.MethodGet || method == http.MethodHead {
		return f.read
	}
	return f.write
}

// resource is what a policy must name for the permission to apply:
// com.cloudflare.api.account.<accountID>, or the user's resource.
func (f *family) resource(accountID string) string {
	if f.user {
		return userResource
	}
	return accountResource(accountID)
}

// accountResource is the resource of an account in a policy:
// com.cloudflare.api.account.<accountID>.
func accountResource(accountID string) string { return accountScope + "." + accountID }

// UserID is the id of the emulator's one user (chosen by the emulator): a
// user-owned token's policy names com.cloudflare.api.user.<UserID> among
// its resources to manage the user's tokens ("API Tokens Write").
const UserID = "7c5dae5552338874e5053f2534d2767a"

// userResource is the emulator's one user in a policy.
const userResource = userScope + "." + UserID

// requirement is what an operation requires of an API token, read from its
// path and method: nil for the verify operations (whoami).
func requirement(tpl, method string, whoami bool) (*family, []string, error) {
	f := familyOf(tpl)
	if f == nil {
		return nil, nil, fmt.Errorf("emulator: %s %s belongs to no route family (see families.go)", method, tpl)
	}
	if whoami {
		return f, nil, nil
	}
	return f, f.groups(method), nil
}

// familyWriter is a response writer that knows its request's family, for
// apiError.write; serveHTTP's statusWriter is one.
type familyWriter interface{ routeFamily() *family }

// familyFrom returns the family of the request w answers, through any
// wrappers (Unwrap), or nil.
func familyFrom(w http.ResponseWriter) *family {
	for {
		if fw, ok := w.(familyWriter); ok {
			return fw.routeFamily()
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
}
