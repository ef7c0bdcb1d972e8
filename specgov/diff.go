package specgov

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Difference is one way our spec differs from upstream.
type Difference struct {
	Where    string // the operation: "GET /accounts/{account_id}/ai-search/tokens"
	What     string // the aspect: "param per_page maximum", "status 404", "response 200 body.result.id type"
	Ours     string // our value; "absent" when we lack the thing, "none" when the keyword is unset
	Upstream string // upstream's value, same conventions
}

// Key is the stable, human-readable form that allow-list entries match:
// "GET /accounts/{account_id}/ai-search/tokens: param per_page maximum: ours 50, upstream 100".
func (d Difference) Key() string {
	return fmt.Sprintf("%s: %s: ours %s, upstream %s", d.Where, d.What, d.Ours, d.Upstream)
}

// Allowed is a difference the allow-list explains.
type Allowed struct {
	Difference
	Reason string
}

// Report is the outcome of Diff.
type Report struct {
	Unexplained []Difference // not in the allow-list: the spec or the allow-list must change
	Allowed     []Allowed
	Stale       []AllowEntry // allow-list entries that matched nothing: remove them
}

// OK reports whether our spec matches upstream up to the allow-list, and
// the allow-list has no dead entries.
func (r Report) OK() bool { return len(r.Unexplained) == 0 && len(r.Stale) == 0 }

// Write prints the report; verbose adds each allowed difference's reason.
func (r Report) Write(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "unexplained differences: %d\n", len(r.Unexplained))
	for _, d := range r.Unexplained {
		fmt.Fprintf(w, "  %s\n", d.Key())
	}
	fmt.Fprintf(w, "stale allow-list entries (match nothing; remove them): %d\n", len(r.Stale))
	for _, e := range r.Stale {
		fmt.Fprintf(w, "  %s\n", e.Key)
	}
	fmt.Fprintf(w, "allowed (deliberate) differences: %d\n", len(r.Allowed))
	for _, a := range r.Allowed {
		fmt.Fprintf(w, "  %s\n", a.Key())
		if verbose {
			fmt.Fprintf(w, "      reason: %s\n", a.Reason)
		}
	}
}

// methods in the order operations are reported.
var methods = []string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}

// Diff compares the tokens operations (TokensPaths) of ours with upstream's:
// operations and operationIds, security, parameters and their constraints,
// request bodies, status codes, response headers and the effective
// ($ref-resolved, allOf-merged) schemas of bodies. Differences the allow-list
// explains are reported as allowed.
func Diff(ours, upstream *openapi3.T, allow AllowList) Report {
	var diffs []Difference
	for _, path := range TokensPaths {
		for _, m := range methods {
			where := m + " " + path
			a, b := operation(ours, path, m), operation(upstream, path, m)
			switch {
			case a == nil && b == nil:
				continue
			case a == nil || b == nil:
				diffs = append(diffs, Difference{where, "operation", opName(a), opName(b)})
				continue
			}
			c := &comparer{where: where}
			c.operation(ours, upstream, path, a, b)
			diffs = append(diffs, c.diffs...)
		}
	}
	return classify(diffs, allow)
}

func classify(diffs []Difference, allow AllowList) Report {
	var r Report
	used := make([]bool, len(allow.Deviations))
	for _, d := range diffs {
		if i := allow.match(d.Key()); i >= 0 {
			used[i] = true
			r.Allowed = append(r.Allowed, Allowed{d, allow.Deviations[i].Reason})
			continue
		}
		r.Unexplained = append(r.Unexplained, d)
	}
	for i, e := range allow.Deviations {
		if !used[i] {
			r.Stale = append(r.Stale, e)
		}
	}
	return r
}

func operation(doc *openapi3.T, path, method string) *openapi3.Operation {
	if doc == nil || doc.Paths == nil {
		return nil
	}
	item := doc.Paths.Value(path)
	if item == nil {
		return nil
	}
	return item.GetOperation(method)
}

func opName(op *openapi3.Operation) string {
	switch {
	case op == nil:
		return "absent"
	case op.OperationID == "":
		return "(no operationId)"
	}
	return op.OperationID
}

// comparer collects the differences of one operation.
type comparer struct {
	where      string
	diffs      []Difference
	inProgress map[[2]*openapi3.Schema]bool // schema pairs on the current path
}

func (c *comparer) add(what, ours, upstream string) {
	c.diffs = append(c.diffs, Difference{c.where, what, ours, upstream})
}

// same records a difference when the two rendered values differ.
func (c *comparer) same(what, ours, upstream string) {
	if ours != upstream {
		c.add(what, ours, upstream)
	}
}

func (c *comparer) operation(ours, upstream *openapi3.T, path string, a, b *openapi3.Operation) {
	c.same("operationId", opName(a), opName(b))
	c.same("security", securityString(ours, a), securityString(upstream, b))
	c.parameters(params(ours, path, a), params(upstream, path, b))
	c.requestBody(a.RequestBody, b.RequestBody)
	c.responses(a.Responses, b.Responses)
}

