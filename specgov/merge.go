package specgov

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// MergeUpstream joins upstream documents that each hold some of the tokens
// paths (Cloudflare's reference files, one per API family) into one that
// Diff can compare with ours. Cloudflare's whole openapi.json needs no
// merging: it holds them all. A path found in two documents is an error, as
// Diff could not tell which one Cloudflare means.
func MergeUpstream(docs ...*openapi3.T) (*openapi3.T, error) {
	switch len(docs) {
	case 0:
		return nil, fmt.Errorf("no upstream document")
	case 1:
		return docs[0], nil
	}
	merged := &openapi3.T{OpenAPI: docs[0].OpenAPI, Info: docs[0].Info, Paths: openapi3.NewPaths()}
	from := map[string]int{}
	for i, doc := range docs {
		if doc == nil || doc.Paths == nil {
			continue
		}
		for path, item := range doc.Paths.Map() {
			if j, dup := from[path]; dup {
				return nil, fmt.Errorf("path %s is in upstream documents %d and %d", path, j+1, i+1)
			}
			from[path] = i
			// Refs are resolved on load, so the path item stands on its own;
			// top-level security becomes the operations' own.
			item = inheritSecurity(doc, item)
			merged.Paths.Set(path, item)
		}
	}
	return merged, nil
}

// inheritSecurity copies doc's top-level security into the operations of
// item that declare none, so that merging does not change their effective
// requirements.
func inheritSecurity(doc *openapi3.T, item *openapi3.PathItem) *openapi3.PathItem {
	if len(doc.Security) == 0 {
		return item
	}
	cp := *item
	for method, op := range cp.Operations() {
		if op.Security == nil {
			o := *op
			sec := doc.Security
			o.Security = &sec
			cp.SetOperation(method, &o)
		}
	}
	return &cp
}
