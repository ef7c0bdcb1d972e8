package specgov

import (
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// unused reports components that nothing reachable from the paths uses:
// a component only used by another unused component is unused too. Security
// schemes count as used when a security requirement names them.
func (l *linter) unused() {
	data, err := json.Marshal(l.doc)
	if err != nil {
		l.add("unused-component", "components", "cannot inspect the document: %v", err)
		return
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		l.add("unused-component", "components", "cannot inspect the document: %v", err)
		return
	}
	components, _ := raw["components"].(map[string]any)
	roots := make([]any, 0, len(raw))
	for k, v := range raw {
		if k != "components" {
			roots = append(roots, v)
		}
	}
	used, err := usedComponents(components, roots...)
	if err != nil {
		l.add("dangling-ref", "document", "%v", err)
	}
	for _, name := range l.securitySchemeNames() {
		used[componentRef{"securitySchemes", name}] = true
	}
	for _, section := range sortedKeys(components) {
		entries, _ := components[section].(map[string]any)
		for _, name := range sortedKeys(entries) {
			if !used[componentRef{section, name}] {
				l.add("unused-component", fmt.Sprintf("components.%s.%s", section, name), "component is never used")
			}
		}
	}
}

// securitySchemeNames lists the schemes named by any security requirement.
func (l *linter) securitySchemeNames() []string {
	var names []string
	add := func(reqs openapi3.SecurityRequirements) {
		for _, r := range reqs {
			for n := range r {
				names = append(names, n)
			}
		}
	}
	add(l.doc.Security)
	if l.doc.Paths != nil {
		for _, item := range l.doc.Paths.Map() {
			for _, op := range item.Operations() {
				if op.Security != nil {
					add(*op.Security)
				}
			}
		}
	}
	return names
}
