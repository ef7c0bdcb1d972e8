package aisearch

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// The two schedules as documented: a new token's registration 1 s, 2 s,
// 4 s, then 5 s apart within PropagationTimeout; a running job's looks
// 1 s, 2 s, 4 s … up to 15 s apart within WaitJob's timeout. The last wait
// is cut to the budget, and a spent (or negative) budget waits no more.
func TestScheduleWaits(t *testing.T) {
	t.Parallel()
	s := time.Second
	for _, tt := range []struct {
		name string
		sch  schedule
		want []time.Duration
	}{
		{"propagation, default budget", schedule{next: propagationFirstWait, longest: propagationMaxWait, budget: DefaultPropagationTimeout},
			[]time.Duration{1 * s, 2 * s, 4 * s, 5 * s, 5 * s, 5 * s, 5 * s, 3 * s}},
		{"propagation, negative budget: one attempt", schedule{next: propagationFirstWait, longest: propagationMaxWait, budget: -s}, nil},
		{"job, a minute", schedule{next: jobPollFirst, longest: jobPollMax, budget: time.Minute},
			[]time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 15 * s, 15 * s, 15 * s}},
	} {
		var got []time.Duration
		sleep := func(_ context.Context, d time.Duration) error { got = append(got, d); return nil }
		for {
			more, err := tt.sch.wait(context.Background(), sleep)
			if err != nil {
				t.Fatal(err)
			}
			if !more {
				break
			}
		}
		var sum time.Duration
		for _, d := range got {
			sum += d
		}
		if !slices.Equal(got, tt.want) || tt.sch.waited != sum {
			t.Errorf("%s: waits %v (waited %s), want %v", tt.name, got, tt.sch.waited, tt.want)
		}
	}
	stop := errors.New("ctx ended")
	sch := schedule{next: s, longest: s, budget: time.Minute}
	if more, err := sch.wait(context.Background(), func(context.Context, time.Duration) error { return stop }); more || err != stop || sch.waited != 0 {
		t.Errorf("a failed sleep: %v, %v, waited %s", more, err, sch.waited)
	}
}
