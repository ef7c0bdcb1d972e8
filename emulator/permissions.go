package emulator

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// Permissions: what an API token the emulator issued may do, read from its
// policies. Configured credentials (WithAPITokens, WithAPIKey, and any
// credential with open auth) are all-powerful: they stand for the user's
// own login. An issued token may run an operation when a policy allows one
// of the permission groups the operation's family requires (families.go) on
// the operation's resource, and no policy denies one of them there: deny
// wins. A token without policies may only verify itself.
//
// A policy covers a resource when its resources map the resource's name,
// or a wildcard ending in ".*" (com.cloudflare.api.account.* for every
// account), to "*". A nested map (an account's zones) grants what is inside
// it, never the account itself.

var (
	errPermissionDenied = apiError{status: http.StatusForbidden, code: CodePermissionDenied, message: "Unauthorized to access requested resource"}
)

// errLocation refuses a token used from an address its condition.request_ip
// excludes, as Cloudflare does.
func errLocation(addr string) *apiError {
	return &apiError{status: http.StatusForbidden, code: CodePermissionDenied, message: "Cannot use the access token from location: " + addr}
}

// allows reports whether policies grant one of groups on resource.
func allows(policies []generated.Policy, groups []string, resource string) bool {
	allowed := false
	for _, p := range policies {
		if !namesAny(p, groups) || !covers(p.Resources, resource) {
			continue
		}
		if p.Effect == generated.Deny {
			return false
		}
		allowed = true
	}
	return allowed
}

func namesAny(p generated.Policy, groups []string) bool {
	return slices.ContainsFunc(p.PermissionGroups, func(g generated.PolicyPermissionGroup) bool {
		return slices.Contains(groups, g.ID)
	})
}

func covers(resources generated.APITokenResources, resource string) bool {
	for name, v := range resources {
		if s, ok := v.(string); !ok || s != "*" {
			continue
		}
		if name == resource {
			return true
		}
		if prefix, ok := strings.CutSuffix(name, "*"); ok && strings.HasSuffix(prefix, ".") &&
			strings.HasPrefix(resource, prefix) && len(resource) > len(prefix) {
			return true
		}
	}
	return false
}
