package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/emulator"
)

// serveList is a repeatable string flag.
type serveList []string

// String never shows the values: they are secrets.
func (l *serveList) String() string {
	if len(*l) == 0 {
		return ""
	}
	return fmt.Sprintf("%d value(s)", len(*l))
}
func (l *serveList) Set(v string) error { *l = append(*l, v); return nil }
func (l *serveList) Type() string       { return "value" }

type serveFlags struct {
	addr, state, seed string
	tokens, keys      serveList
	faultRate         float64
	faultSeed         uint64
	latency           time.Duration
	propagation       time.Duration
	jobDuration       time.Duration
	validate          bool
	timeouts          serveTimeouts
}

// serveTimeouts bound how long a connection may hold the server: a client
// trickling its request, or keeping a connection open doing nothing. The
// defaults are far beyond what an honest client needs (a token request is
// a few hundred bytes, and the largest injected delay is 30 s, spent
// before the body is read), and short enough that slow or idle clients
// cannot pile up.
type serveTimeouts struct {
	readHeader, read, write, idle time.Duration
}

var defaultServeTimeouts = serveTimeouts{readHeader: 10 * time.Second, read: time.Minute, write: 2 * time.Minute, idle: 30 * time.Second}

// maxServeTimeout keeps a typo (--idle-timeout 30h) from undoing the bound.
const maxServeTimeout = time.Hour

func (t serveTimeouts) check(latency time.Duration) error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read-header-timeout", t.readHeader}, {"read-timeout", t.read}, {"write-timeout", t.write}, {"idle-timeout", t.idle}} {
		if d.v <= 0 || d.v > maxServeTimeout {
			return usagef("--%s must be positive and at most %s", d.name, maxServeTimeout)
		}
	}
	switch {
	case t.readHeader > t.read:
		return usagef("--read-header-timeout must not exceed --read-timeout")
	case t.read <= latency || t.write <= latency:
		// The latency is spent before the body is read and the answer written.
		return usagef("--read-timeout and --write-timeout must exceed --latency")
	}
	return nil
}

func (t serveTimeouts) server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.readHeader, ReadTimeout: t.read, WriteTimeout: t.write, IdleTimeout: t.idle}
}

func newServeCmd(r *runner) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the local emulator of the API",
		Long: `Run the local emulator of Cloudflare's AI Search tokens and API tokens
operations, and of AI Search's instances, namespaces and indexing jobs,
validating every request against openapi.yaml. It prints its base
URL; point a client at it with --base-url or CLOUDFLARE_API_BASE_URL.
Ctrl-C or SIGTERM stops it gracefully (exit 0).`,
		Args: positional(),
	}
	fs := cmd.Flags()
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8787", "listen address")
	fs.StringVar(&f.state, "state", "", "persist tokens in this `file` (fsynced log; survives crashes); default in memory")
	fs.StringVar(&f.seed, "seed", "", "load accounts and tokens from this JSON `file` into a new store; skipped when resuming an existing --state file (see emulator/testdata/seed.example.json)")
	fs.Var(&f.tokens, "api-token", "accept this API `token` as Authorization: Bearer (repeatable)")
	fs.Var(&f.keys, "api-key", "accept this `EMAIL:KEY` as X-Auth-Email and X-Auth-Key (repeatable); with no --api-token or --api-key any non-empty credential is accepted")
	fs.Float64Var(&f.faultRate, "fault-rate", 0, "share of requests (0 to 1) answered 429, 500 or 503")
	fs.Uint64Var(&f.faultSeed, "fault-seed", 0, "seed of the --fault-rate choices, to replay a run (0: a fresh one)")
	fs.DurationVar(&f.latency, "latency", 0, "added to every request, e.g. 50ms")
	fs.BoolVar(&f.validate, "validate", true, "validate requests against openapi.yaml")
	fs.DurationVar(&f.propagation, "propagation-delay", 0, "a new API token's value reaches AI Search this long after it was minted: registering it sooner gets 400 code 7012, as Cloudflare's can for a few seconds (0: at once)")
	fs.DurationVar(&f.jobDuration, "job-duration", emulator.DefaultJobDuration, "how long an AI Search indexing job runs, in real time, when its service token works (0: it ends at once); a dead one ends it at once")
	f.timeouts = defaultServeTimeouts
	fs.DurationVar(&f.timeouts.readHeader, "read-header-timeout", f.timeouts.readHeader, "time a client has to send a request's headers")
	fs.DurationVar(&f.timeouts.read, "read-timeout", f.timeouts.read, "time a client has to send a whole request, body included (must exceed --latency)")
	fs.DurationVar(&f.timeouts.write, "write-timeout", f.timeouts.write, "time from a request's headers to the end of its answer (must exceed --latency)")
	fs.DurationVar(&f.timeouts.idle, "idle-timeout", f.timeouts.idle, "how long an idle keep-alive connection stays open")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		return serve(cmd.Context(), r.env, &f)
	}
	return cmd
}

