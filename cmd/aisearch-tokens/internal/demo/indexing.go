package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// IndexAccount is the account of the indexing scene, a fresh one, so that
// its story starts from nothing.
const IndexAccount = "fedcba9876543210fedcba9876543210"

// indexing is issue 19's story: what a dead service token does to an
// instance, and how check and rotate find and repair it. The jobs run on
// the emulator's clock, which the client's waits move.
func (r *run) indexing() {
	var p aisearch.Provisioned
	if !r.step(nil, func() (string, error) {
		var err error
		p, err = r.idx.Provision(r.ctx, aisearch.ServiceTokenOptions{})
		return fmt.Sprintf("provisioned: registration %s holds Cloudflare token %s", short(p.Registration.ID), short(p.APIToken.ID)), err
	}) {
		return
	}
	reg := p.Registration.ID
	docs := r.idx.Instances("")
	if !r.step(nil, func() (string, error) {
		in, err := docs.Create(r.ctx, aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "docs-bucket", TokenID: reg})
		r.expect(err != nil || in.TokenID == reg, "the instance names %s, want %s", in.TokenID, reg)
		return fmt.Sprintf("instance %s (r2, bucket %s) with token_id %s, status %s", in.Name(), in.Source, short(in.TokenID), in.Status), err
	}) {
		return
	}
	if !r.job(docs, "docs", true, "") {
		return
	}

	r.clock.advance(time.Hour)
	r.note("an hour later, someone rolls the service token's value in place")
	r.step(nil, func() (string, error) {
		_, err := r.idx.APITokens(aisearch.OwnerUser).Roll(r.ctx, p.APIToken.ID)
		return "rolled: the old value, which AI Search holds, stopped working", err
	})
	r.job(docs, "docs", false, "was rolled; update the registration")

	r.step(nil, func() (string, error) {
		hs, err := r.idx.Check(r.ctx, aisearch.CheckOptions{LastJobs: true})
		if err != nil {
			return "", err
		}
		r.expect(len(hs) == 1 && !hs[0].Healthy() && len(hs[0].Instances) == 1, "check: %+v", hs)
		if len(hs) != 1 || len(hs[0].Instances) != 1 {
			return "check found no instance", nil
		}
		u := hs[0].Instances[0]
		r.expect(u.Instance.ID == "docs" && u.LastJob != nil && !u.LastJob.EndedWell(), "check's instance: %+v", u)
		return fmt.Sprintf("check: %s UNHEALTHY (%s); instance %s, status %s, stops indexing: its last job failed (%s)",
			short(reg), kinds(hs[0]), u.Instance.Name(), u.Instance.Status, u.LastJob.EndReason), nil
	})

	r.clock.advance(30 * time.Second)
	r.note("30 s later (AI Search runs one job per instance every 30 s at most)")
	r.step(nil, func() (string, error) {
		rot, err := r.idx.Rotate(r.ctx, reg, aisearch.ServiceTokenOptions{ProveWithJob: true})
		r.expect(err != nil || (rot.Registration.ID == reg && rot.Proof != nil && rot.Proof.Job.EndedWell()), "rotate: %+v", rot)
		proof := "no proof"
		if rot.Proof != nil {
			proof = fmt.Sprintf("job %s on %s ended well", short(rot.Proof.Job.ID), rot.Proof.Instance.Name())
		}
		return fmt.Sprintf("rotated with proof: %s now holds %s; %s", short(reg), short(rot.APIToken.ID), proof), err
	})
	r.step(nil, func() (string, error) {
		in, err := docs.Get(r.ctx, "docs")
		r.expect(err != nil || (in.TokenID == reg && in.Status == "active"), "after rotate: %+v", in)
		return fmt.Sprintf("instance docs still names %s, status %s", short(in.TokenID), in.Status), err
	})
}

// job starts a job on instance id, waits for it (on the emulator's clock),
// and expects it to end well, or to fail with a log line holding says.
func (r *run) job(in *aisearch.Instances, id string, well bool, says string) bool {
	var j aisearch.Job
	if !r.step(nil, func() (string, error) {
		var err error
		j, err = in.StartJob(r.ctx, id, "demo")
		if err == nil {
			j, err = in.WaitJob(r.ctx, id, j.ID, time.Minute)
		}
		if well {
			r.expect(err != nil || j.EndedWell(), "job %s ended with %q, want it to end well", j.ID, j.EndReason)
			return fmt.Sprintf("job %s ended well", short(j.ID)), err
		}
		r.expect(err != nil || !j.EndedWell(), "job %s ended well, want it to fail", j.ID)
		return fmt.Sprintf("job %s failed: end_reason %s", short(j.ID), j.EndReason), err
	}) {
		return false
	}
	if well {
		return true
	}
	return r.step(nil, func() (string, error) {
		p, err := in.JobLogs(r.ctx, id, j.ID, aisearch.JobListOptions{})
		if err != nil || len(p.Logs) == 0 {
			return "no log", err
		}
		last := p.Logs[len(p.Logs)-1].Message
		r.expect(strings.Contains(last, says), "the job's last log line %q lacks %q", last, says)
		return "log: " + longID.ReplaceAllStringFunc(last, short), nil
	})
}

func kinds(h aisearch.Health) string {
	var out []string
	for _, p := range h.Problems {
		out = append(out, string(p.Kind))
	}
	return strings.Join(out, ", ")
}
