package emulator

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The instance operations, in both route families: the namespaced ones
// name their namespace, the account-level ones address "default" (but the
// account-level list, which spans every namespace).

// instanceRef is the instance an operation names.
type instanceRef struct{ account, namespace, id string }

// accountRef is what an account-level route names: the instance id of the
// namespace "default".
func accountRef(account, id string) instanceRef { return instanceRef{account, defaultNamespace, id} }

var badInstanceID = apiError{status: 400, code: CodeValidation, message: "id: 1 to 64 of a-z, 0-9, '-' and '_'", path: []string{"body", "id"}}

// createInstance stores in (its settings applied, its namespace and id
// set): the id valid and free in a namespace that exists, a source when it
// has a type (7052), within the account's limit (7013), and a token_id
// naming a registration of the account (7012). With no token_id it gets the
// account's default registration (defaultRegistration); with none, only a
// built-in instance may be created.
func (s *store) createInstance(tx *tx, in instance, tokenID *string, limit int) (instance, error) {
	switch {
	case !validInstanceID(in.ID):
		return instance{}, badInstanceID
	case in.Type != "" && !in.Type.Valid():
		return instance{}, apiError{status: 400, code: CodeValidation, message: "type: must be r2 or web-crawler", path: []string{"body", "type"}}
	case !s.namespaceExists(tx, in.Account, in.Namespace):
		return instance{}, errNamespaceNotFoundHere
	case in.Type != "" && (in.Source == nil || *in.Source == ""):
		return instance{}, errTypeNeedsSource
	}
	if _, ok := s.getInstance(tx, in.Account, in.Namespace, in.ID); ok {
		return instance{}, errInstanceExists
	}
	if s.instances.count(tx, in.Account) >= limit {
		return instance{}, errMaxInstances
	}
	switch {
	case tokenID != nil:
		if _, ok := s.registrations.get(tx, in.Account, *tokenID); !ok {
			return instance{}, errInvalidTokenID
		}
		in.TokenID = *tokenID
	default:
		id, ok := s.defaultRegistration(tx, in.Account)
		if !ok && in.Type != "" {
			return instance{}, errInvalidTokenID
		}
		in.TokenID = id
	}
	s.ensureDefaultNamespace(tx, in.Account, in.CreatedAt)
	s.instances.put(tx, in)
	return in, nil
}

// defaultRegistration is the registration an instance created without
// token_id uses: the account's oldest enabled one (created_at, then id),
// so that a registration added later (a rotation's new token) does not
// change what new instances use.
func (s *store) defaultRegistration(tx *tx, account string) (string, bool) {
	var best *registration
	for _, r := range s.registrations.rows(tx, account) {
		if !r.Enabled {
			continue
		}
		if best == nil || cmp.Or(r.CreatedAt.Compare(best.CreatedAt), cmp.Compare(r.ID, best.ID)) < 0 {
			best = &r
		}
	}
	if best == nil {
		return "", false
	}
	return best.ID, true
}

// findInstance is the instance an operation names: 404 7063 for an
// unknown namespace, 404 7002 for an unknown instance.
func (s *store) findInstance(tx *tx, ref instanceRef) (instance, error) {
	if !s.namespaceExists(tx, ref.account, ref.namespace) {
		return instance{}, errNamespaceNotFound
	}
	in, ok := s.getInstance(tx, ref.account, ref.namespace, ref.id)
	if !ok {
		return instance{}, errInstanceNotFound
	}
	return in, nil
}

// updateInstance applies an update body (a token_id must name a
// registration of the account: 7012).
func (s *store) updateInstance(tx *tx, ref instanceRef, b generated.InstanceUpdate, now time.Time) (instance, error) {
	in, err := s.findInstance(tx, ref)
	if err != nil {
		return instance{}, err
	}
	if b.TokenID != nil {
		if _, ok := s.registrations.get(tx, ref.account, *b.TokenID); !ok {
			return instance{}, errInvalidTokenID
		}
		in.TokenID = *b.TokenID
	}
	in.setUpdate(b)
	in.ModifiedAt = later(now, in.CreatedAt)
	s.instances.put(tx, in)
	return in, nil
}

// removeInstance deletes an instance, its jobs, and its place in its
// namespace's instances_allowed; its registration is then free (nothing
// else records that it was in use).
func (s *store) removeInstance(tx *tx, in instance) {
	for _, j := range s.jobsOf(tx, in) {
		owner, id := jobKey(&j)
		s.jobs.delete(tx, owner, id)
	}
	s.dropAllowed(tx, in)
	owner, id := instanceKey(&in)
	s.instances.delete(tx, owner, id)
}

