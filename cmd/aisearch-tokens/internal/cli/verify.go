package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/internal/safefile"
)

// verify names three kinds of problem, the same way in its text, its JSON
// and its summary:
//   - a violation: the interaction breaks the contract (openapi.yaml);
//   - an echoed secret: the server's answer repeats a secret of the
//     request (a credential, a cf_api_key): a violation of its own kind;
//   - an unredacted secret: the cassette file itself holds a credential
//     that recording should have redacted.
const verifyLong = `Check recorded go-vcr cassettes (files, or the *.yaml directly inside
directories; default ".") against the contract embedded in this build: every
request and answer against openapi.yaml, that a request the spec rejects is
answered with the 4xx that reports it, and secrets.

Problems come in three kinds, named the same way in the text, the JSON and
the summary: a violation (the interaction breaks the contract), an echoed
secret (the answer repeats a secret of the request) and an unredacted secret
(the file holds a credential that recording should have redacted). The
summary comes last; --coverage adds the operation x status table.

Made for CI on files nobody reviewed: only regular files are read, each at
most --max-file-size, YAML aliases included.

Exit codes: 0 ok, 1 problems found (or, with --require-coverage, a documented
operation x status pair without a recording), 2 usage.`

func newVerifyCmd(r *runner) *cobra.Command {
	var f verifyFlags
	f.maxSize = sizeFlag(contract.DefaultMaxCassetteSize)
	cmd := &cobra.Command{
		Use:   "verify [PATH...]",
		Short: "Check recorded cassettes against the contract",
		Long:  verifyLong,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return r.verify(cmd.Context(), args, f)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&f.secretsOnly, "secrets-only", false, "only look for unredacted secrets (no contract check)")
	fs.BoolVar(&f.coverage, "coverage", false, "also print which documented operation x status pairs the cassettes cover")
	fs.BoolVar(&f.requireCoverage, "require-coverage", false, "also fail unless every documented operation x status pair is covered (implies --coverage)")
	fs.Var(&f.maxSize, "max-file-size", "refuse a cassette larger than this `size`, or whose YAML aliases expand past it (e.g. 64MiB)")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON")
	return cmd
}

type verifyFlags struct {
	secretsOnly, coverage, requireCoverage, json bool
	maxSize                                      sizeFlag
}

func (r *runner) verify(ctx context.Context, paths []string, f verifyFlags) error {
	if f.secretsOnly && (f.coverage || f.requireCoverage) {
		return usagef("--secrets-only checks no contract, so it has no coverage: drop --coverage and --require-coverage")
	}
	files, err := contract.CassetteFiles(paths)
	if err != nil {
		return err
	}
	v, err := contract.NewValidator()
	if err != nil {
		return err
	}
	opts := contract.VerifyOptions{MaxFileSize: int64(f.maxSize), SecretsOnly: f.secretsOnly}
	progress := r.progress()
	var rep *contract.Report
	for i, file := range files {
		if progress != nil && len(files) > 1 {
			fmt.Fprintf(progress, "· [%d/%d] %s\n", i+1, len(files), file)
		}
		one, err := v.Verify(ctx, []string{file}, opts)
		if errors.Is(err, safefile.ErrTooLarge) {
			return fmt.Errorf("%w (raise the limit with --max-file-size)", err)
		}
		if err != nil {
			return err
		}
		rep = merge(rep, one)
	}
	res := newVerifyResult(rep, f)
	if f.json {
		err = writeJSON(r.env.Stdout, res)
	} else {
		err = res.writeText(r.env.Stdout, rep, f)
	}
	if err != nil {
		return err
	}
	if !res.OK {
		return &exitError{Code: ExitFailure} // the summary said why
	}
	return nil
}

// merge adds one file's report to the total so far.
func merge(total, one *contract.Report) *contract.Report {
	if total == nil {
		return one
	}
	total.Files = append(total.Files, one.Files...)
	total.Interactions += one.Interactions
	total.Failures = append(total.Failures, one.Failures...)
	total.Secrets = append(total.Secrets, one.Secrets...)
	if total.Coverage != nil && one.Coverage != nil {
		for p, n := range one.Coverage.Seen {
			total.Coverage.Seen[p] += n
		}
	}
	return total
}

