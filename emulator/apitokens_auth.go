package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/netip"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// caller is who a request authenticated as.
type caller struct {
	bearer bool
	// tokenID is the bearer token's id: an issued token's, or a synthetic
	// one for a configured (or, with open auth, any) credential.
	tokenID string
	issued  bool           // an API token the emulator issued
	token   apiTokenRecord // the issued token
}

type callerKey struct{}

func callerFrom(ctx context.Context) (caller, bool) {
	c, ok := ctx.Value(callerKey{}).(caller)
	return c, ok
}

// authorize decides a request's credentials, route-aware: the schemes its
// operation declares in the spec (the API token operations take a bearer
// token only; the AI Search ones a bearer token or X-Auth-Email with
// X-Auth-Key), then the credential itself. A value the emulator issued
// authenticates while its token is usable, from the client's address; a
// value it revoked (rolled or deleted) or one whose token is disabled,
// expired or not yet valid never does, open auth or not. Anything else is
// checked against the configured credentials (config.bearerAccepted and
// keyAccepted). As at Cloudflare, an Authorization header decides alone
// when present.
func (s *Server) authorize(r *http.Request, rt routed) (*http.Request, bool) {
	auth := r.Header.Get(cfauth.Authorization)
	if auth == "" {
		if !rt.op.key || !s.cfg.keyAccepted(r.Header.Get(cfauth.AuthEmail), r.Header.Get(cfauth.AuthKey)) {
			return r, false
		}
		return withCaller(r, rt, func() caller { return caller{} }), true
	}
	value, ok := cfauth.BearerToken(auth)
	if !rt.op.bearer || !ok {
		return r, false
	}
	var rec apiTokenRecord
	var kind valueKind
	s.store.view(func(tx *tx) { rec, kind = s.store.lookupValue(tx, value) })
	switch kind {
	case valueIssued:
		if rec.usable(s.cfg.clock()) != nil || !rec.allowsAddr(r.RemoteAddr) {
			return r, false
		}
		return withCaller(r, rt, func() caller { return caller{bearer: true, tokenID: rec.ID, issued: true, token: rec} }), true
	case valueRevoked:
		return r, false
	}
	if !s.cfg.bearerAccepted(value) {
		return r, false
	}
	return withCaller(r, rt, func() caller { return caller{bearer: true, tokenID: syntheticID(value)} }), true
}

// withCaller gives the handler who called, when its operation asks
// (operation.whoami): the other operations skip the cost of a context, a
// request copy and the caller itself on every request.
func withCaller(r *http.Request, rt routed, c func() caller) *http.Request {
	if !rt.op.whoami {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c()))
}

// syntheticID is the stable id verify shows for a configured credential:
// the first 32 hex digits of its SHA-256 (never the credential itself).
func syntheticID(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:16])
}

// routeSchemes reads which credentials an operation of doc accepts from
// its security requirements: a bearer token (an http bearer scheme alone)
// and/or the legacy pair (apiKey headers X-Auth-Email and X-Auth-Key).
func routeSchemes(doc *openapi3.T, op *openapi3.Operation) (bearer, key bool) {
	reqs := op.Security
	if reqs == nil {
		reqs = &doc.Security
	}
	for _, req := range *reqs {
		headers := map[string]bool{}
		bearerOnly := len(req) > 0
		for name := range req {
			ref := doc.Components.SecuritySchemes[name]
			if ref == nil || ref.Value == nil {
				bearerOnly = false
				continue
			}
			ss := ref.Value
			if !(ss.Type == "http" && strings.EqualFold(ss.Scheme, "bearer")) {
				bearerOnly = false
			}
			if ss.Type == "apiKey" && ss.In == "header" {
				headers[http.CanonicalHeaderKey(ss.Name)] = true
			}
		}
		bearer = bearer || bearerOnly
		key = key || (len(req) == 2 && headers[cfauth.AuthEmail] && headers[cfauth.AuthKey])
	}
	return bearer, key
}

// allowsAddr enforces condition.request_ip against the client's address
// (host:port, as in http.Request.RemoteAddr): it must be in one of the
// `in` ranges when there are any, and in none of the `not_in` ones.
func (r *apiTokenRecord) allowsAddr(remote string) bool {
	in, notIn := requestIPRanges(r.Condition)
	if in == nil && notIn == nil {
		return true
	}
	ap, err := netip.ParseAddrPort(remote)
	addr := ap.Addr().Unmap()
	if in != nil && (err != nil || !inRanges(addr, in)) {
		return false
	}
	return err != nil || !inRanges(addr, notIn)
}

func inRanges(addr netip.Addr, ranges []netip.Prefix) bool {
	for _, p := range ranges {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// requestIPRanges parses a condition's request_ip lists for allowsAddr: nil
// for a list that is absent or empty; entries that do not parse are left
// out (checkCondition refuses them).
func requestIPRanges(c *generated.APITokenCondition) (in, notIn []netip.Prefix) {
	if c == nil || c.RequestIP == nil {
		return nil, nil
	}
	parse := func(cidrs *generated.CIDRList) []netip.Prefix {
		if cidrs == nil || len(*cidrs) == 0 {
			return nil
		}
		out := make([]netip.Prefix, 0, len(*cidrs))
		for _, s := range *cidrs {
			if p, err := parseRange(s); err == nil {
				out = append(out, p)
			}
		}
		return out
	}
	return parse(c.RequestIP.In), parse(c.RequestIP.NotIn)
}

// parseRange reads a CIDR, or a bare address as its single-address range.
func parseRange(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}
