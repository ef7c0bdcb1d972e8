// Command benchreport runs the benchmarks of package bench and the load
// generator, computes every figure as a ratio against the baseline measured
// in the same run, and writes BENCHMARKS.md (make bench). benchstat's
// library (golang.org/x/perf) reads the go test output and computes the
// medians and their confidence intervals; what is ours is which figure is
// compared with which, the targets, and the page.
//
//	cd tools/benchreport && go run . [-o BENCHMARKS.md] [-count 6] [-benchtime 1s]
//
// It is a module of its own so that golang.org/x/perf stays out of the
// library's go.mod; it uses the library's packages through a replace.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/bench"
)

func main() {
	out := flag.String("o", "BENCHMARKS.md", "report file, relative to the repository root; - for stdout only")
	count := flag.Int("count", 6, "runs of each benchmark; the report uses the median (benchstat gives a confidence interval from 6)")
	benchtime := flag.String("benchtime", "1s", "go test -benchtime for the HTTP and validation benchmarks")
	genRuns := flag.Int("gen-runs", 5, "timed go generate + build rounds")
	loadRequests := flag.Int("load-requests", 4000, "requests per load generator run")
	verbose := flag.Bool("v", false, "echo go test output while running")
	flag.Parse()
	if err := run(*out, *count, *benchtime, *genRuns, *loadRequests, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(out string, count int, benchtime string, genRuns, loadRequests int, verbose bool) error {
	if count < 1 || genRuns < 1 || loadRequests < 1 {
		return fmt.Errorf("-count, -gen-runs and -load-requests must be positive")
	}
	root := bench.ModuleRoot()
	var log io.Writer = io.Discard
	if verbose {
		log = os.Stderr
	}
	start := time.Now()
	r := &report{Machine: describeMachine(), Started: start.UTC()}
	r.Command = "make bench  # = cd tools/benchreport && go run . -o BENCHMARKS.md"
	steps := []struct {
		name      string
		pkg       string // ./bench/, or interop (a module of its own, run from its folder)
		pattern   string
		benchtime string
		count     int
	}{
		{"emulator", benchPkg, "^BenchmarkEmulator$", benchtime, count},
		{"start-up", benchPkg, "^BenchmarkStartup$", benchtime, count},
		{"client", benchPkg, "^BenchmarkClient$", benchtime, count},
		{"client vs cloudflare-go", interopPkg, "^BenchmarkVsSDK$", benchtime, count},
		{"contract", benchPkg, "^BenchmarkContract", benchtime, count},
		{"generate", benchPkg, "^BenchmarkGenerateBuild", fmt.Sprintf("%dx", genRuns), 1},
	}
	r.Results = map[string]samples{}
	for _, s := range steps {
		fmt.Fprintf(os.Stderr, "benchreport: %s benchmarks...\n", s.name)
		res, cmd, err := goBench(root, s.pkg, s.pattern, s.benchtime, s.count, log)
		if err != nil {
			return err
		}
		r.GoTestCommands = append(r.GoTestCommands, cmd)
		for k, v := range res {
			r.Results[k] = v
		}
	}
	fmt.Fprintln(os.Stderr, "benchreport: load generator at concurrency 1, 16, 64...")
	rows, err := runLoad([]int{1, 16, 64}, loadRequests)
	if err != nil {
		return err
	}
	r.Load, r.LoadRequests = rows, loadRequests
	r.Elapsed = time.Since(start)

	var b strings.Builder
	if err := r.render(&b); err != nil {
		return err
	}
	fmt.Print(b.String())
	if out == "-" {
		return nil
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}