// verifyResult is verify's --json document, and what its text says.
type verifyResult struct {
	OK                bool             `json:"ok"`
	SecretsOnly       bool             `json:"secrets_only"`
	Files             []string         `json:"files"`
	Interactions      int              `json:"interactions"`
	Violations        []problemEntry   `json:"violations"`
	EchoedSecrets     []problemEntry   `json:"echoed_secrets"`
	UnredactedSecrets []secretEntry    `json:"unredacted_secrets"`
	Coverage          *coverageSummary `json:"coverage,omitempty"` // with --coverage or --require-coverage
}

type problemEntry struct {
	File        string `json:"file"`
	Interaction int    `json:"interaction"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Status      int    `json:"status"`
	Operation   string `json:"operation,omitempty"`
	Where       string `json:"where"` // "response body.result.id", "request query.per_page"
	Message     string `json:"message"`
	text        string
}

type secretEntry struct {
	File        string `json:"file"`
	Interaction *int   `json:"interaction"` // null: found in the file's raw text
	Where       string `json:"where"`
	text        string
}

type coverageSummary struct {
	Covered    int             `json:"covered"`
	Documented int             `json:"documented"`
	Missing    []contract.Pair `json:"missing"`
}

func newVerifyResult(rep *contract.Report, f verifyFlags) verifyResult {
	res := verifyResult{SecretsOnly: f.secretsOnly, Files: rep.Files, Interactions: rep.Interactions,
		Violations: []problemEntry{}, EchoedSecrets: []problemEntry{}, UnredactedSecrets: []secretEntry{}}
	for _, fl := range rep.Failures {
		e := problemEntry{File: fl.File, Interaction: fl.Index, Method: fl.Method, Path: fl.Path, Status: fl.Status, Operation: fl.Operation,
			Where: strings.TrimSpace(fl.Violation.Side + " " + strings.Join(fl.Violation.Path, ".")), Message: fl.Violation.Message, text: fl.String()}
		if fl.EchoesSecret() {
			res.EchoedSecrets = append(res.EchoedSecrets, e)
		} else {
			res.Violations = append(res.Violations, e)
		}
	}
	for _, s := range rep.Secrets {
		e := secretEntry{File: s.File, Where: s.Where, text: s.String()}
		if s.Index >= 0 {
			i := s.Index
			e.Interaction = &i
		}
		res.UnredactedSecrets = append(res.UnredactedSecrets, e)
	}
	res.OK = rep.OK()
	if rep.Coverage != nil && (f.coverage || f.requireCoverage) {
		covered, total := rep.Coverage.Covered()
		res.Coverage = &coverageSummary{Covered: covered, Documented: total, Missing: rep.Coverage.Missing()}
		if res.Coverage.Missing == nil {
			res.Coverage.Missing = []contract.Pair{}
		}
		if f.requireCoverage && len(res.Coverage.Missing) > 0 {
			res.OK = false
		}
	}
	return res
}

// writeText prints every problem, the coverage when asked, and the
// summary last.
func (res verifyResult) writeText(w io.Writer, rep *contract.Report, f verifyFlags) error {
	for _, e := range res.Violations {
		fmt.Fprintln(w, "VIOLATION", e.text)
	}
	for _, e := range res.EchoedSecrets {
		fmt.Fprintln(w, "ECHOED SECRET", e.text)
	}
	for _, e := range res.UnredactedSecrets {
		fmt.Fprintln(w, "UNREDACTED SECRET", e.text)
	}
	if res.Coverage != nil {
		rep.Coverage.WriteReport(w)
	}
	verdict := "ok"
	if !res.OK {
		verdict = "FAILED"
	}
	what := "contract"
	if f.secretsOnly {
		what = "secret scan"
	}
	counts := []string{}
	if !f.secretsOnly {
		counts = append(counts, plural(len(res.Violations), "violation"), plural(len(res.EchoedSecrets), "echoed secret"))
	}
	counts = append(counts, plural(len(res.UnredactedSecrets), "unredacted secret"))
	if res.Coverage != nil {
		counts = append(counts, fmt.Sprintf("coverage %d/%d", res.Coverage.Covered, res.Coverage.Documented))
	}
	_, err := fmt.Fprintf(w, "%s %s: %s, %s: %s\n", what, verdict, plural(len(res.Files), "file"), plural(res.Interactions, "interaction"), strings.Join(counts, ", "))
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// sizeFlag is a byte count written as 1048576, 512KiB or 64MiB.
type sizeFlag int64

func (s *sizeFlag) String() string { return safefile.FormatSize(int64(*s)) }
func (s *sizeFlag) Type() string   { return "size" }

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