// moveInstance moves an instance to another namespace of the account, with
// its jobs: not to its own (7067), nor to one that does not exist (7063) or
// already has this id (7022). It leaves the old namespace's
// instances_allowed.
func (s *store) moveInstance(tx *tx, ref instanceRef, to string, now time.Time) error {
	in, err := s.findInstance(tx, ref)
	switch {
	case err != nil:
		return err
	case to == in.Namespace:
		return errNamespaceSameName
	case !s.namespaceExists(tx, ref.account, to):
		return errNamespaceNotFound
	}
	if _, taken := s.getInstance(tx, ref.account, to, in.ID); taken {
		return errInstanceExists
	}
	jobs := s.jobsOf(tx, in)
	s.removeInstance(tx, in)
	in.Namespace, in.ModifiedAt = to, later(now, in.CreatedAt)
	s.ensureDefaultNamespace(tx, in.Account, now)
	s.instances.put(tx, in)
	for _, j := range jobs {
		j.Namespace = to
		s.jobs.put(tx, j)
	}
	return nil
}

func (h *handlers) instanceEnvelope(tx *tx, in instance, now time.Time) generated.InstanceEnvelope {
	return generated.InstanceEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: in.api(h.store.instanceView(tx, in, now))}
}

// listInstances lists the account's instances, of namespace ns when not
// "" (an unknown one matches nothing), newest first unless asked otherwise.
func (h *handlers) listInstances(account, ns string, page, perPage *int, search *string, ascending bool) generated.InstanceListEnvelope {
	now := h.timestamp()
	needle := searchNeedle(search)
	var out []generated.InstanceListItem
	var info generated.ResultInfo
	h.store.view(func(tx *tx) {
		rows := slices.Collect(where(h.store.instances.rows(tx, account), func(in instance) bool {
			return (ns == "" || in.Namespace == ns) && containsFold(in.ID, needle)
		}))
		slices.SortStableFunc(rows, func(a, b instance) int { return a.CreatedAt.Compare(b.CreatedAt) })
		if !ascending {
			slices.Reverse(rows)
		}
		var pageRows []instance
		pageRows, info = paginate(aiSearchPages, page, perPage, slices.Values(rows))
		out = make([]generated.InstanceListItem, len(pageRows))
		for i, in := range pageRows {
			out[i] = in.listItem(h.store.instanceView(tx, in, now))
		}
	})
	return generated.InstanceListEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: out, ResultInfo: info}
}

func (h *handlers) createInstance(account, ns string, body *generated.InstanceCreate) (generated.InstanceEnvelope, error) {
	if body == nil {
		return generated.InstanceEnvelope{}, errNoBody
	}
	now := h.timestamp()
	in := newInstance(account, ns, body.ID, now)
	in.setCreate(*body)
	var env generated.InstanceEnvelope
	err := h.store.update(func(tx *tx) (err error) {
		if in, err = h.store.createInstance(tx, in, body.TokenID, h.cfg.maxInstances); err == nil {
			env = h.instanceEnvelope(tx, in, now)
		}
		return err
	})
	return env, err
}

func (h *handlers) getInstance(ref instanceRef) (generated.InstanceEnvelope, error) {
	now := h.timestamp()
	var env generated.InstanceEnvelope
	var err error
	h.store.view(func(tx *tx) {
		var in instance
		if in, err = h.store.findInstance(tx, ref); err == nil {
			env = h.instanceEnvelope(tx, in, now)
		}
	})
	return env, err
}

// updateInstance answers the updated instance; custom_domains only when
// the body sent them (as Cloudflare documents).
func (h *handlers) updateInstance(ref instanceRef, body *generated.InstanceUpdate) (generated.InstanceEnvelope, error) {
	var b generated.InstanceUpdate
	if body != nil {
		b = *body
	}
	now := h.timestamp()
	var env generated.InstanceEnvelope
	err := h.store.update(func(tx *tx) error {
		in, err := h.store.updateInstance(tx, ref, b, now)
		if err == nil {
			env = h.instanceEnvelope(tx, in, now)
		}
		return err
	})
	if p := env.Result.PublicEndpointParams; p != nil && b.PublicEndpointParams != nil && b.PublicEndpointParams.CustomDomains == nil {
		shown := *p
		shown.CustomDomains = nil
		env.Result.PublicEndpointParams = &shown
	}
	return env, err
}

// deleteInstance answers the instance as it was.
func (h *handlers) deleteInstance(ref instanceRef) (generated.InstanceEnvelope, error) {
	now := h.timestamp()
	var env generated.InstanceEnvelope
	err := h.store.update(func(tx *tx) error {
		in, err := h.store.findInstance(tx, ref)
		if err != nil {
			return err
		}
		env = h.instanceEnvelope(tx, in, now)
		h.store.removeInstance(tx, in)
		return nil
	})
	return env, err
}

