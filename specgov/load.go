package specgov

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/yaml"
)

// TokensPaths are the paths Diff compares: the AI Search tokens API and the
// Cloudflare API token operations (user- and account-owned) that create the
// service token it holds. Everything else in an upstream document is ignored.
var TokensPaths = []string{
	"/accounts/{account_id}/ai-search/tokens",
	"/accounts/{account_id}/ai-search/tokens/{id}",
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

// maxSpecBytes bounds what LoadUpstreamFile reads; Cloudflare's whole
// published schema is a few tens of MB.
const maxSpecBytes = 512 << 20

// LoadSpecFile loads and validates an OpenAPI document from a file (the
// project's own spec, or a copy of it).
func LoadSpecFile(path string) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate %s: %w", path, err)
	}
	return doc, nil
}

// LoadUpstreamFile loads Cloudflare's published schema from a file: the
// whole openapi.json or openapi.yaml, or a document holding only the tokens
// operations. See LoadUpstream.
func LoadUpstreamFile(path string) (*openapi3.T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSpecBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxSpecBytes {
		return nil, fmt.Errorf("%s: larger than %d MiB", path, maxSpecBytes>>20)
	}
	doc, err := LoadUpstream(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
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
