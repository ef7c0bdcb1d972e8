package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// samples holds every measurement of one benchmark: unit → values (one per
// -count run).
type samples map[string][]float64

// summary is benchstat's summary of one unit: the median and its 95%
// confidence interval (golang.org/x/perf/benchmath, no assumption about
// the distribution). Center is 0 when the unit was not measured.
func (s samples) summary(unit string) benchmath.Summary {
	if len(s[unit]) == 0 {
		return benchmath.Summary{}
	}
	return benchmath.AssumeNothing.Summary(benchmath.NewSample(s[unit], &benchmath.DefaultThresholds), 0.95)
}

// median of one unit, 0 when absent.
func (s samples) median(unit string) float64 { return s.summary(unit).Center }

// parseBench reads go test -bench output with benchstat's reader
// (golang.org/x/perf/benchfmt). Names keep their "Benchmark" prefix and
// lose the GOMAXPROCS suffix; units are kept as go test prints them. A
// malformed result line is an error.
func parseBench(r io.Reader) (map[string]samples, error) {
	out := map[string]samples{}
	rd := benchfmt.NewReader(r, "go test output")
	for rd.Scan() {
		var res *benchfmt.Result
		switch rec := rd.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			res = rec
		default:
			continue // unit metadata
		}
		base, parts := res.Name.Parts()
		name := "Benchmark" + string(base)
		for _, p := range parts {
			if !bytes.HasPrefix(p, []byte("-")) {
				name += string(p)
			}
		}
		if out[name] == nil {
			out[name] = samples{}
		}
		for _, v := range res.Values {
			unit, value := v.OrigUnit, v.OrigValue // as go test printed it: ns/op, not sec/op
			if unit == "" {
				unit, value = v.Unit, v.Value
			}
			out[name][unit] = append(out[name][unit], value)
		}
	}
	return out, rd.Err()
}

// The packages whose benchmarks the report runs: the main module's bench
// package, and interop/, a module of its own (it requires cloudflare-go).
const (
	benchPkg   = "./bench/"
	interopPkg = "interop"
)

// goBench runs the benchmarks of pkg matching pattern count times, one go
// test per round, so that the variants compared with one another are
// measured close together in time and a burst of load from elsewhere hits
// all of them, not only the one that happened to run then. Output is
// echoed to log as it runs.
func goBench(root, pkg, pattern, benchtime string, count int, log io.Writer) (map[string]samples, string, error) {
	dir, target := root, pkg
	if pkg == interopPkg {
		dir, target = filepath.Join(root, interopPkg), "."
	}
	args := []string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-benchtime", benchtime, "-count", "1", "-timeout", "30m", target}
	command := "go " + strings.Join(args, " ")
	if pkg == interopPkg {
		command = "(cd interop && " + command + ")"
	}
	if count > 1 {
		command = fmt.Sprintf("%d × %s", count, command)
	}
	all := map[string]samples{}
	for range count {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=") // the report's own flags only
		var buf bytes.Buffer
		cmd.Stdout = io.MultiWriter(&buf, log)
		cmd.Stderr = log
		if err := cmd.Run(); err != nil {
			return nil, command, fmt.Errorf("%s: %w\n%s", command, err, buf.Bytes())
		}
		res, err := parseBench(&buf)
		if err != nil {
			return nil, command, err
		}
		for name, s := range res {
			if all[name] == nil {
				all[name] = samples{}
			}
			for unit, v := range s {
				all[name][unit] = append(all[name][unit], v...)
			}
		}
	}
	return all, command, nil
}
