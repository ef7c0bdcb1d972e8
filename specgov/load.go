package specgov

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"

	"github.com/go-aisearch/tokens/internal/safefile"
)

// TokensPaths are the paths Diff compares: the AI Search tokens API, the
// AI Search instances, indexing jobs and namespaces that use its tokens
// (both route families: account-level and namespaced), and the Cloudflare
// API token operations (user- and account-owned) that create the service
// token it holds. Everything else in an upstream document (chat, search,
// stats, items...) is ignored.
var TokensPaths = []string{
	"/accounts/{account_id}/ai-search/tokens",
	"/accounts/{account_id}/ai-search/tokens/{id}",
	"/accounts/{account_id}/ai-search/instances",
	"/accounts/{account_id}/ai-search/instances/{id}",
	"/accounts/{account_id}/ai-search/instances/{id}/jobs",
	"/accounts/{account_id}/ai-search/instances/{id}/jobs/{job_id}",
	"/accounts/{account_id}/ai-search/instances/{id}/jobs/{job_id}/logs",
	"/accounts/{account_id}/ai-search/namespaces",
	"/accounts/{account_id}/ai-search/namespaces/{name}",
	"/accounts/{account_id}/ai-search/namespaces/{name}/instances",
	"/accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}",
	"/accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}/jobs",
	"/accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}/jobs/{job_id}",
	"/accounts/{account_id}/ai-search/namespaces/{name}/instances/{id}/jobs/{job_id}/logs",
	"/user/tokens",
	"/user/tokens/permission_groups",
	"/user/tokens/verify",
	"/user/tokens/{token_id}",
	"/user/tokens/{token_id}/value",
	"/accounts/{account_id}/tokens",
	"/accounts/{account_id}/tokens/permission_groups",
	"/accounts/{account_id}/tokens/verify",
	"/accounts/{account_id}/tokens/{token_id}",
	"/accounts/{account_id}/tokens/{token_id}/value",
}

// LoadSpecFile loads and validates an OpenAPI document from a file (the
// project's own spec, or a copy of it): a regular file of at most
// MaxUpstreamSize.
func LoadSpecFile(path string) (*openapi3.T, error) {
	data, err := safefile.ReadFile(path, MaxUpstreamSize)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	doc, err := openapi3.NewLoader().LoadFromDataWithPath(data, &url.URL{Path: filepath.ToSlash(path)})
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate %s: %w", path, err)
	}
	return doc, nil
}

// LoadUpstreamFile loads Cloudflare's published schema from a file (or an
// https URL: see ReadUpstream, which takes a context): the whole
// openapi.json or openapi.yaml, or a document holding only the tokens
// operations. See LoadUpstream.
func LoadUpstreamFile(src string) (*openapi3.T, error) {
	data, err := ReadUpstream(context.Background(), src)
	if err != nil {
		return nil, err
	}
	doc, err := LoadUpstream(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", UpstreamName(src), err)
	}
	return doc, nil
}

// LoadUpstream parses an upstream document (JSON or YAML) and keeps only the
// tokens paths and the components they reach, so that the thousands of
// other operations in Cloudflare's full schema are neither resolved nor
// able to break loading. The result is not validated: upstream is what it
// is, and Diff reports how it differs.
func LoadUpstream(data []byte) (*openapi3.T, error) {
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '{' {
		var err error
		if data, err = yaml.YAMLToJSON(data); err != nil {
			return nil, fmt.Errorf("parse YAML: %w", err)
		}
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse JSON: %w", err)
	}
	pruned, err := pruneToTokens(raw)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(pruned)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(out)
	if err != nil {
		return nil, fmt.Errorf("load the tokens operations: %w", err)
	}
	return doc, nil
}

// pruneToTokens returns a document with raw's top-level metadata, its
// tokens paths and only the components those reach.
func pruneToTokens(raw map[string]any) (map[string]any, error) {
	if _, ok := raw["openapi"].(string); !ok {
		return nil, fmt.Errorf("not an OpenAPI 3 document (no \"openapi\" version)")
	}
	allPaths, _ := raw["paths"].(map[string]any)
	paths := map[string]any{}
	for _, p := range TokensPaths {
		if item, ok := allPaths[p]; ok {
			paths[p] = item
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("none of the tokens paths (%s) is in it: is it Cloudflare's API schema?", TokensPaths[0])
	}
	components, _ := raw["components"].(map[string]any)
	used, err := usedComponents(components, paths)
	if err != nil {
		return nil, fmt.Errorf("tokens paths: %w", err)
	}
	kept := map[string]any{}
	for c := range used {
		section, _ := kept[c.section].(map[string]any)
		if section == nil {
			section = map[string]any{}
			kept[c.section] = section
		}
		section[c.name], _ = lookupComponent(components, c)
	}
	// Security requirements name their schemes instead of referencing them.
	if schemes, ok := components["securitySchemes"]; ok {
		kept["securitySchemes"] = schemes
	}
	pruned := map[string]any{"paths": paths, "components": kept}
	for _, k := range []string{"openapi", "info", "servers", "security"} {
		if v, ok := raw[k]; ok {
			pruned[k] = v
		}
	}
	return pruned, nil
}
