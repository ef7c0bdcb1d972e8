package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run returns 0 when the revision is safe for clients, 1 when the gate
// fails, 2 on a bad command line or unreadable spec.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("breaking", flag.ContinueOnError)
	fs.SetOutput(stderr)
	baseName := fs.String("base-name", "base", "how to name the base in messages (e.g. the git ref)")
	revisionName := fs.String("revision-name", "working tree", "how to name the revision in messages")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: breaking [--base-name REF] [--revision-name REF] BASE_SPEC REVISION_SPEC")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	base, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "breaking:", err)
		return 2
	}
	revision, err := os.ReadFile(fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "breaking:", err)
		return 2
	}
	res, err := Check(base, revision)
	if err != nil {
		fmt.Fprintln(stderr, "breaking:", err)
		return 2
	}
	fmt.Fprintf(stdout, "breaking: %s (info.version %s) -> %s (info.version %s)\n", *baseName, res.BaseVersion, *revisionName, res.RevisionVersion)
	if !res.Changed {
		fmt.Fprintln(stdout, "breaking: the spec did not change")
		return 0
	}
	for _, line := range res.Breaking {
		fmt.Fprintln(stdout, "  BREAKING", line)
	}
	for _, line := range res.Version {
		fmt.Fprintln(stdout, "  VERSION ", line)
	}
	switch {
	case res.Failed():
		fmt.Fprintln(stdout, "breaking: FAIL (bump info.version in openapi.yaml: major for a breaking change, and add the CHANGELOG.md entry)")
		return 1
	case len(res.Breaking) > 0:
		// Breaking, but announced with a major bump: allowed.
		fmt.Fprintf(stdout, "breaking: %d breaking change(s), released as major version %s: ok\n", len(res.Breaking), res.RevisionVersion)
		return 0
	}
	fmt.Fprintln(stdout, "breaking: no breaking change for clients: ok")
	return 0
}
