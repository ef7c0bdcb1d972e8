// Command breaking is the spec's breaking-change gate: it compares two
// versions of openapi.yaml with oasdiff and fails when the revision breaks
// clients of the base (removed operation, new required request field,
// removed response field, changed type, narrowed enum...) or when the
// revision's info.version does not carry the change (any change needs a
// bump, a breaking one a major bump).
//
// It lives in its own module because oasdiff forces go 1.26 and ~20
// requirements that the library module must not inherit.
package main

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Result is what the gate found between a base and a revision.
type Result struct {
	BaseVersion, RevisionVersion string
	Changed                      bool     // the specs differ at all
	Breaking                     []string // ERR-level changes for clients, one line each
	Version                      []string // versioning-policy violations
}

// Failed reports whether the gate must stop the build: a versioning
// violation. A breaking change alone is not one: released with a major bump
// it passes, and without one it always brings a Version finding.
func (r Result) Failed() bool { return len(r.Version) > 0 }

// versionPolicy raises oasdiff's versioning checks (INFO by default) to ERR:
// a breaking change whose info.version is unchanged, lower, or not a major
// bump fails the gate.
var versionPolicy = map[string]checker.Level{
	checker.APIVersionNotBumpedId:      checker.ERR,
	checker.APIVersionDecreasedId:      checker.ERR,
	checker.APIMajorVersionNotBumpedId: checker.ERR,
}

// Check compares base with revision (both OpenAPI documents, YAML or JSON).
func Check(base, revision []byte) (Result, error) {
	// A fresh loader per spec: the loader caches documents by location.
	s1, err := load.NewSpecInfoFromData(openapi3.NewLoader(), base, "base.yaml")
	if err != nil {
		return Result{}, fmt.Errorf("load base spec: %w", err)
	}
	s2, err := load.NewSpecInfoFromData(openapi3.NewLoader(), revision, "revision.yaml")
	if err != nil {
		return Result{}, fmt.Errorf("load revision spec: %w", err)
	}
	report, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return Result{}, fmt.Errorf("diff specs: %w", err)
	}
	res := Result{
		BaseVersion:     s1.GetVersion(),
		RevisionVersion: s2.GetVersion(),
		Changed:         !report.Empty(),
	}
	config := checker.NewConfig(checker.GetAllChecks(), checker.WithSeverityLevels(versionPolicy))
	changes := checker.CheckBackwardCompatibilityUntilLevel(config, report, sources, checker.ERR)
	l := checker.NewDefaultLocalizer()
	for _, c := range changes {
		line := fmt.Sprintf("[%s] %s", c.GetId(), c.GetUncolorizedText(l))
		if c.GetOperation() != "" {
			line = fmt.Sprintf("%s %s: %s", c.GetOperation(), c.GetPath(), line)
		}
		if _, isVersion := versionPolicy[c.GetId()]; isVersion {
			res.Version = append(res.Version, line)
		} else {
			res.Breaking = append(res.Breaking, line)
		}
	}
	// oasdiff only judges the version of breaking changes; the changelog
	// policy also wants a bump for every other change.
	if res.Changed && len(res.Breaking) == 0 && res.BaseVersion == res.RevisionVersion {
		res.Version = append(res.Version, fmt.Sprintf(
			"[spec-changed-version-not-bumped] the spec changed but info.version is still %s: bump it and add a CHANGELOG.md entry", res.RevisionVersion))
	}
	slices.Sort(res.Breaking)
	return res, nil
}
