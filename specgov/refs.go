package specgov

import (
	"fmt"
	"strings"
)

// componentRef is one "#/components/<section>/<name>" reference.
type componentRef struct{ section, name string }

// parseComponentRef splits a local component reference; ok is false for any
// other reference (external files, other JSON pointers).
func parseComponentRef(ref string) (componentRef, bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return componentRef{}, false
	}
	section, name, ok := strings.Cut(rest, "/")
	if !ok || name == "" || strings.Contains(name, "/") {
		return componentRef{}, false
	}
	return componentRef{section, unescapePointer(name)}, true
}

// unescapePointer undoes JSON-pointer escaping (RFC 6901).
func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// collectRefs calls fn for every "$ref" string found in a decoded JSON
// value. Depth is bounded because the value may come from any file.
func collectRefs(v any, fn func(ref string)) {
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
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
				walk(child, depth+1)
			}
		case []any:
			for _, child := range v {
				walk(child, depth+1)
			}
		}
	}
	walk(v, 0)
}

// usedComponents returns every component reachable from roots through
// "$ref"s (transitively, through the components themselves), looked up in
// components (the decoded "components" object). A reference to a component
// that does not exist, or to anything but a local component, is an error.
func usedComponents(components map[string]any, roots ...any) (map[componentRef]bool, error) {
	used := map[componentRef]bool{}
	var queue []componentRef
	var bad []string
	add := func(ref string) {
		c, ok := parseComponentRef(ref)
		if !ok {
			bad = append(bad, fmt.Sprintf("unsupported $ref %q (only #/components/... is)", ref))
			return
		}
		if used[c] {
			return
		}
		if _, exists := lookupComponent(components, c); !exists {
			bad = append(bad, fmt.Sprintf("$ref %q points at nothing", ref))
			return
		}
		used[c] = true
		queue = append(queue, c)
	}
	for _, r := range roots {
		collectRefs(r, add)
	}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		v, _ := lookupComponent(components, c)
		collectRefs(v, add)
	}
	if len(bad) > 0 {
		return used, fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return used, nil
}

func lookupComponent(components map[string]any, c componentRef) (any, bool) {
	section, _ := components[c.section].(map[string]any)
	v, ok := section[c.name]
	return v, ok
}
