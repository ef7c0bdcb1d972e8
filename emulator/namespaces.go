package emulator

import (
	"context"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// AI Search namespaces group an account's instances; instance ids are
// unique within one. "default" exists in every account: it gets its row on
// the account's first instance or namespace write (until then it is
// answered as created now), and cannot be deleted or described.

// namespace is a row of the namespaces table.
type namespace struct {
	Account              string                                   `json:"account"`
	Name                 string                                   `json:"name"`
	Description          *string                                  `json:"description,omitempty"`
	PublicEndpointParams *generated.NamespacePublicEndpointParams `json:"public_endpoint_params,omitempty"`
	CreatedAt            time.Time                                `json:"created_at"`
}

func namespaceKey(n *namespace) (owner, id string) { return n.Account, n.Name }

// getNamespace is the account's namespace name; "default" always exists.
func (s *store) getNamespace(tx *tx, account, name string, now time.Time) (namespace, bool) {
	if n, ok := s.namespaces.get(tx, account, name); ok {
		return n, true
	}
	if name == defaultNamespace {
		return namespace{Account: account, Name: defaultNamespace, CreatedAt: now}, true
	}
	return namespace{}, false
}

func (s *store) namespaceExists(tx *tx, account, name string) bool {
	_, ok := s.getNamespace(tx, account, name, time.Time{})
	return ok
}

// ensureDefaultNamespace gives "default" its row, created at now, if it
// has none yet.
func (s *store) ensureDefaultNamespace(tx *tx, account string, now time.Time) {
	if _, ok := s.namespaces.get(tx, account, defaultNamespace); !ok {
		s.namespaces.put(tx, namespace{Account: account, Name: defaultNamespace, CreatedAt: now})
	}
}

// instancesIn returns the account's instances of one namespace, in order.
func (s *store) instancesIn(tx *tx, account, ns string) []instance {
	var out []instance
	for _, in := range s.instances.rows(tx, account) {
		if in.Namespace == ns {
			out = append(out, in)
		}
	}
	return out
}

// checkAllowed refuses instances_allowed naming an instance the namespace
// does not hold (7097).
func (s *store) checkAllowed(tx *tx, account, ns string, p *generated.NamespacePublicEndpointParams) error {
	if p == nil || p.InstancesAllowed == nil {
		return nil
	}
	for _, id := range *p.InstancesAllowed {
		if _, ok := s.getInstance(tx, account, ns, id); !ok {
			return errUnknownAllowed
		}
	}
	return nil
}

// dropAllowed removes an instance that leaves its namespace (deleted or
// moved) from that namespace's instances_allowed.
func (s *store) dropAllowed(tx *tx, in instance) {
	n, ok := s.namespaces.get(tx, in.Account, in.Namespace)
	if !ok || n.PublicEndpointParams == nil || n.PublicEndpointParams.InstancesAllowed == nil {
		return
	}
	allowed := *n.PublicEndpointParams.InstancesAllowed
	if !slices.Contains(allowed, in.ID) {
		return
	}
	p := *n.PublicEndpointParams
	kept := slices.DeleteFunc(slices.Clone(allowed), func(id string) bool { return id == in.ID })
	p.InstancesAllowed = &kept
	n.PublicEndpointParams = &p
	s.namespaces.put(tx, n)
}

// createNamespace stores a new namespace: its name valid (the emulator's
// choice: an instance id's alphabet), not taken (7064, "default"
// included), within the limit (7062, "default" not counted), its
// instances_allowed empty (a new namespace holds no instance: 7097).
func (s *store) createNamespace(tx *tx, n namespace, limit int) (namespace, error) {
	switch {
	case !validInstanceID(n.Name):
		return namespace{}, badNamespaceName
	case s.namespaceExists(tx, n.Account, n.Name):
		return namespace{}, errNamespaceExists
	case s.countNamespaces(tx, n.Account) >= limit:
		return namespace{}, errMaxNamespaces
	}
	if err := s.checkAllowed(tx, n.Account, n.Name, n.PublicEndpointParams); err != nil {
		return namespace{}, err
	}
	s.ensureDefaultNamespace(tx, n.Account, n.CreatedAt)
	s.namespaces.put(tx, n)
	return n, nil
}

var badNamespaceName = apiError{status: 400, code: CodeValidation, message: "name: 1 to 64 of a-z, 0-9, '-' and '_'", path: []string{"body", "name"}}

// countNamespaces counts the account's namespaces but "default".
func (s *store) countNamespaces(tx *tx, account string) int {
	n := 0
	for name := range s.namespaces.rows(tx, account) {
		if name != defaultNamespace {
			n++
		}
	}
	return n
}

// updateNamespace changes what the body names: the description (never
// default's: 7065) and the public endpoint (replaced whole).
func (s *store) updateNamespace(tx *tx, account, name string, b generated.NamespaceUpdate, now time.Time) (namespace, error) {
	n, ok := s.getNamespace(tx, account, name, now)
	switch {
	case !ok:
		return namespace{}, errNamespaceNotFound
	case b.Description != nil && name == defaultNamespace:
		return namespace{}, errCannotModifyDefault
	}
	if err := s.checkAllowed(tx, account, name, b.PublicEndpointParams); err != nil {
		return namespace{}, err
	}
	setPtr(&n.Description, b.Description)
	setPtr(&n.PublicEndpointParams, b.PublicEndpointParams)
	s.namespaces.put(tx, n)
	return n, nil
}

// deleteNamespace removes an empty namespace other than default (the
// emulator's choice: refused when it holds instances, 7066, as the spec
// says, though wrangler's prompt says the delete removes them).
func (s *store) deleteNamespace(tx *tx, account, name string) error {
	switch {
	case name == defaultNamespace:
		return errCannotModifyDefault
	case !s.namespaceExists(tx, account, name):
		return errNamespaceNotFound
	case len(s.instancesIn(tx, account, name)) > 0:
		return errNamespaceNotEmpty
	}
	s.namespaces.delete(tx, account, name)
	return nil
}

func (n namespace) api() generated.Namespace {
	return generated.Namespace{Name: n.Name, Description: n.Description, CreatedAt: n.CreatedAt, PublicEndpointParams: n.PublicEndpointParams}
}

func namespaceEnvelope(n namespace) generated.NamespaceEnvelope {
	return generated.NamespaceEnvelope{Success: true, Errors: noErrors(), Messages: noMessages(), Result: n.api()}
}

// The namespace operations.

func (h *handlers) ListNamespaces(_ context.Context, req generated.ListNamespacesRequestObject) (generated.ListNamespacesResponseObject, error) {
	needle := searchNeedle(req.Params.Search)
	var page []namespace
	var info generated.ResultInfo
	h.store.view(func(tx *tx) {
		page, info = paginate(aiSearchPages, req.Params.Page, req.Params.PerPage,
			where(h.store.namespaces.rows(tx, req.AccountID), func(n namespace) bool { return n.Name != defaultNamespace && n.matches(needle) }))
	})
	result := make([]generated.Namespace, len(page))
	for i, n := range page {
		result[i] = n.api()
	}
	return generated.ListNamespaces200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages(), Result: result, ResultInfo: info}, nil
}

