package cli

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/cfauth"
	"github.com/go-aisearch/tokens/internal/loadgen"
)

func newLoadCmd(r *runner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "load --base-url URL",
		Short: "Send bounded traffic to a local API; report throughput, latency",
		Long: `Send mixed traffic (list, get, create, update, delete) to a tokens API on a
loopback address, an emulator, and report throughput and latency per
operation. The credential is $` + cfauth.EnvAPIToken + ` (never a flag); without it, a
placeholder that an emulator started without --api-token accepts. AI Search
registers only a live Cloudflare API token, so load first creates one with
that credential (POST /user/tokens, which needs "API Tokens Write"), with
the groups AI Search needs, for its creates and updates to register, and
leaves it in place: what the run leaves registered passes check.

Exit codes: 0 measured, 1 requests without an answer, only unexpected
answers, or no service token created, 2 usage.`,
		Args: positional(),
	}
	fs := cmd.Flags()
	base := fs.String("base-url", "", "API base URL ending in /client/v4; must be a loopback host (required)")
	account := fs.String("account-id", "", "account `ID` (default $"+cfauth.EnvAccountID+", else the emulator's default account)")
	conc := fs.Int("concurrency", 1, "concurrent workers")
	requests := fs.Int("requests", 1000, "total requests; 0 means only --duration bounds the run")
	duration := fs.Duration("duration", 0, "stop sending after this long; 0 means only --requests bounds the run")
	mixFlag := fs.String("mix", loadgen.DefaultMix.String(), "relative weights of list, get, create, update, delete")
	seed := fs.Uint64("seed", 1, "seed of the operation sequence")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		if *base == "" {
			return usagef("--base-url is required")
		}
		// The environment is read when the command runs, not when the
		// command tree is built: the help shows no value of it.
		if *account == "" && cmd.Flags().Changed("account-id") {
			return usagef("--account-id must not be empty")
		}
		accountID := cmp.Or(*account, r.env.Getenv(cfauth.EnvAccountID), emulator.DefaultAccountID)
		if err := loadgen.CheckLoopback(*base); err != nil {
			return usagef("%s", flagNames(err.Error()))
		}
		if err := checkOption("--base-url", aisearch.WithBaseURL(*base)); err != nil {
			return err // the client's rule for an API root: it names the right one
		}
		mix, err := loadgen.ParseMix(*mixFlag)
		if err != nil {
			return usagef("%s", flagNames(err.Error()))
		}
		// The token comes only from the environment, so it stays out of shell
		// history and process listings. Without one, a placeholder suits an
		// emulator started without --api-token (it accepts any credential).
		cfg := loadgen.Config{
			BaseURL: *base, AccountID: accountID, APIToken: cmp.Or(r.env.Getenv(cfauth.EnvAPIToken), "aisearch-tokens-load"),
			Concurrency: *conc, Requests: *requests, Duration: *duration, Mix: mix, Seed: *seed,
		}
		res, err := loadgen.Run(ctx, cfg)
		if errors.Is(err, loadgen.ErrServiceToken) {
			return err // the server refused, not the flags
		}
		if err != nil {
			return usagef("%s", flagNames(err.Error()))
		}
		if *asJSON {
			if err := writeJSON(r.env.Stdout, loadJSON(res)); err != nil {
				return err
			}
		} else {
			res.WriteText(r.env.Stdout)
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
	return cmd
}

// flagNames puts the flag's name on loadgen's configuration errors, which
// name the setting ("concurrency must be ...").
func flagNames(msg string) string {
	for setting, flag := range map[string]string{"concurrency": "--concurrency", "requests": "--requests", "duration": "--duration", "mix": "--mix", "base URL": "--base-url"} {
		if rest, ok := strings.CutPrefix(msg, setting); ok && (strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, ":")) {
			return flag + rest
		}
	}
	return msg
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