func serve(ctx context.Context, env *Env, f *serveFlags) error {
	out := env.Stdout
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	opts, err := f.options(logger)
	if err != nil {
		return err
	}
	// An existing state file is the store to resume, even an empty one
	// (every token deleted): seeding it again would resurrect tokens.
	resumed := false
	if f.state != "" {
		if _, err := os.Stat(f.state); err == nil {
			resumed = true
		}
	}
	var seed *emulator.SeedFile
	if f.seed != "" { // read before the state file is made: a bad seed leaves none
		if seed, err = emulator.ReadSeedFile(f.seed); err != nil {
			return err
		}
	}
	srv, err := emulator.New(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := serveSeed(srv, seed, f.seed, resumed, logger); err != nil {
		if f.state != "" && !resumed {
			// The state file was made a moment ago by this run: left
			// behind, the next start would resume it without the seed.
			srv.Close()
			removeStateFile(f.state)
		}
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	hs := f.timeouts.server(srv.Handler())
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	fmt.Fprintf(out, "emulator: serving the tokens API at http://%s%s\n", ln.Addr(), emulator.BasePath)
	if srv.AcceptsAnyCredential() {
		fmt.Fprintln(out, "emulator: no --api-token or --api-key given: accepting any non-empty credential")
	}
	if f.state != "" {
		fmt.Fprintf(out, "emulator: state in %s\n", f.state)
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(out, "emulator: stopped")
	return nil
}

func (f *serveFlags) options(logger *slog.Logger) ([]emulator.Option, error) {
	opts := []emulator.Option{emulator.WithLogger(logger), emulator.WithValidation(f.validate)}
	if len(f.tokens) > 0 {
		opts = append(opts, emulator.WithAPITokens(f.tokens...))
	}
	for _, k := range f.keys {
		email, key, ok := strings.Cut(k, ":")
		if !ok || email == "" || key == "" {
			return nil, usagef("--api-key wants EMAIL:KEY")
		}
		opts = append(opts, emulator.WithAPIKey(email, key))
	}
	if f.state != "" {
		opts = append(opts, emulator.WithStateFile(f.state))
	}
	faults := emulator.Faults{Rate: f.faultRate, Latency: f.latency, Seed: f.faultSeed}
	if err := faults.Validate(); err != nil {
		return nil, usagef("--fault-rate, --latency: %v", err)
	}
	if err := f.timeouts.check(f.latency); err != nil {
		return nil, err
	}
	if f.faultRate != 0 || f.latency != 0 {
		opts = append(opts, emulator.WithFaults(faults))
	}
	if f.propagation < 0 {
		return nil, usagef("--propagation-delay must not be negative")
	}
	if f.propagation > 0 {
		opts = append(opts, emulator.WithPropagationDelay(f.propagation))
	}
	if f.jobDuration < 0 || f.jobDuration > maxServeTimeout {
		return nil, usagef("--job-duration must be between 0 and %s", maxServeTimeout)
	}
	opts = append(opts, emulator.WithJobDuration(f.jobDuration))
	return opts, nil
}

// removeStateFile removes the file a state path names (its target, when the
// path is a symlink, as the emulator resolves it).
func removeStateFile(path string) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		os.Remove(target)
	}
}

// serveSeed loads the seed file into a new store only (not one resumed from
// --state), so restarting does not bring deleted seed tokens back.
func serveSeed(srv *emulator.Server, seed *emulator.SeedFile, path string, resumed bool, logger *slog.Logger) error {
	if seed == nil {
		return nil
	}
	if resumed {
		logger.Info("seed skipped: resuming the state file", "seed", path)
		return nil
	}
	if err := srv.SeedFrom(seed); err != nil {
		return err
	}
	logger.Info("seeded", slog.Any("", seed)) // accounts, registrations, api_tokens, permission_groups
	return nil
}
