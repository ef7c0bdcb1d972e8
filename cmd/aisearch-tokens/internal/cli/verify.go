package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/internal/safefile"
)

// runVerify validates cassettes (files, or the *.yaml directly inside
// directories; default ".") with the contract package: every request and
// response against openapi.yaml, the provoked-4xx rule, echoed and
// unredacted secrets. It prints a report with operation x status coverage.
// Users run it in CI on files they did not write: only regular files are
// read, each at most --max-file-size, aliases included.
func runVerify(ctx context.Context, c *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(c, stdio)
	secretsOnly := fs.Bool("secrets-only", false, "only scan for unredacted credentials (no contract check)")
	requireCoverage := fs.Bool("require-coverage", false, "also fail unless every documented operation x status pair is covered")
	maxSize := sizeFlag(contract.DefaultMaxCassetteSize)
	fs.Var(&maxSize, "max-file-size", "refuse a cassette larger than this, or whose YAML aliases expand past it (e.g. 64MiB)")
	paths, err := parseVariadic(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	v, err := contract.NewValidator()
	if err != nil {
		return err
	}
	rep, err := v.Verify(ctx, paths, contract.VerifyOptions{MaxFileSize: int64(maxSize), SecretsOnly: *secretsOnly})
	if errors.Is(err, safefile.ErrTooLarge) {
		return fmt.Errorf("%w (raise the limit with --max-file-size)", err)
	}
	if err != nil {
		return err
	}
	if *secretsOnly {
		for _, s := range rep.Secrets {
			fmt.Fprintln(stdio.Out, "SECRET", s)
		}
		if len(rep.Secrets) > 0 {
			return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d unredacted secrets in %d files", len(rep.Secrets), len(rep.Files))}
		}
		fmt.Fprintf(stdio.Out, "secret scan ok: %d cassettes, no unredacted credentials\n", len(rep.Files))
		return nil
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

// sizeFlag is a byte count written as 1048576, 512KiB or 64MiB.
type sizeFlag int64

func (s *sizeFlag) String() string { return safefile.FormatSize(int64(*s)) }

func (s *sizeFlag) Set(v string) error {
	num, unit := v, int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if n, ok := strings.CutSuffix(v, u.suffix); ok {
			num, unit = n, u.n
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/unit {
		return errors.New("want a positive size such as 1048576, 512KiB or 64MiB")
	}
	*s = sizeFlag(n * unit)
	return nil
}
