package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/netip"
	"net/url"
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

// The answers to a request without a usable credential, whatever its
// family: Cloudflare checks the headers before the credential.
var (
	errNoCredential = apiError{status: http.StatusBadRequest, code: CodeNoCredential,
		message: "Missing X-Auth-Key, X-Auth-Email or Authorization headers"}
	errMalformedAuthorization = apiError{status: http.StatusBadRequest, code: CodeInvalidHeaders, message: "Invalid request headers",
		chain: []generated.ErrorCause{{Code: CodeMalformedAuthHeader, Message: "Invalid format for Authorization header"}}}
	errMissingAuthorization = apiError{status: http.StatusBadRequest, code: CodeMissingAuthorization,
		message: `Missing "Authorization" header`}
)

// authenticate decides who a request is, route-aware: the schemes its
// operation declares in the spec (the API token operations take a bearer
// token only; the AI Search ones a bearer token or X-Auth-Email with
// X-Auth-Key), then the credential itself. As at Cloudflare, an
// Authorization header decides alone when present. It answers, in order:
//
//   - no credential header at all, or only half of the legacy pair: 400,
//     code 9106;
//   - an Authorization header that is not one "Bearer <token>" (empty,
//     another scheme, stray spaces, two headers): 400, code 6003 with 6111;
//   - the legacy pair alone on an operation that takes a bearer token
//     only: 400, code 1001;
//   - a credential that does not work: the family's answer (401, code
//     10000 on AI Search; 401, code 1000 on the API token operations).
//
// A value the emulator issued authenticates while its token is usable
// (active, within not_before and expires_on); one it revoked (rolled or
// deleted) never does, open auth or not. Anything else is checked against
// the configured credentials (config.bearerAccepted and keyAccepted).
// Where the token may be used from (condition.request_ip) is authorize's.
func (s *Server) authenticate(r *http.Request, rt routed) (caller, *apiError) {
	bad := &rt.op.family.badCredential
	auths := r.Header.Values(cfauth.Authorization)
	if len(auths) == 0 {
		email, key := r.Header.Get(cfauth.AuthEmail), r.Header.Get(cfauth.AuthKey)
		switch {
		case email == "" && key == "":
			return caller{}, &errNoCredential
		case !rt.op.key:
			return caller{}, &errMissingAuthorization
		case email == "" || key == "":
			return caller{}, &errNoCredential
		case !s.cfg.keyAccepted(email, key):
			return caller{}, bad
		}
		return caller{}, nil
	}
	value, ok := wellFormedBearer(auths)
	if !ok {
		return caller{}, &errMalformedAuthorization
	}
	if !rt.op.bearer {
		return caller{}, bad
	}
	var rec apiTokenRecord
	var kind valueKind
	s.store.view(func(tx *tx) { rec, kind = s.store.lookupValue(tx, value) })
	switch kind {
	case valueIssued:
		if rec.usable(s.cfg.clock()) != nil {
			return caller{}, bad
		}
		return caller{bearer: true, tokenID: rec.ID, issued: true, token: rec}, nil
	case valueRevoked:
		return caller{}, bad
	}
	if !s.cfg.bearerAccepted(value) {
		return caller{}, bad
	}
	return caller{bearer: true, tokenID: syntheticID(value)}, nil
}

// wellFormedBearer returns the token of the one Authorization header when
// it is exactly "Bearer <token>": the scheme in any case (RFC 9110), one
// space, and a token of RFC 6750's b64token characters.
func wellFormedBearer(headers []string) (string, bool) {
	if len(headers) != 1 {
		return "", false
	}
	scheme, token, ok := strings.Cut(headers[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || !isB64Token(token) {
		return "", false
	}
	return token, true
}

// isB64Token reports whether s is an RFC 6750 b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for _, c := range body {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.ContainsRune("-._~+/", c):
		default:
			return false
		}
	}
	return true
}

// authorize decides whether the caller may run the operation: configured
// credentials may do anything; an issued token must be used from an
// address its condition.request_ip allows (403, code 9109, naming the
// address) and hold the permission the operation's family requires (403,
// code 9109; see permissions.go). The verify operations need neither: they
// answer for any working token, and Cloudflare applies no IP filtering to
// them.
func authorize(r *http.Request, rt routed, c caller) *apiError {
	if !c.issued || rt.op.whoami {
		return nil
	}
	if !c.token.allowsAddr(r.RemoteAddr) {
		return errLocation(remoteHost(r.RemoteAddr))
	}
	var account string
	if raw, ok := rt.params["account_id"]; ok {
		account, _ = url.PathUnescape(raw)
	}
	if !allows(c.token.Policies, rt.op.need, rt.op.family.resource(account)) {
		return &errPermissionDenied
	}
	return nil
}

// remoteHost is the address part of host:port (all of it when it has no
// port).
func remoteHost(remote string) string {
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return ap.Addr().Unmap().String()
	}
	return remote
}

// withCaller gives the handler who called, when its operation asks
// (operation.whoami): the other operations skip the cost of a context and
// a request copy on every request.
func withCaller(r *http.Request, rt routed, c caller) *http.Request {
	if !rt.op.whoami {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
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
