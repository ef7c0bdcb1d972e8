package cli

import (
	"context"
	"fmt"

	"github.com/go-aisearch/tokens/contract"
)

func init() {
	register(&Command{
		Name:  "verify",
		Usage: "[--secrets-only] [--require-coverage] [PATH...]",
		Short: "check recorded go-vcr cassettes against the embedded contract (exit 1 on violations)",
		Run:   runVerify,
	})
}

// runVerify validates cassettes (files, or the *.yaml directly inside
// directories; default ".") with the contract package: every request and
// response against openapi.yaml, the provoked-4xx rule, echoed and
// unredacted secrets. It prints a report with operation x status coverage.
func runVerify(ctx context.Context, stdio Stdio, args []string) error {
	c := commands["verify"]
	fs := NewFlagSet(c, stdio)
	secretsOnly := fs.Bool("secrets-only", false, "only scan for unredacted credentials (no contract check)")
	requireCoverage := fs.Bool("require-coverage", false, "also fail unless every documented operation x status pair is covered")
	paths, err := parseVariadic(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if *secretsOnly {
		return scanSecrets(stdio, paths)
	}
	v, err := contract.NewValidator()
	if err != nil {
		return err
	}
	rep, err := v.Verify(ctx, paths)
	if err != nil {
		return err
	}
	rep.WriteText(stdio.Out)
	switch {
	case !rep.OK():
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d contract violations and %d secrets in %d files", len(rep.Failures), len(rep.Secrets), len(rep.Files))}
	case *requireCoverage && len(rep.Coverage.Missing()) > 0:
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d documented operation x status pairs have no recording", len(rep.Coverage.Missing()))}
	}
	return nil
}

func scanSecrets(stdio Stdio, paths []string) error {
	files, err := contract.CassetteFiles(paths)
	if err != nil {
		return err
	}
	n := 0
	for _, f := range files {
		found, err := contract.ScanFile(f)
		if err != nil {
			return err
		}
		for _, s := range found {
			fmt.Fprintln(stdio.Out, "SECRET", s)
			n++
		}
	}
	if n > 0 {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d unredacted secrets in %d files", n, len(files))}
	}
	fmt.Fprintf(stdio.Out, "secret scan ok: %d cassettes, no unredacted credentials\n", len(files))
	return nil
}
