package aisearch

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultProofTimeout bounds, unless ServiceTokenOptions.ProofTimeout says
// otherwise, how long Rotate waits for the job that proves a rotation.
const DefaultProofTimeout = 10 * time.Minute

// ErrProofFailed: the job Rotate ran to prove a rotation
// (ServiceTokenOptions.ProveWithJob) did not end well. The rotation itself
// is done: Rotated.Proof says which job, and why it failed.
var ErrProofFailed = errors.New("aisearch: the proof job did not end well")

// Proof is the job that proved a rotation.
type Proof struct {
	// Instance is the instance it ran on: the first that indexes among
	// those that use the registration (DefaultNamespace's first).
	Instance Instance `json:"instance"`
	// Job is the job as it ended (or as last seen, if it did not end in
	// time).
	Job Job `json:"job"`
	// Failure is the log line that says why the job failed; "" when it
	// ended well.
	Failure string `json:"failure,omitempty"`
}

// prove runs one job on one instance that uses registration regID and
// waits for it: the proof that AI Search indexes with the registration's
// credential. nil, nil when no instance that indexes uses it.
func (c *Client) prove(ctx context.Context, regID string, timeout time.Duration) (*Proof, error) {
	if timeout <= 0 {
		timeout = DefaultProofTimeout
	}
	var target *Instance
	for it, err := range c.AllInstances(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing the instances that use it, to prove it with a job, failed: %w", err)
		}
		if it.TokenID == regID && it.HasJobs() {
			target = &it
			break
		}
	}
	if target == nil {
		return nil, nil
	}
	in := c.Instances(target.Namespace)
	j, waited, err := c.startJobAfterCooldown(ctx, in, target.ID, timeout)
	if err != nil {
		return nil, fmt.Errorf("starting a job on instance %s to prove it failed: %w", target.Name(), err)
	}
	j, err = in.WaitJob(ctx, target.ID, j.ID, timeout-waited)
	p := &Proof{Instance: *target, Job: j}
	switch {
	case err != nil:
		return p, fmt.Errorf("the job %s that proves it on instance %s: %w", j.ID, target.Name(), err)
	case !j.EndedWell():
		p.Failure = in.failure(ctx, j)
		return p, fmt.Errorf("the job %s that proves it on instance %s ended with end_reason %q (%s): %w",
			j.ID, target.Name(), j.EndReason, p.Failure, ErrProofFailed)
	}
	return p, nil
}

// startJobAfterCooldown starts a job on instance id, waiting out (with the
// retry policy's Sleep) the 30 s AI Search keeps between two jobs (code
// 7020) for as long as timeout allows. It returns the job and how long it
// waited.
func (c *Client) startJobAfterCooldown(ctx context.Context, in *Instances, id string, timeout time.Duration) (Job, time.Duration, error) {
	var waited time.Duration
	for {
		j, err := in.StartJob(ctx, id, "aisearch: prove the rotated service token")
		var apiErr *APIError
		if err == nil || !errors.As(err, &apiErr) || !apiErr.HasCode(CodeSyncInCooldown) ||
			apiErr.RetryAfter <= 0 || waited+apiErr.RetryAfter > timeout {
			return j, waited, err
		}
		if serr := c.sleep(ctx, apiErr.RetryAfter); serr != nil {
			return Job{}, waited, fmt.Errorf("%w (while waiting for the instance's cooldown: %w)", err, serr)
		}
		waited += apiErr.RetryAfter
	}
}