// securityString renders the effective requirements: alternatives joined by
// " or ", schemes of one alternative by "+", both sorted.
func securityString(doc *openapi3.T, op *openapi3.Operation) string {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if len(reqs) == 0 {
		return "none"
	}
	alts := make([]string, 0, len(reqs))
	for _, r := range reqs {
		names := make([]string, 0, len(r))
		for n := range r {
			names = append(names, n)
		}
		sort.Strings(names)
		alts = append(alts, "["+strings.Join(names, "+")+"]")
	}
	sort.Strings(alts)
	return strings.Join(alts, " or ")
}

// params merges path-level and operation-level parameters (the operation's
// win, as in OpenAPI), keyed by name.
func params(doc *openapi3.T, path string, op *openapi3.Operation) map[string]*openapi3.Parameter {
	out := map[string]*openapi3.Parameter{}
	for _, list := range []openapi3.Parameters{doc.Paths.Value(path).Parameters, op.Parameters} {
		for _, p := range list {
			if p != nil && p.Value != nil {
				out[p.Value.Name] = p.Value
			}
		}
	}
	return out
}

func (c *comparer) parameters(a, b map[string]*openapi3.Parameter) {
	for _, name := range unionKeys(a, b) {
		pa, pb := a[name], b[name]
		what := "param " + name
		if pa == nil || pb == nil {
			c.add(what, paramIn(pa), paramIn(pb))
			continue
		}
		c.same(what+" in", pa.In, pb.In)
		c.same(what+" required", fmt.Sprint(pa.Required), fmt.Sprint(pb.Required))
		c.schema(what, schemaOf(pa.Schema), schemaOf(pb.Schema))
	}
}

func paramIn(p *openapi3.Parameter) string {
	if p == nil {
		return "absent"
	}
	return "in " + p.In
}

func (c *comparer) requestBody(a, b *openapi3.RequestBodyRef) {
	va, vb := requestBodyOf(a), requestBodyOf(b)
	if va == nil || vb == nil {
		c.same("request body", presence(va != nil), presence(vb != nil))
		return
	}
	c.same("request body required", fmt.Sprint(va.Required), fmt.Sprint(vb.Required))
	c.content("request", va.Content, vb.Content)
}

func requestBodyOf(r *openapi3.RequestBodyRef) *openapi3.RequestBody {
	if r == nil {
		return nil
	}
	return r.Value
}

func presence(ok bool) string {
	if ok {
		return "present"
	}
	return "absent"
}

func (c *comparer) responses(a, b *openapi3.Responses) {
	ma, mb := responsesMap(a), responsesMap(b)
	for _, code := range unionKeys(ma, mb) {
		ra, rb := ma[code], mb[code]
		if ra == nil || rb == nil {
			c.add("status "+code, documented(ra != nil), documented(rb != nil))
			continue
		}
		what := "response " + code
		c.headers(what, ra.Headers, rb.Headers)
		c.content(what, ra.Content, rb.Content)
	}
}

func documented(ok bool) string {
	if ok {
		return "documented"
	}
	return "absent"
}

func responsesMap(r *openapi3.Responses) map[string]*openapi3.Response {
	out := map[string]*openapi3.Response{}
	if r == nil {
		return out
	}
	for code, ref := range r.Map() {
		if ref != nil && ref.Value != nil {
			out[code] = ref.Value
		}
	}
	return out
}

func (c *comparer) headers(what string, a, b openapi3.Headers) {
	ha, hb := map[string]*openapi3.Header{}, map[string]*openapi3.Header{}
	for n, h := range a {
		if h != nil && h.Value != nil {
			ha[strings.ToLower(n)] = h.Value
		}
	}
	for n, h := range b {
		if h != nil && h.Value != nil {
			hb[strings.ToLower(n)] = h.Value
		}
	}
	for _, name := range unionKeys(ha, hb) {
		x, y := ha[name], hb[name]
		hw := what + " header " + name
		if x == nil || y == nil {
			c.add(hw, presence(x != nil), presence(y != nil))
			continue
		}
		c.same(hw+" required", fmt.Sprint(x.Required), fmt.Sprint(y.Required))
		c.schema(hw, schemaOf(x.Schema), schemaOf(y.Schema))
	}
}

// content compares media types, then the schema of each shared one. The
// media type is named only when a body has several.
func (c *comparer) content(what string, a, b openapi3.Content) {
	types := unionKeys(a, b)
	for _, mt := range types {
		x, y := a[mt], b[mt]
		if x == nil || y == nil {
			c.add(what+" content "+mt, presence(x != nil), presence(y != nil))
			continue
		}
		label := what + " body"
		if len(types) > 1 {
			label = what + " " + mt + " body"
		}
		c.schema(label, schemaOf(x.Schema), schemaOf(y.Schema))
	}
}

func schemaOf(r *openapi3.SchemaRef) *openapi3.Schema {
	if r == nil {
		return nil
	}
	return r.Value
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, dup := a[k]; !dup {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
