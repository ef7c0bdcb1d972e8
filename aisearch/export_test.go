package aisearch

import (
	"time"
)

// ParseRetryAfter and Excerpt expose helpers to table tests; FromEnvWith
// is FromEnv reading its variables through getenv, so that tests need not
// set the process's environment.
var (
	FromEnvWith     = fromEnv
	ParseRetryAfter = parseRetryAfter
	Excerpt         = excerpt
)

// WithClock replaces the client's clock (Check's idea of now, the time in
// a service token's name, what a Retry-After date is read against).
// Test-only.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		c.now = now
		return nil
	}
}
