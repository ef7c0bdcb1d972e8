// Command drift compares openapi.yaml with Cloudflare's published
// definitions of the same operations (make upstream-diff): oasdiff finds
// every difference of the paths openapi.yaml defines, and each must be
// explained by an entry of the reviewed allow-list (allowlist.yaml beside
// this file), or the check fails; so does an entry that explains nothing.
//
//	go run ./drift --spec ../../openapi.yaml --upstream FILE|URL [--upstream ...] [--allow FILE] [-v]
//
// It lives in tools/specgov, a module of its own, with the breaking-change
// gate: oasdiff forces go 1.26 and ~20 requirements that the library's
// module must not pass on to its users.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// run returns 0 when every difference is explained, 1 when not, 2 on a
// bad command line, 3 when a document cannot be read (a missing copy, no
// network): the caller tells "drifted" from "could not check".
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var upstreams stringList
	fs.Var(&upstreams, "upstream", "Cloudflare's schema: a file or an https URL, the whole openapi.json or excerpts of it, one --upstream each (required)")
	specPath := fs.String("spec", "openapi.yaml", "our spec")
	allowPath := fs.String("allow", "", "allow-list of deliberate deviations (default: the embedded allowlist.yaml)")
	verbose := fs.Bool("v", false, "print each allowed difference and its reason")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if len(upstreams) == 0 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: drift --upstream FILE|URL [--upstream ...] [--spec FILE] [--allow FILE] [-v]")
		return 2
	}
	fail := func(code int, format string, a ...any) int {
		fmt.Fprintf(stderr, "drift: "+format+"\n", a...)
		return code
	}
	allowData := defaultAllowList
	if *allowPath != "" {
		var err error
		if allowData, err = readFile(*allowPath, MaxUpstreamSize); err != nil {
			return fail(2, "allow-list: %v", err)
		}
	}
	allow, err := ParseAllowList(allowData)
	if err != nil {
		return fail(2, "allow-list: %v", err)
	}
	data, err := readFile(*specPath, MaxUpstreamSize)
	if err != nil {
		return fail(2, "%v", err)
	}
	ours, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return fail(2, "%s: %v", *specPath, err)
	}
	var docs [][]byte
	var names []string
	for _, src := range upstreams {
		data, err := ReadUpstream(ctx, src, MaxUpstreamSize, UpstreamTimeout)
		if err != nil {
			return fail(3, "cannot read the upstream schema: %v", err)
		}
		docs, names = append(docs, data), append(names, UpstreamName(src))
	}
	upstream, err := LoadUpstream(ours.Paths.InMatchingOrder(), docs...)
	if err != nil {
		return fail(1, "upstream %s: %v", strings.Join(names, " + "), err)
	}
	diffs, err := Compare(ours, upstream)
	if err != nil {
		return fail(1, "%v", err)
	}
	report := Classify(diffs, allow)
	fmt.Fprintf(stdout, "drift: %s %s vs %s (oasdiff, upstream as base)\n", ours.Info.Title, ours.Info.Version, strings.Join(names, " + "))
	report.Write(stdout, *verbose)
	if !report.OK() {
		fmt.Fprintf(stdout, "drift: FAIL: %d unexplained difference(s), %d stale allow-list entr(ies): fix the spec, or list a deliberate deviation with its reason in tools/specgov/drift/allowlist.yaml\n",
			len(report.Unexplained), len(report.Stale))
		return 1
	}
	fmt.Fprintln(stdout, "drift: ok, every difference is explained")
	return 0
}
