package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"
)

// MaxUpstreamSize bounds an upstream schema, file or download. Cloudflare's
// whole published openapi.json is several MiB (over 4 in 2026); the bound
// leaves it room to grow many times over.
const MaxUpstreamSize = 64 << 20

// UpstreamTimeout bounds a download of the upstream schema, from the
// request to the last byte.
const UpstreamTimeout = 2 * time.Minute

// errTooLarge is what a file or download past the limit gets.
var errTooLarge = errors.New("larger than the limit")

// ReadUpstream returns the schema src names: an https URL (plain http only
// for a loopback host: tests, a local mirror), fetched within timeout and
// until ctx ends, or a regular file. Either is refused past limit bytes.
func ReadUpstream(ctx context.Context, src string, limit int64, timeout time.Duration) ([]byte, error) {
	u, err := url.Parse(src)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return readFile(src, limit)
	}
	if err := checkUpstreamURL(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5")
	client := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return fmt.Errorf("more than %d redirects", len(via))
		}
		return checkUpstreamURL(r.URL) // no way back to plain http
	}}
	name := UpstreamName(src)
	timedOut := func() bool { return errors.Is(context.Cause(ctx), context.DeadlineExceeded) }
	resp, err := client.Do(req)
	if err != nil {
		if timedOut() {
			return nil, fmt.Errorf("GET %s: no complete answer within %s", name, timeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its copy of the URL may hold a query
		}
		return nil, fmt.Errorf("GET %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", name, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	switch {
	case err != nil && timedOut():
		return nil, fmt.Errorf("GET %s: no complete answer within %s", name, timeout)
	case err != nil:
		return nil, fmt.Errorf("GET %s: %w", name, err)
	case int64(len(data)) > limit:
		return nil, fmt.Errorf("GET %s: %w of %d bytes", name, errTooLarge, limit)
	}
	return data, nil
}

// readFile reads a regular file of at most limit bytes (not a FIFO, which
// would block, nor a device).
func readFile(path string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO would block until a writer came.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w of %d bytes", path, errTooLarge, limit)
	}
	return data, nil
}

// checkUpstreamURL allows https, and http to a loopback host only: a drift
// check must not be fooled by a network in the middle.
func checkUpstreamURL(u *url.URL) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return fmt.Errorf("%s: plain http is only for a loopback host; use https", UpstreamName(u.String()))
	}
	return fmt.Errorf("%s: want an https URL or a file", UpstreamName(u.String()))
}

// UpstreamName is src fit to print: a URL without its user information,
// query or fragment (where a token could hide), or the file name as given.
func UpstreamName(src string) string {
	u, err := url.Parse(src)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return src
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// decode parses a JSON or YAML document into a map.
func decode(data []byte) (map[string]any, error) {
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		var err error
		if data, err = yaml.YAMLToJSON(data); err != nil {
			return nil, fmt.Errorf("parse YAML: %w", err)
		}
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse JSON: %w", err)
	}
	if _, ok := raw["openapi"].(string); !ok {
		return nil, errors.New(`not an OpenAPI 3 document (no "openapi" version)`)
	}
	return raw, nil
}

// LoadUpstream loads upstream documents (Cloudflare's whole openapi.json,
// or excerpts of it, one per API family), keeps only the given paths and
// the components they reach, so that the thousands of other operations of
// the whole schema are neither resolved nor able to break loading, and
// joins what is left into one document. A document with none of the paths
// adds nothing; a path in two documents is an error. The result is not
// validated: upstream is what it is, and the diff reports how it differs.
func LoadUpstream(paths []string, docs ...[]byte) (*openapi3.T, error) {
	if len(paths) == 0 {
		return nil, errors.New("our spec has no paths to compare")
	}
	var merged *openapi3.T
	for i, data := range docs {
		raw, err := decode(data)
		if err != nil {
			return nil, fmt.Errorf("upstream document %d: %w", i+1, err)
		}
		pushSecurity(raw)
		pruned, err := prune(raw, paths)
		if err != nil {
			return nil, fmt.Errorf("upstream document %d: %w", i+1, err)
		}
		if pruned == nil {
			continue
		}
		out, err := json.Marshal(pruned)
		if err != nil {
			return nil, err
		}
		// Refs are resolved on load, so each path item stands on its own
		// and documents need not agree on component names.
		doc, err := openapi3.NewLoader().LoadFromData(out)
		if err != nil {
			return nil, fmt.Errorf("upstream document %d: load the operations: %w", i+1, err)
		}
		if merged == nil {
			merged = doc
			continue
		}
		for p, item := range doc.Paths.Map() {
			if merged.Paths.Value(p) != nil {
				return nil, fmt.Errorf("path %s is in upstream document %d and an earlier one", p, i+1)
			}
			merged.Paths.Set(p, item)
		}
		if merged.Components.SecuritySchemes == nil {
			merged.Components.SecuritySchemes = openapi3.SecuritySchemes{}
		}
		for name, scheme := range doc.Components.SecuritySchemes {
			if _, ok := merged.Components.SecuritySchemes[name]; !ok {
				merged.Components.SecuritySchemes[name] = scheme
			}
		}
	}
	if merged == nil {
		return nil, fmt.Errorf("none of our paths (%s...) is in the upstream documents: are they Cloudflare's API schema?", paths[0])
	}
	return merged, nil
}