// matches is the list's search: the name or description contains needle
// (from searchNeedle).
func (n namespace) matches(needle string) bool {
	return containsFold(n.Name, needle) || n.Description != nil && containsFold(*n.Description, needle)
}

func (h *handlers) CreateNamespace(_ context.Context, req generated.CreateNamespaceRequestObject) (generated.CreateNamespaceResponseObject, error) {
	var n namespace
	err := error(errNoBody)
	if b := req.Body; b != nil {
		n = namespace{Account: req.AccountID, Name: b.Name, Description: b.Description, PublicEndpointParams: b.PublicEndpointParams, CreatedAt: h.timestamp()}
		err = h.store.update(func(tx *tx) (err error) {
			n, err = h.store.createNamespace(tx, n, h.cfg.maxNamespaces)
			return err
		})
	}
	return respond[generated.CreateNamespaceResponseObject](generated.CreateNamespace201JSONResponse(namespaceEnvelope(n)), err)
}

func (h *handlers) GetNamespace(_ context.Context, req generated.GetNamespaceRequestObject) (generated.GetNamespaceResponseObject, error) {
	var n namespace
	var ok bool
	now := h.timestamp()
	h.store.view(func(tx *tx) { n, ok = h.store.getNamespace(tx, req.AccountID, req.Name, now) })
	var err error
	if !ok {
		err = errNamespaceNotFound
	}
	return respond[generated.GetNamespaceResponseObject](generated.GetNamespace200JSONResponse(namespaceEnvelope(n)), err)
}

func (h *handlers) UpdateNamespace(_ context.Context, req generated.UpdateNamespaceRequestObject) (generated.UpdateNamespaceResponseObject, error) {
	var n namespace
	var body generated.NamespaceUpdate
	if req.Body != nil {
		body = *req.Body
	}
	now := h.timestamp()
	err := h.store.update(func(tx *tx) (err error) {
		n, err = h.store.updateNamespace(tx, req.AccountID, req.Name, body, now)
		return err
	})
	return respond[generated.UpdateNamespaceResponseObject](generated.UpdateNamespace200JSONResponse(namespaceEnvelope(n)), err)
}

func (h *handlers) DeleteNamespace(_ context.Context, req generated.DeleteNamespaceRequestObject) (generated.DeleteNamespaceResponseObject, error) {
	err := h.store.update(func(tx *tx) error { return h.store.deleteNamespace(tx, req.AccountID, req.Name) })
	return respond[generated.DeleteNamespaceResponseObject](generated.DeleteNamespace200JSONResponse{Success: true, Errors: noErrors(), Messages: noMessages()}, err)
}
