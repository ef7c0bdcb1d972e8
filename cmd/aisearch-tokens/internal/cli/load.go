package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/loadgen"
)

func runLoad(ctx context.Context, c *Command, stdio Stdio, args []string) error {
	fs := NewFlagSet(c, stdio)
	base := fs.String("base-url", "", "API base URL ending in /client/v4; must be a loopback host (required)")
	account := fs.String("account-id", loadEnvOr(aisearch.EnvAccountID, emulator.DefaultAccountID), "account ID (default $"+aisearch.EnvAccountID+", else the emulator's default account)")
	conc := fs.Int("concurrency", 1, "concurrent workers")
	requests := fs.Int("requests", 1000, "total requests; 0 means only --duration bounds the run")
	duration := fs.Duration("duration", 0, "stop sending after this long; 0 means only --requests bounds the run")
	mixFlag := fs.String("mix", loadgen.DefaultMix.String(), "relative weights of list, get, create, update, delete")
	seed := fs.Uint64("seed", 1, "seed of the operation sequence")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return Usagef("unexpected argument %q", fs.Arg(0))
	}
	if *base == "" {
		return Usagef("--base-url is required")
	}
	if *account == "" {
		return Usagef("--account-id must not be empty")
	}
	if err := loadgen.CheckLoopback(*base); err != nil {
		return Usagef("%v", err)
	}
	mix, err := loadgen.ParseMix(*mixFlag)
	if err != nil {
		return Usagef("%v", err)
	}
	// The token comes only from the environment, so it stays out of shell
	// history and process listings. Without one, a placeholder suits an
	// emulator started without --api-token (it accepts any credential).
	cfg := loadgen.Config{
		BaseURL: *base, AccountID: *account, APIToken: loadEnvOr(aisearch.EnvAPIToken, "aisearch-tokens-load"),
		Concurrency: *conc, Requests: *requests, Duration: *duration, Mix: mix, Seed: *seed,
	}
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return Usagef("%v", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdio.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(loadJSON(res)); err != nil {
			return err
		}
	} else {
		res.WriteText(stdio.Out)
	}
	switch {
	case res.Failed > 0:
		return fmt.Errorf("%d of %d requests got no answer", res.Failed, res.Failed+res.Requests)
	case res.Requests == 0:
		return errors.New("no request was sent")
	case res.Unexpected() == res.Requests:
		return fmt.Errorf("all %d answers had an unexpected status: wrong credentials, account or base URL?", res.Requests)
	}
	return nil
}

func loadEnvOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

type loadOpJSON struct {
	Requests   int     `json:"requests"`
	Unexpected int     `json:"unexpected"`
	Failed     int     `json:"failed"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
}

func loadJSON(r *loadgen.Result) any {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	ops := map[loadgen.Op]loadOpJSON{}
	for op, o := range r.ByOp {
		ops[op] = loadOpJSON{o.Requests, o.Unexpected, o.Failed, ms(o.Latency.P50), ms(o.Latency.P99)}
	}
	return map[string]any{
		"concurrency":    r.Concurrency,
		"requests":       r.Requests,
		"failed":         r.Failed,
		"unexpected":     r.Unexpected(),
		"elapsed_ms":     ms(r.Elapsed),
		"requests_per_s": r.Throughput(),
		"p50_ms":         ms(r.Latency.P50),
		"p90_ms":         ms(r.Latency.P90),
		"p99_ms":         ms(r.Latency.P99),
		"max_ms":         ms(r.Latency.Max),
		"statuses":       r.Statuses,
		"operations":     ops,
	}
}
