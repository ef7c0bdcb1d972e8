package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/flatten/allof"
	"github.com/oasdiff/oasdiff/flatten/commonparams"
)

// Difference is one leaf of oasdiff's report on the paths: the operation
// (Where), the element below it in oasdiff's words (What) and the change.
// oasdiff compares upstream (its base) with ours (its revision), so
// "added" means ours has it and upstream does not, "deleted" the opposite.
type Difference struct {
	Where  string // "GET /accounts/{account_id}/ai-search/tokens", or a path
	What   string // "responses.200.body.result_info.count.type"
	Change string // "added integer", "upstream false, ours true"
}

// Key is the form allow-list entries match:
// "GET /accounts/{account_id}/ai-search/tokens: responses: added 429".
func (d Difference) Key() string { return d.Where + ": " + d.What + ": " + d.Change }

// Compare runs oasdiff on upstream (base) and ours (revision), both
// loaded, and returns every difference of their paths, sorted. Both sides
// are normalised first as oasdiff's --flatten-allof and --flatten-params
// do, so an envelope written as an allOf, or a parameter declared on the
// path instead of the operation, compares equal to the same thing written
// out; this normalises both documents in place. Descriptions, summaries, titles, examples and extensions are not
// compared, nor are tags: they are prose and navigation, and upstream's are
// Cloudflare's.
func Compare(ours, upstream *openapi3.T) ([]Difference, error) {
	var err error
	for _, doc := range []**openapi3.T{&ours, &upstream} {
		commonparams.Move(*doc)
		if *doc, err = allof.MergeSpec(*doc); err != nil {
			return nil, fmt.Errorf("flatten allOf: %w", err)
		}
	}
	config := diff.NewConfig(diff.WithExcludeElements([]string{
		diff.ExcludeDescriptionOption, diff.ExcludeSummaryOption, diff.ExcludeTitleOption,
		diff.ExcludeExamplesOption, diff.ExcludeExtensionsOption,
	}))
	report, err := diff.Get(config, upstream, ours)
	if err != nil {
		return nil, fmt.Errorf("oasdiff: %w", err)
	}
	if report == nil || report.PathsDiff == nil {
		return nil, nil
	}
	// oasdiff's report is a tree of typed diffs; as JSON it is a tree of
	// maps whose leaves are {from, to} pairs, lists of what was added or
	// deleted, and flags. Every leaf becomes one Difference.
	data, err := json.Marshal(report.PathsDiff)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, err
	}
	var out []Difference
	leaves(tree, nil, func(segs []string, change string) {
		// Tags group operations in rendered docs, like descriptions: ours
		// need not match Cloudflare's navigation.
		if d := difference(segs, change); d.What != "tags" {
			out = append(out, d)
		}
	})
	slices.SortFunc(out, func(a, b Difference) int { return strings.Compare(a.Key(), b.Key()) })
	return out, nil
}

// leaves calls emit for every leaf of a decoded oasdiff report, with the
// keys leading to it ("modified" left out: every key below it is).
func leaves(v any, segs []string, emit func(segs []string, change string)) {
	switch v := v.(type) {
	case map[string]any:
		if from, to, ok := fromTo(v); ok {
			emit(segs, "upstream "+render(from)+", ours "+render(to))
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			next := segs
			if k != "modified" {
				next = append(slices.Clone(segs), k)
			}
			leaves(v[k], next, emit)
		}
	case []any:
		for _, e := range v {
			emit(segs, render(e))
		}
	default:
		emit(segs, render(v))
	}
}

// fromTo recognises oasdiff's value diff, {"from": x, "to": y}.
func fromTo(m map[string]any) (from, to any, ok bool) {
	if len(m) == 0 || len(m) > 2 {
		return nil, nil, false
	}
	for k := range m {
		if k != "from" && k != "to" {
			return nil, nil, false
		}
	}
	return m["from"], m["to"], true
}

func render(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	// A security requirement: its schemes, "api_email+api_key".
	if m, ok := v.(map[string]any); ok {
		if schemes, ok := m["schemes"].(map[string]any); ok {
			names := make([]string, 0, len(schemes))
			for n := range schemes {
				names = append(names, n)
			}
			slices.Sort(names)
			return strings.Join(names, "+")
		}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// difference turns the keys of a leaf into a Difference: the path and
// method become Where; the last "added" or "deleted" moves into Change;
// the rest is shortened for reading (a JSON body's schema is "body", a
// property is ".name", an array's items "[]").
func difference(segs []string, change string) Difference {
	d := Difference{Where: "paths"}
	switch {
	case len(segs) >= 3 && segs[1] == "operations" && segs[2] != "added" && segs[2] != "deleted":
		d.Where, segs = segs[2]+" "+segs[0], segs[3:]
	case len(segs) >= 1 && segs[0] != "added" && segs[0] != "deleted":
		d.Where, segs = segs[0], segs[1:]
	}
	for i := len(segs) - 1; i >= 0; i-- {
		if segs[i] == "added" || segs[i] == "deleted" {
			change = segs[i] + " " + change
			segs = append(slices.Clone(segs[:i]), segs[i+1:]...)
			break
		}
	}
	var b strings.Builder
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		switch {
		case s == "content" && i+2 < len(segs) && segs[i+2] == "schema" && strings.Contains(segs[i+1], "json"):
			s, i = "body", i+2
		case s == "properties" && i+1 < len(segs):
			i++
			s = segs[i]
		case s == "items":
			b.WriteString("[]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	d.What = b.String()
	if d.What == "" {
		d.What = "operation"
	}
	d.Change = change
	return d
}
