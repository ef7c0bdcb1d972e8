package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/go-aisearch/tokens/internal/safefile"
	"github.com/go-aisearch/tokens/spec"
	"github.com/go-aisearch/tokens/specgov"
)

func runSpecDiff(ctx context.Context, c *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(c, stdio)
	var upstreams stringList
	fs.Var(&upstreams, "upstream", "Cloudflare's schema, a file or an https URL (at most "+safefile.FormatSize(specgov.MaxUpstreamSize)+", fetched within "+strconv.Itoa(int(specgov.UpstreamTimeout.Minutes()))+" min): the full openapi.json/yaml, or documents that each hold some of the operations, one --upstream each (required)")
	specPath := fs.String("spec", "", "our spec (default: the embedded openapi.yaml)")
	allowPath := fs.String("allow", "", "allow-list of deliberate deviations (default: the embedded specgov/allowlist.yaml)")
	verbose := fs.Bool("v", false, "print the reason of each allowed difference")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if len(upstreams) == 0 {
		return Usagef("--upstream FILE or URL is required")
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	ours, err := loadOurSpec(*specPath)
	if err != nil {
		return err
	}
	var docs []*openapi3.T
	var names []string
	for _, src := range upstreams {
		data, err := specgov.ReadUpstream(ctx, src)
		if err != nil {
			return fmt.Errorf("upstream: %w", err)
		}
		doc, err := specgov.LoadUpstream(data)
		if err != nil {
			return fmt.Errorf("upstream %s: %w", specgov.UpstreamName(src), err)
		}
		docs = append(docs, doc)
		names = append(names, specgov.UpstreamName(src))
	}
	upstream, err := specgov.MergeUpstream(docs...)
	if err != nil {
		return fmt.Errorf("upstream: %w", err)
	}
	allow, err := specgov.DefaultAllowList()
	if *allowPath != "" {
		// A FIFO here would block: stay interruptible.
		allow, err = interruptible(ctx, func() (specgov.AllowList, error) { return specgov.LoadAllowList(*allowPath) })
	}
	if err != nil {
		return fmt.Errorf("allow-list: %w", err)
	}
	report := specgov.Diff(ours, upstream, allow)
	fmt.Fprintf(stdio.Out, "spec-diff: %s %s vs %s (tokens paths only)\n", ours.Info.Title, ours.Info.Version, strings.Join(names, " + "))
	report.Write(stdio.Out, *verbose)
	if !report.OK() {
		return fmt.Errorf("%d unexplained difference(s), %d stale allow-list entr(ies): fix the spec, or list a deliberate deviation with its reason in the allow-list",
			len(report.Unexplained), len(report.Stale))
	}
	fmt.Fprintln(stdio.Out, "spec-diff: ok, no unexplained differences")
	return nil
}

func runLintSpec(_ context.Context, c *Command, stdio Stdio, args []string) error {
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

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// loadOurSpec loads the spec from path, or the embedded one when path is "".
func loadOurSpec(path string) (*openapi3.T, error) {
	if path == "" {
		return spec.Load()
	}
	return specgov.LoadSpecFile(path)
}
