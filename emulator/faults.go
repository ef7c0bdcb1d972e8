package emulator

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultHeader lets a client force a fault on one request. Its value is a
// comma-separated list of: a status (429, 500, 502, 503 or 504),
// "delay=<duration>" (e.g. delay=200ms; at most 30s in all, with any
// configured Latency) and "retry-after=<seconds>"
// for the 429. Example: `X-Emulator-Fault: delay=50ms,503`.
const FaultHeader = "X-Emulator-Fault"

// Injected failures carry `X-Emulator-Fault: injected`, so a client's logs
// (and contract checks) can tell them from real ones.

// Faults configures fault injection for every request.
type Faults struct {
	// Rate is the share of requests (0 to 1) that fail with one of Statuses.
	Rate float64
	// Statuses to pick from at random; default 429, 500 and 503.
	Statuses []int
	// Latency is added to every request.
	Latency time.Duration
	// RetryAfter is the Retry-After of an injected 429, in seconds (default 0:
	// retry at once, which keeps client tests fast).
	RetryAfter int
	// Seed, when not zero, makes the random choices (which requests fail,
	// with which of Statuses) a fixed sequence: the same seed and the same
	// order of requests give the same faults, so a failing test replays.
	// Zero draws a fresh seed.
	Seed uint64
}

var faultStatuses = map[int]bool{429: true, 500: true, 502: true, 503: true, 504: true}

const maxInjectedDelay = 30 * time.Second

// Validate reports what makes f unusable (WithFaults refuses it): a rate
// outside 0 to 1 (or NaN), a latency outside 0 to 30s, a negative
// RetryAfter or a status that cannot be injected.
func (f Faults) Validate() error {
	switch {
	case !(f.Rate >= 0 && f.Rate <= 1): // also refuses NaN
		return errors.New("rate must be between 0 and 1")
	case f.Latency < 0 || f.Latency > maxInjectedDelay:
		return fmt.Errorf("latency must be between 0 and %s", maxInjectedDelay)
	case f.RetryAfter < 0:
		return errors.New("retry-after must not be negative")
	}
	for _, s := range f.Statuses {
		if !faultStatuses[s] {
			return fmt.Errorf("status %d cannot be injected (429, 500, 502, 503, 504)", s)
		}
	}
	return nil
}

// injector holds the fault configuration, its random source and the queue
// of FailNext statuses.
type injector struct {
	cfg  Faults
	mu   sync.Mutex // guards rng and next
	rng  *rand.Rand
	next []int
	// sleep waits out an injected delay (wait; tests replace it, so that
	// no test sleeps).
	sleep func(ctx context.Context, d time.Duration) error
}

func newInjector(f Faults) *injector {
	seed := f.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &injector{cfg: f, rng: rand.New(rand.NewPCG(seed, seed)), sleep: wait}
}

// fault is what one request gets: a delay, then maybe a failure.
type fault struct {
	delay      time.Duration
	status     int
	retryAfter int
}

// decide combines the configured faults, the FailNext queue and the
// request's FaultHeader. A malformed header is the client's error.
func (in *injector) decide(h http.Header) (fault, error) {
	f := fault{delay: in.cfg.Latency, retryAfter: in.cfg.RetryAfter}
	statuses := in.cfg.Statuses
	if len(statuses) == 0 {
		statuses = []int{429, 500, 503}
	}
	in.mu.Lock()
	if len(in.next) > 0 {
		f.status, in.next = in.next[0], in.next[1:]
	} else if in.cfg.Rate > 0 && in.rng.Float64() < in.cfg.Rate {
		f.status = statuses[in.rng.IntN(len(statuses))]
	}
	in.mu.Unlock()
	if v := h.Get(FaultHeader); v != "" {
		if err := f.parse(v); err != nil {
			return fault{}, err
		}
	}
	return f, nil
}

func (f *fault) parse(v string) error {
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		key, val, hasVal := strings.Cut(item, "=")
		switch {
		case key == "delay" && hasVal:
			// f.delay already holds the configured latency: the cap is on
			// the whole wait, however many delay items the header repeats.
			d, err := time.ParseDuration(val)
			if err != nil || d < 0 || f.delay+d > maxInjectedDelay {
				return fmt.Errorf("%q: delay must be a duration between 0 and %s, latency included (in all)", item, maxInjectedDelay)
			}
			f.delay += d
		case key == "retry-after" && hasVal:
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 {
				return fmt.Errorf("%q: retry-after must be whole seconds", item)
			}
			f.retryAfter = n
		case !hasVal:
			n, err := strconv.Atoi(key)
			if err != nil || !faultStatuses[n] {
				return fmt.Errorf("%q: status must be 429, 500, 502, 503 or 504", item)
			}
			f.status = n
		default:
			return fmt.Errorf("%q: unknown item", item)
		}
	}
	return nil
}

// failNext queues statuses for the next requests, in order.
func (in *injector) failNext(statuses []int) error {
	for _, s := range statuses {
		if !faultStatuses[s] {
			return fmt.Errorf("emulator: status %d cannot be injected (429, 500, 502, 503, 504)", s)
		}
	}
	in.mu.Lock()
	in.next = append(in.next, statuses...)
	in.mu.Unlock()
	return nil
}

// wait sleeps for d unless ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (f fault) apiError() apiError {
	if f.status == http.StatusTooManyRequests {
		return apiError{status: f.status, code: CodeRateLimited, message: "Please wait and consider throttling your request speed", retry: f.retryAfter}
	}
	return apiError{status: f.status, code: CodeInjected, message: fmt.Sprintf("%s (injected by the emulator)", http.StatusText(f.status))}
}
