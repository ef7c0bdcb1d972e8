package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/internal/safefile"
	"github.com/go-aisearch/tokens/spec"
	"github.com/go-aisearch/tokens/specgov"
)

func newSpecDiffCmd(r *runner) *cobra.Command {
	var upstreams stringList
	var specPath, allowPath string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "spec-diff --upstream FILE|URL...",
		Short: "Compare the spec with Cloudflare's published schema",
		Long: `Compare the operations of the spec (openapi.yaml, embedded) with
Cloudflare's published schema: every difference must be fixed or listed, with
its reason, in the allow-list of deliberate deviations.

Exit codes: 0 no unexplained difference, 1 differences or a stale allow-list
entry (or the schema could not be read), 2 usage.`,
		Args: positional(),
	}
	fs := cmd.Flags()
	fs.Var(&upstreams, "upstream", "Cloudflare's schema, a `file or https URL` (at most "+safefile.FormatSize(specgov.MaxUpstreamSize)+", fetched within "+strconv.Itoa(int(specgov.UpstreamTimeout.Minutes()))+" min): the full openapi.json/yaml, or documents that each hold some of the operations, one --upstream each (required)")
	fs.StringVar(&specPath, "spec", "", "our spec (default: the embedded openapi.yaml)")
	fs.StringVar(&allowPath, "allow", "", "allow-list of deliberate deviations (default: the embedded specgov/allowlist.yaml)")
	fs.BoolVarP(&verbose, "verbose", "v", false, "print the reason of each allowed difference")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if len(upstreams) == 0 {
			return Usagef("--upstream FILE or URL is required")
		}
		return specDiff(cmd.Context(), r.env.Stdout, upstreams, specPath, allowPath, verbose)
	}
	return cmd
}

func specDiff(ctx context.Context, out io.Writer, upstreams []string, specPath, allowPath string, verbose bool) error {
	ours, err := loadOurSpec(specPath)
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
	if allowPath != "" {
		// A FIFO here would block: stay interruptible.
		allow, err = interruptibleRead(ctx, func() (specgov.AllowList, error) { return specgov.LoadAllowList(allowPath) })
	}
	if err != nil {
		return fmt.Errorf("allow-list: %w", err)
	}
	report := specgov.Diff(ours, upstream, allow)
	fmt.Fprintf(out, "spec-diff: %s %s vs %s (tokens paths only)\n", ours.Info.Title, ours.Info.Version, strings.Join(names, " + "))
	report.Write(out, verbose)
	if !report.OK() {
		return fmt.Errorf("%d unexplained difference(s), %d stale allow-list entr(ies): fix the spec, or list a deliberate deviation with its reason in the allow-list",
			len(report.Unexplained), len(report.Stale))
	}
	fmt.Fprintln(out, "spec-diff: ok, no unexplained differences")
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
func (l *stringList) Type() string       { return "source" }

// loadOurSpec loads the spec from path, or the embedded one when path is "".
func loadOurSpec(path string) (*openapi3.T, error) {
	if path == "" {
		return spec.Load()
	}
	return specgov.LoadSpecFile(path)
}
