package contract

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-aisearch/tokens/internal/safefile"
)

// Failure is one violation found in one recorded interaction.
type Failure struct {
	File      string
	Index     int // interaction index in the file
	Method    string
	Path      string // URL path, without host and query
	Status    int
	Operation string
	Violation Violation
}

func (f Failure) String() string {
	// The API root and the account id are noise here: …/ai-search/tokens,
	// …/tokens/{token_id}, /user/tokens.
	path := strings.TrimPrefix(f.Path, "/client/v4")
	if rest, ok := strings.CutPrefix(path, "/accounts/"); ok {
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			path = "…" + rest[i:]
		}
	}
	return fmt.Sprintf("%s: interaction %d (%s %s -> %d): %s", f.File, f.Index, f.Method, path, f.Status, f.Violation)
}

// Report is what Verify found in a set of cassettes.
type Report struct {
	Files        []string
	Interactions int
	Failures     []Failure
	Secrets      []Finding
	Coverage     *Coverage
}

// OK reports whether every interaction satisfies the contract and no file
// holds a secret.
func (r *Report) OK() bool { return len(r.Failures) == 0 && len(r.Secrets) == 0 }

// CassetteFiles expands paths: a file is taken as is, a directory gives the
// *.yaml files directly inside it (not below: testdata/invalid/ stays out
// of testdata/). The result is sorted and has no duplicates.
func CassetteFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml cassettes in this directory", p)
		}
		out = append(out, matches...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// VerifyOptions tune Verify. The zero value checks everything with the
// default limit.
type VerifyOptions struct {
	// MaxFileSize bounds each cassette file, and what its YAML aliases
	// expand to; 0 means DefaultMaxCassetteSize.
	MaxFileSize int64
	// SecretsOnly skips the contract check and only scans for secrets.
	SecretsOnly bool
}

func (o VerifyOptions) limit() int64 {
	if o.MaxFileSize > 0 {
		return o.MaxFileSize
	}
	return DefaultMaxCassetteSize
}

// Verify checks every interaction of every cassette in paths (see
// CassetteFiles) with Check, scans the files for secrets, and counts
// coverage. The error is for files that cannot be read or parsed (names
// that are not regular files, files over the limit), and for ctx ending.
// Files are read one at a time.
func (v *Validator) Verify(ctx context.Context, paths []string, opts VerifyOptions) (*Report, error) {
	files, err := CassetteFiles(paths)
	if err != nil {
		return nil, err
	}
	rep := v.newReport(opts)
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		raw, ixs, err := readCassette(f, opts.limit())
		if err != nil {
			return nil, err
		}
		if err := v.verifyCassette(ctx, f, raw, ixs, opts, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// VerifyData checks one cassette's contents as Verify checks a file; name
// stands for the file in the report.
func (v *Validator) VerifyData(ctx context.Context, name string, data []byte, opts VerifyOptions) (*Report, error) {
	if int64(len(data)) > opts.limit() {
		return nil, &safefile.TooLargeError{Path: name, Size: int64(len(data)), Limit: opts.limit()}
	}
	ixs, err := ParseCassette(data, opts.limit())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rep := v.newReport(opts)
	if err := v.verifyCassette(ctx, name, data, ixs, opts, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func (v *Validator) newReport(opts VerifyOptions) *Report {
	if opts.SecretsOnly {
		return &Report{}
	}
	return &Report{Coverage: NewCoverage(v.doc)}
}

func (v *Validator) verifyCassette(ctx context.Context, file string, raw []byte, ixs []Interaction, opts VerifyOptions, rep *Report) error {
	if len(ixs) == 0 {
		return fmt.Errorf("%s: the cassette has no interactions", file)
	}
	rep.Files = append(rep.Files, file)
	rep.Interactions += len(ixs)
	rep.Secrets = append(rep.Secrets, scanCassette(file, raw, ixs)...)
	if opts.SecretsOnly {
		return nil
	}
	for i, ix := range ixs {
		if err := ctx.Err(); err != nil {
			return err
		}
		res := v.Check(ctx, ix)
		rep.Coverage.Add(res.OperationID, ix.Status)
		path := ix.URL
		if u, err := url.Parse(ix.URL); err == nil {
			path = u.Path
		}
		for _, viol := range res.All() {
			rep.Failures = append(rep.Failures, Failure{File: file, Index: i, Method: ix.Method, Path: path, Status: ix.Status, Operation: res.OperationID, Violation: viol})
		}
	}
	return nil
}

// WriteText prints the report for people: every failure and secret, then
// the coverage table and a summary line.
func (r *Report) WriteText(w io.Writer) {
	for _, f := range r.Failures {
		fmt.Fprintln(w, "FAIL", f)
	}
	for _, s := range r.Secrets {
		fmt.Fprintln(w, "SECRET", s)
	}
	if r.Coverage != nil {
		r.Coverage.WriteReport(w)
	}
	verdict := "ok"
	if !r.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "contract %s: %d files, %d interactions, %d violations, %d secrets\n",
		verdict, len(r.Files), r.Interactions, len(r.Failures), len(r.Secrets))
}

// Summary lists the failures of one file, one per line, for test output.
func (r *Report) Summary() string {
	var b strings.Builder
	for _, f := range r.Failures {
		fmt.Fprintln(&b, f)
	}
	for _, s := range r.Secrets {
		fmt.Fprintln(&b, "secret:", s)
	}
	return b.String()
}