// pushSecurity makes a document's top-level security the own of each
// operation that declares none, and drops it: once documents are merged, it
// would apply to the operations of the others too.
func pushSecurity(raw map[string]any) {
	sec, ok := raw["security"]
	if !ok {
		return
	}
	delete(raw, "security")
	for _, item := range object(raw, "paths") {
		item, _ := item.(map[string]any)
		for method, op := range item {
			op, ok := op.(map[string]any)
			if !ok || method == "parameters" || method == "servers" {
				continue
			}
			if _, has := op["security"]; !has {
				op["security"] = sec
			}
		}
	}
}

// object returns m[key] as an object, creating it when absent.
func object(m map[string]any, key string) map[string]any {
	o, ok := m[key].(map[string]any)
	if !ok {
		o = map[string]any{}
		m[key] = o
	}
	return o
}

// prune returns a document with raw's top-level metadata, the given paths
// and only the components those reach; nil when raw has none of the paths.
func prune(raw map[string]any, keep []string) (map[string]any, error) {
	all, _ := raw["paths"].(map[string]any)
	paths := map[string]any{}
	for _, p := range keep {
		if item, ok := all[p]; ok {
			paths[p] = item
		}
	}
	if len(paths) == 0 {
		return nil, nil
	}
	components := object(raw, "components")
	used, err := reachable(components, paths)
	if err != nil {
		return nil, err
	}
	kept := map[string]any{}
	for _, ref := range used {
		section, name := ref[0], ref[1]
		object(kept, section)[name] = components[section].(map[string]any)[name]
	}
	// Security requirements name their schemes instead of referencing them.
	if schemes, ok := components["securitySchemes"]; ok {
		kept["securitySchemes"] = schemes
	}
	pruned := map[string]any{"paths": paths, "components": kept}
	for _, k := range []string{"openapi", "info", "servers"} {
		if v, ok := raw[k]; ok {
			pruned[k] = v
		}
	}
	return pruned, nil
}

// reachable returns every component ([section, name]) that root reaches
// through "$ref"s, transitively. A $ref to anything but an existing local
// component is an error.
func reachable(components map[string]any, root any) ([][2]string, error) {
	var used [][2]string
	var bad []string
	queue := []any{root}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		refs(v, 0, func(ref string) {
			rest, ok := strings.CutPrefix(ref, "#/components/")
			section, name, ok2 := strings.Cut(rest, "/")
			if !ok || !ok2 || strings.Contains(name, "/") {
				bad = append(bad, fmt.Sprintf("unsupported $ref %q (only #/components/... is)", ref))
				return
			}
			name = strings.ReplaceAll(strings.ReplaceAll(name, "~1", "/"), "~0", "~") // RFC 6901
			c, exists := object(components, section)[name]
			if !exists {
				bad = append(bad, fmt.Sprintf("$ref %q points at nothing", ref))
				return
			}
			if key := [2]string{section, name}; !slices.Contains(used, key) {
				used = append(used, key)
				queue = append(queue, c)
			}
		})
	}
	if len(bad) > 0 {
		return nil, errors.New(strings.Join(bad, "; "))
	}
	return used, nil
}

// refs calls fn for every "$ref" string in a decoded JSON value. Depth is
// bounded: the value may come from any file.
func refs(v any, depth int, fn func(string)) {
	if depth > 256 {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if s, ok := child.(string); ok && k == "$ref" {
				fn(s)
				continue
			}
			refs(child, depth+1, fn)
		}
	case []any:
		for _, child := range v {
			refs(child, depth+1, fn)
		}
	}
}
