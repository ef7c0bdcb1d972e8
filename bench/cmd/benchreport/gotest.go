package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// samples holds every measurement of one benchmark: unit → values (one per
// -count run).
type samples map[string][]float64

// median of one unit, 0 when absent.
func (s samples) median(unit string) float64 {
	v := slices.Clone(s[unit])
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// benchLine matches "BenchmarkX/y-2   123   456 ns/op   7 B/op ...".
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)

// parseBench reads go test -bench output; lines that are not results are
// ignored (they go to the log).
func parseBench(r io.Reader) (map[string]samples, error) {
	out := map[string]samples{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		if len(fields)%2 != 0 {
			return nil, fmt.Errorf("unexpected benchmark line %q", sc.Text())
		}
		s := out[m[1]]
		if s == nil {
			s = samples{}
			out[m[1]] = s
		}
		for i := 0; i < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("benchmark line %q: %v", sc.Text(), err)
			}
			s[fields[i+1]] = append(s[fields[i+1]], v)
		}
	}
	return out, sc.Err()
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
