package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	tokens "github.com/go-aisearch/tokens"
	"github.com/go-aisearch/tokens/specgov"
)

func init() {
	register(&Command{
		Name:  "spec-diff",
		Usage: "--upstream FILE [--upstream FILE]... [--spec FILE] [--allow FILE] [-v]",
		Short: "compare the spec's operations with Cloudflare's published schema",
		Run:   runSpecDiff,
	})
	register(&Command{
		Name:  "lint-spec",
		Usage: "[--spec FILE]",
		Short: "lint the spec: descriptions, security, error envelopes, examples, unused components",
		Run:   runLintSpec,
	})
}

func runSpecDiff(_ context.Context, stdio Stdio, args []string) error {
	c := commands["spec-diff"]
	fs := NewFlagSet(c, stdio)
	var upstreamPaths serveList
	fs.Var(&upstreamPaths, "upstream", "Cloudflare's schema: the full openapi.json/yaml, or documents holding some of the operations, one --upstream each (required)")
	specPath := fs.String("spec", "", "our spec (default: the embedded openapi.yaml)")
	allowPath := fs.String("allow", "", "allow-list of deliberate deviations (default: the embedded specgov/allowlist.yaml)")
	verbose := fs.Bool("v", false, "print the reason of each allowed difference")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(upstreamPaths) == 0 {
		return Usagef("--upstream FILE is required")
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	ours, err := loadOurSpec(*specPath)
	if err != nil {
		return err
	}
	var docs []*openapi3.T
	for _, p := range upstreamPaths {
		doc, err := specgov.LoadUpstreamFile(p)
		if err != nil {
			return fmt.Errorf("upstream: %w", err)
		}
		docs = append(docs, doc)
	}
	upstream, err := specgov.MergeUpstream(docs...)
	if err != nil {
		return fmt.Errorf("upstream: %w", err)
	}
	allow, err := specgov.DefaultAllowList()
	if *allowPath != "" {
		allow, err = specgov.LoadAllowList(*allowPath)
	}
	if err != nil {
		return fmt.Errorf("allow-list: %w", err)
	}
	report := specgov.Diff(ours, upstream, allow)
	fmt.Fprintf(stdio.Out, "spec-diff: %s %s vs %s (tokens paths only)\n", ours.Info.Title, ours.Info.Version, strings.Join(upstreamPaths, " + "))
	report.Write(stdio.Out, *verbose)
	if !report.OK() {
		return fmt.Errorf("%d unexplained difference(s), %d stale allow-list entr(ies): fix the spec, or list a deliberate deviation with its reason in the allow-list",
			len(report.Unexplained), len(report.Stale))
	}
	fmt.Fprintln(stdio.Out, "spec-diff: ok, no unexplained differences")
	return nil
}

func runLintSpec(_ context.Context, stdio Stdio, args []string) error {
	c := commands["lint-spec"]
	fs := NewFlagSet(c, stdio)
	specPath := fs.String("spec", "", "the spec to lint (default: the embedded openapi.yaml)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	doc, err := loadOurSpec(*specPath)
	if err != nil {
		return err
	}
	findings := specgov.Lint(doc)
	for _, f := range findings {
		fmt.Fprintln(stdio.Out, f)
	}
	if len(findings) > 0 {
		return fmt.Errorf("%d lint finding(s)", len(findings))
	}
	fmt.Fprintln(stdio.Out, "lint-spec: ok")
	return nil
}

// loadOurSpec loads the spec from path, or the embedded one when path is "".
func loadOurSpec(path string) (*openapi3.T, error) {
	if path == "" {
		return tokens.LoadSpec()
	}
	return specgov.LoadSpecFile(path)
}
