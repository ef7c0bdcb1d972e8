package loadgen

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"time"
)

type stats struct {
	lat      []time.Duration
	byOp     map[Op]*OpStats
	statuses map[int]int
	failed   int
}

func newStats() *stats {
	return &stats{byOp: map[Op]*OpStats{}, statuses: map[int]int{}}
}

func (s *stats) op(op Op) *OpStats {
	o := s.byOp[op]
	if o == nil {
		o = &OpStats{}
		s.byOp[op] = o
	}
	return o
}

func (s *stats) add(op Op, status int, d time.Duration, ok bool) {
	s.lat = append(s.lat, d)
	s.statuses[status]++
	o := s.op(op)
	o.Requests++
	if !ok {
		o.Unexpected++
	}
	o.lat = append(o.lat, d)
}

func (s *stats) fail(op Op) {
	s.failed++
	s.op(op).Failed++
}

// Latency holds percentiles of the answered requests.
type Latency struct {
	P50, P90, P99, Max time.Duration
}

func latency(d []time.Duration) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	return Latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: d[len(d)-1]}
}

// OpStats is what one operation did.
type OpStats struct {
	Requests   int // answered
	Unexpected int // answered with another status than the operation's success
	Failed     int // no answer (transport error)
	Latency    Latency
	lat        []time.Duration
}

// Result is the outcome of a run.
type Result struct {
	Concurrency int
	Elapsed     time.Duration
	Requests    int         // answered requests
	Failed      int         // requests without an answer
	Statuses    map[int]int // answered requests by status
	Latency     Latency
	ByOp        map[Op]*OpStats
	// Final is the expected state of each token the run created (Config.Record).
	Final map[string]Expected
	// LostCreates counts creates whose outcome the run could not learn.
	LostCreates int
}

func merge(ws []*worker, elapsed time.Duration, conc int, record bool) *Result {
	r := &Result{Concurrency: conc, Elapsed: elapsed, Statuses: map[int]int{}, ByOp: map[Op]*OpStats{}}
	if record {
		r.Final = map[string]Expected{}
	}
	var all []time.Duration
	for _, w := range ws {
		all = append(all, w.stats.lat...)
		r.Failed += w.stats.failed
		r.LostCreates += w.lost
		for st, n := range w.stats.statuses {
			r.Statuses[st] += n
		}
		for op, o := range w.stats.byOp {
			m := r.ByOp[op]
			if m == nil {
				m = &OpStats{}
				r.ByOp[op] = m
			}
			m.Requests += o.Requests
			m.Unexpected += o.Unexpected
			m.Failed += o.Failed
			m.lat = append(m.lat, o.lat...)
		}
		maps.Copy(r.Final, w.final)
	}
	r.Requests = len(all)
	r.Latency = latency(all)
	for _, o := range r.ByOp {
		o.Latency = latency(o.lat)
		o.lat = nil
	}
	return r
}

// Throughput is answered requests per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Unexpected counts answered requests whose status was not the success one.
func (r *Result) Unexpected() int {
	n := 0
	for _, o := range r.ByOp {
		n += o.Unexpected
	}
	return n
}

// WriteText prints a short human-readable summary.
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "concurrency %d: %d requests in %s, %.0f req/s, %d failed, %d unexpected status\n",
		r.Concurrency, r.Requests, r.Elapsed.Round(time.Millisecond), r.Throughput(), r.Failed, r.Unexpected())
	fmt.Fprintf(w, "latency p50 %s  p90 %s  p99 %s  max %s\n", r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max)
	for _, op := range Ops {
		o := r.ByOp[op]
		if o == nil {
			continue
		}
		fmt.Fprintf(w, "  %-6s %7d req  p50 %-10s p99 %-10s unexpected %d failed %d\n", op, o.Requests, o.Latency.P50, o.Latency.P99, o.Unexpected, o.Failed)
	}
	codes := slices.Sorted(maps.Keys(r.Statuses))
	fmt.Fprint(w, "statuses:")
	for _, c := range codes {
		fmt.Fprintf(w, " %d×%d", c, r.Statuses[c])
	}
	fmt.Fprintln(w)
}
