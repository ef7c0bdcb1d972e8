package specval

import (
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// MergeAllOf returns s with its allOf parts folded in, recursively: their
// properties and required fields added to its own, and type, items, not and
// additionalProperties taken from the first part that sets them when s
// does not. So a token written as allOf [fields, {value}] reads as the same
// fields written inline. s itself is not changed; the result has no allOf.
func MergeAllOf(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 0 {
		return s
	}
	m := *s
	m.AllOf = nil
	m.Properties = maps.Clone(s.Properties)
	if m.Properties == nil {
		m.Properties = openapi3.Schemas{}
	}
	m.Required = slices.Clone(s.Required)
	for _, part := range s.AllOf {
		if part == nil || part.Value == nil {
			continue
		}
		p := MergeAllOf(part.Value)
		for k, prop := range p.Properties {
			if _, ok := m.Properties[k]; !ok {
				m.Properties[k] = prop
			}
		}
		for _, r := range p.Required {
			if !slices.Contains(m.Required, r) {
				m.Required = append(m.Required, r)
			}
		}
		if m.Type == nil || m.Type.IsEmpty() {
			m.Type = p.Type
		}
		if m.Items == nil {
			m.Items = p.Items
		}
		if m.Not == nil {
			m.Not = p.Not
		}
		if m.AdditionalProperties.Has == nil && m.AdditionalProperties.Schema == nil {
			m.AdditionalProperties = p.AdditionalProperties
		}
	}
	return &m
}
