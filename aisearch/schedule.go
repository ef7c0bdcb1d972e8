package aisearch

import (
	"context"
	"time"
)

// schedule is the waits of a loop that looks again until something is
// done: next, doubled after each wait up to longest, for as long as their
// sum stays within budget (the last wait is cut to fit). Provision and
// Rotate wait with one for a new token to reach AI Search
// (untilPropagated), WaitJob for a job to end.
type schedule struct {
	next, longest, budget time.Duration
	waited                time.Duration // the sum of the waits so far
}

// wait makes the next wait with sleep (the retry policy's, so that a test
// can move a clock instead). It reports false, without waiting, when the
// budget is spent; an error is sleep's (ctx ended).
func (s *schedule) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) (bool, error) {
	left := s.budget - s.waited
	if left <= 0 {
		return false, nil
	}
	d := min(s.next, left)
	if err := sleep(ctx, d); err != nil {
		return false, err
	}
	s.waited += d
	s.next = min(2*d, s.longest)
	return true, nil
}