func ascending[D ~string](d *D) bool { return d != nil && *d == "asc" }

func (h *handlers) ListInstances(_ context.Context, req generated.ListInstancesRequestObject) (generated.ListInstancesResponseObject, error) {
	p := req.Params
	var ns string
	if p.Namespace != nil {
		ns = *p.Namespace
	}
	return generated.ListInstances200JSONResponse(h.listInstances(req.AccountID, ns, p.Page, p.PerPage, p.Search, ascending(p.OrderByDirection))), nil
}

func (h *handlers) CreateInstance(_ context.Context, req generated.CreateInstanceRequestObject) (generated.CreateInstanceResponseObject, error) {
	env, err := h.createInstance(req.AccountID, defaultNamespace, req.Body)
	return respond[generated.CreateInstanceResponseObject](generated.CreateInstance201JSONResponse(env), err)
}

func (h *handlers) GetInstance(_ context.Context, req generated.GetInstanceRequestObject) (generated.GetInstanceResponseObject, error) {
	env, err := h.getInstance(accountRef(req.AccountID, req.ID))
	return respond[generated.GetInstanceResponseObject](generated.GetInstance200JSONResponse(env), err)
}

func (h *handlers) UpdateInstance(_ context.Context, req generated.UpdateInstanceRequestObject) (generated.UpdateInstanceResponseObject, error) {
	env, err := h.updateInstance(accountRef(req.AccountID, req.ID), req.Body)
	return respond[generated.UpdateInstanceResponseObject](generated.UpdateInstance200JSONResponse(env), err)
}

func (h *handlers) DeleteInstance(_ context.Context, req generated.DeleteInstanceRequestObject) (generated.DeleteInstanceResponseObject, error) {
	env, err := h.deleteInstance(accountRef(req.AccountID, req.ID))
	return respond[generated.DeleteInstanceResponseObject](generated.DeleteInstance200JSONResponse(env), err)
}

func (h *handlers) ListNamespaceInstances(_ context.Context, req generated.ListNamespaceInstancesRequestObject) (generated.ListNamespaceInstancesResponseObject, error) {
	p := req.Params
	return generated.ListNamespaceInstances200JSONResponse(h.listInstances(req.AccountID, req.Name, p.Page, p.PerPage, p.Search, ascending(p.OrderByDirection))), nil
}

func (h *handlers) CreateNamespaceInstance(_ context.Context, req generated.CreateNamespaceInstanceRequestObject) (generated.CreateNamespaceInstanceResponseObject, error) {
	env, err := h.createInstance(req.AccountID, req.Name, req.Body)
	return respond[generated.CreateNamespaceInstanceResponseObject](generated.CreateNamespaceInstance201JSONResponse(env), err)
}

func (h *handlers) GetNamespaceInstance(_ context.Context, req generated.GetNamespaceInstanceRequestObject) (generated.GetNamespaceInstanceResponseObject, error) {
	env, err := h.getInstance(instanceRef{req.AccountID, req.Name, req.ID})
	return respond[generated.GetNamespaceInstanceResponseObject](generated.GetNamespaceInstance200JSONResponse(env), err)
}

func (h *handlers) UpdateNamespaceInstance(_ context.Context, req generated.UpdateNamespaceInstanceRequestObject) (generated.UpdateNamespaceInstanceResponseObject, error) {
	env, err := h.updateInstance(instanceRef{req.AccountID, req.Name, req.ID}, req.Body)
	return respond[generated.UpdateNamespaceInstanceResponseObject](generated.UpdateNamespaceInstance200JSONResponse(env), err)
}

func (h *handlers) DeleteNamespaceInstance(_ context.Context, req generated.DeleteNamespaceInstanceRequestObject) (generated.DeleteNamespaceInstanceResponseObject, error) {
	env, err := h.deleteInstance(instanceRef{req.AccountID, req.Name, req.ID})
	return respond[generated.DeleteNamespaceInstanceResponseObject](generated.DeleteNamespaceInstance200JSONResponse(env), err)
}

func (h *handlers) MoveInstance(_ context.Context, req generated.MoveInstanceRequestObject) (generated.MoveInstanceResponseObject, error) {
	err := error(errNoBody)
	if req.Body != nil {
		now := h.timestamp()
		err = h.store.update(func(tx *tx) error {
			return h.store.moveInstance(tx, instanceRef{req.AccountID, req.Name, req.ID}, req.Body.NewNamespace, now)
		})
	}
	return respond[generated.MoveInstanceResponseObject](generated.MoveInstance200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages()}, err)
}
