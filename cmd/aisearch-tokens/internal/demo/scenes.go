package demo

import (
	"fmt"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// scene is one part of the demo: a title and the steps that play it.
type scene struct {
	title string
	play  func(*run)
}

// scenes are played in order, against one emulator.
var scenes = []scene{
	{"Registered service tokens: create, page, search, get, rotate, delete", (*run).lifecycle},
	{"The service-token workflow on account " + short(ServiceAccount) + ": provision, provision again, check, rotate, check", (*run).workflow},
	{"Broken registrations: the value rolled in place, then the token deleted; check finds both, rotate repairs both", (*run).broken},
	{"An instance and its indexing jobs on account " + short(IndexAccount) + ": a job ends well, the token's value is rolled in place, a job fails naming the cause, check names the instance, rotate proves the repair with a job that ends well", (*run).indexing},
}

// lifecycle walks the tokens API end to end with the aisearch client,
// including the 404 after a delete and the 409 of a token in use.
func (r *run) lifecycle() {
	// AI Search registers only a live Cloudflare API token: two service
	// tokens, as if POST /user/tokens had made them (the workflow scene
	// below mints its own through the API).
	svc, next := r.serviceToken("service"), r.serviceToken("service 2")
	if svc.id == "" || next.id == "" {
		return
	}
	r.note("emulator: service tokens %s and %s, as POST /user/tokens makes them", short(svc.id), short(next.id))
	var ids []string
	for _, name := range []string{"docs-search", "blog-search", "archive-search"} {
		if !r.step(nil, func() (string, error) {
			t, err := r.c.Registrations.Create(r.ctx, aisearch.RegistrationParams{Name: name, CfAPIID: svc.id, CfAPIKey: svc.key})
			ids = append(ids, t.ID)
			return fmt.Sprintf("created %q", name), err
		}) {
			return
		}
	}

	// Page by page, two per page, stopping on result_info.
	seen := 0
	for page := 1; page <= 10; page++ {
		var info aisearch.ResultInfo
		if !r.step(nil, func() (string, error) {
			p, err := r.c.Registrations.List(r.ctx, aisearch.RegistrationListOptions{Page: page, PerPage: 2})
			if err != nil {
				return "", err
			}
			info, seen = p.Info, seen+len(p.Registrations)
			return fmt.Sprintf("page %d: %s (%d of %d)", info.Page, names(p.Registrations), info.Count, info.TotalCount), nil
		}) {
			return
		}
		if info.Page*info.PerPage >= info.TotalCount {
			break
		}
	}
	r.expect(seen == 3, "paging saw %d tokens, want 3", seen)

	const search = "BLOG"
	r.step(nil, func() (string, error) {
		found, err := collect(r, aisearch.RegistrationListOptions{Search: search})
		r.expect(err != nil || names(found) == "blog-search", "search %q found %s", search, names(found))
		return fmt.Sprintf("search %q: %s (every page, through All)", search, names(found)), err
	})

	r.step(nil, func() (string, error) {
		t, err := r.c.Registrations.Get(r.ctx, ids[0])
		return fmt.Sprintf("%q, created %s", t.Name, t.CreatedAt.Format(time.RFC3339)), err
	})

	r.step(nil, func() (string, error) {
		t, err := r.c.Registrations.Update(r.ctx, ids[0], aisearch.RegistrationParams{Name: "docs-search (rotated)", CfAPIID: next.id, CfAPIKey: next.key})
		return fmt.Sprintf("renamed to %q, key rotated", t.Name), err
	})

	r.step(nil, func() (string, error) { return "deleted archive-search", r.c.Registrations.Delete(r.ctx, ids[2]) })

	r.step(aisearch.ErrNotFound, func() (string, error) {
		_, err := r.c.Registrations.Get(r.ctx, ids[2])
		return "gone: " + apiMessage(err), err
	})

	if !r.step(nil, func() (string, error) {
		in, err := r.c.Instances("").Create(r.ctx, aisearch.InstanceParams{ID: "docs-search", TokenID: ids[0]})
		return fmt.Sprintf("instance %s (built-in storage) with token_id %s", in.Name(), short(in.TokenID)), err
	}) {
		return
	}
	r.step(aisearch.ErrConflict, func() (string, error) {
		err := r.c.Registrations.Delete(r.ctx, ids[0])
		return "refused: " + apiMessage(err), err
	})

	r.step(nil, func() (string, error) {
		left, err := collect(r, aisearch.RegistrationListOptions{})
		r.expect(err != nil || len(left) == 2, "final list has %d tokens, want 2", len(left))
		return "left: " + names(left), err
	})
}

// credential is a Cloudflare API token's id and value.
type credential struct {
	id  string
	key aisearch.Secret
}

// serviceToken seeds a live Cloudflare API token of the user in the
// emulator and returns its id and value (zero, and a failure noted, when
// the emulator refuses it).
func (r *run) serviceToken(name string) credential {
	c := credential{id: randomHex(16), key: aisearch.Secret("demo-secret-" + randomHex(8))}
	if err := r.srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: c.id, Name: name, Value: string(c.key)}); err != nil {
		r.expect(false, "seed a service token: %v", err)
		return credential{}
	}
	return c
}

// collect gathers every token All yields.
func collect(r *run, filter aisearch.RegistrationListOptions) ([]aisearch.Registration, error) {
	var out []aisearch.Registration
	for t, err := range r.c.Registrations.All(r.ctx, filter) {
		if err != nil {
			return out, err
		}
		out = append(out, t)
	}
	return out, nil
}
