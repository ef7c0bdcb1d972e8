package demo

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// ServiceAccount is the account of the service-token scenes, a fresh one:
// the lifecycle scene leaves registrations on Account whose cf_api_ids are
// no Cloudflare tokens, which Provision would rightly call broken.
const ServiceAccount = "0123456789abcdef0123456789abcdef"

// workflow is Cloudflare's AI Search API guide done by the package:
// provision (create the Cloudflare token, register it), provision again
// (nothing to do), check, rotate (same token_id), check.
func (r *run) workflow() {
	var p aisearch.Provisioned
	if !r.step(nil, func() (string, error) {
		var err error
		p, err = r.svc.Provision(r.ctx, aisearch.ServiceTokenOptions{})
		return fmt.Sprintf("provisioned: Cloudflare token %s (%s), registered as %s", short(p.APIToken.ID), strings.Join(groupNames(p.APIToken), ", "), short(p.Registration.ID)), err
	}) {
		return
	}
	regID := p.Registration.ID
	r.serviceReg = regID
	r.works(regID)
	r.step(nil, func() (string, error) {
		again, err := r.svc.Provision(r.ctx, aisearch.ServiceTokenOptions{})
		r.expect(err != nil || (!again.Created && again.Registration.ID == regID), "the second Provision created %+v", again)
		return fmt.Sprintf("provisioned again: created %t, the same registration %s", again.Created, short(again.Registration.ID)), err
	})
	r.checkStep("")
	r.rotateStep(regID, p.APIToken.ID)
	r.checkStep("")
}

// broken breaks the registration twice, the two ways users do, and repairs
// it with Rotate each time.
func (r *run) broken() {
	var reg aisearch.Registration
	if !r.step(nil, func() (string, error) {
		var err error
		reg, err = r.svc.Registrations.Get(r.ctx, r.serviceReg)
		return fmt.Sprintf("registration %s holds Cloudflare token %s", short(reg.ID), short(reg.CfAPIID)), err
	}) {
		return
	}
	owned := r.svc.APITokens(aisearch.OwnerUser)

	// Rolling the value in place: the old value dies at once, AI Search
	// still holds it.
	r.clock.advance(time.Hour)
	r.note("an hour later, someone rolls the service token's value in place")
	r.step(nil, func() (string, error) {
		_, err := owned.Roll(r.ctx, reg.CfAPIID)
		return "rolled: a new value, shown once (not here); the old one stopped working", err
	})
	if err := r.srv.CredentialWorks(ServiceAccount, reg.ID); err != nil {
		r.note("emulator: AI Search's stored key is now dead: %s", lastPart(err))
	} else {
		r.expect(false, "after the roll the registration still works")
	}
	r.checkStep(aisearch.ProblemChangedAfterRegistration)
	reg = r.rotateStep(reg.ID, reg.CfAPIID)
	r.checkStep("")

	// Deleting the token behind the registration.
	r.note("someone tidying their API tokens deletes the service token")
	r.step(nil, func() (string, error) {
		return "deleted Cloudflare token " + short(reg.CfAPIID), owned.Delete(r.ctx, reg.CfAPIID)
	})
	r.checkStep(aisearch.ProblemGone)
	r.step(aisearch.ErrBrokenRegistration, func() (string, error) {
		_, err := r.svc.Provision(r.ctx, aisearch.ServiceTokenOptions{})
		return "provision refuses: the registration is broken, nothing created; rotate it", err
	})
	r.rotateStep(reg.ID, reg.CfAPIID)
	r.checkStep("")
}

// checkStep runs Check on the service account and expects every
// registration healthy (want "") or reported with the problem want.
func (r *run) checkStep(want aisearch.ProblemKind) {
	r.step(nil, func() (string, error) {
		hs, err := r.svc.Check(r.ctx, aisearch.CheckOptions{})
		if err != nil {
			return "", err
		}
		var verdicts []string
		for _, h := range hs {
			v := "healthy"
			if !h.Healthy() {
				var kinds []string
				for _, p := range h.Problems {
					k := string(p.Kind)
					if p.Heuristic {
						k += " (heuristic)"
					}
					kinds = append(kinds, k)
				}
				v = "UNHEALTHY: " + strings.Join(kinds, ", ")
			}
			verdicts = append(verdicts, fmt.Sprintf("%s %s", short(h.Registration.ID), v))
			ok := h.Healthy()
			if want != "" {
				ok = h.Has(want)
			}
			r.expect(ok, "check of %s: got %s, want %s", short(h.Registration.ID), v, cmp.Or(string(want), "healthy"))
		}
		r.expect(len(hs) == 1, "check found %d registrations, want 1", len(hs))
		return "check: " + strings.Join(verdicts, "; "), nil
	})
}

// rotateStep rotates registration id, held by token old, and returns the
// registration as it is now.
func (r *run) rotateStep(id, old string) aisearch.Registration {
	var rot aisearch.Rotated
	r.step(nil, func() (string, error) {
		var err error
		rot, err = r.svc.Rotate(r.ctx, id, aisearch.ServiceTokenOptions{})
		r.expect(err != nil || (rot.Registration.ID == id && rot.OldCfAPIID == old && rot.APIToken.ID != old), "rotate: %+v", rot)
		return fmt.Sprintf("rotated: %s now holds %s (was %s, deleted %t); instances keep token_id %s",
			short(rot.Registration.ID), short(rot.APIToken.ID), short(rot.OldCfAPIID), rot.OldDeleted, short(id)), err
	})
	r.works(id)
	return rot.Registration
}

// works notes the emulator's ground truth: the registration's stored key
// is the live value of its token.
func (r *run) works(id string) {
	err := r.srv.CredentialWorks(ServiceAccount, id)
	r.expect(err == nil, "registration %s does not work: %v", short(id), err)
	if err == nil {
		r.note("emulator: registration %s holds the live value of its token", short(id))
	}
}

func groupNames(t aisearch.APIToken) []string {
	var out []string
	for _, p := range t.Policies {
		for _, g := range p.PermissionGroups {
			out = append(out, fmt.Sprintf("%q", g.Name))
		}
	}
	return out
}

// lastPart is the innermost message of an emulator error ("value rolled").
func lastPart(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}
