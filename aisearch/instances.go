package aisearch

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// DefaultNamespace is the namespace every account has, and the one
// c.Instances("") addresses.
const DefaultNamespace = "default"

// Instances calls the AI Search instance and job operations of one
// namespace, through the namespaced routes
// (/ai-search/namespaces/{name}/instances…): the ones wrangler uses, and
// the only family with a route for every operation (the account-level
// routes address the namespace "default" alone). Get one with
// c.Instances(namespace).
//
// The client covers what the service-token workflow needs: finding the
// instances that use a registration (List, All, Get), creating and deleting
// one (Create, Delete), and running and reading their indexing jobs
// (StartJob, Job, ListJobs, JobLogs, WaitJob). Updating, moving,
// cancelling a job and the namespace operations but the list are left to
// the generated client (package generated).
type Instances struct {
	c         *Client
	namespace string
}

// Instances returns the instances of namespace ("" is DefaultNamespace).
func (c *Client) Instances(namespace string) *Instances {
	if namespace == "" {
		namespace = DefaultNamespace
	}
	return &Instances{c: c, namespace: namespace}
}

// Namespace is the namespace in calls.
func (in *Instances) Namespace() string { return in.namespace }

// Instance is an AI Search instance, with what the service-token workflow
// reads of it. The JSON tags match the API's field names.
type Instance struct {
	// ID is unique within the namespace.
	ID        string `json:"id"`
	Namespace string `json:"namespace"`
	// Type is where its data comes from: "r2", "web-crawler", or "" for
	// built-in storage, which has no indexing jobs.
	Type   string `json:"type,omitempty"`
	Source string `json:"source,omitempty"`
	// TokenID is the registration (Registration.ID) whose service token its
	// jobs use; "" for none.
	TokenID string `json:"token_id,omitempty"`
	// Status is the API's, any string: a new instance is "waiting".
	Status       string    `json:"status"`
	Paused       bool      `json:"paused"`
	CreatedAt    time.Time `json:"created_at"`
	ModifiedAt   time.Time `json:"modified_at"`
	LastActivity time.Time `json:"last_activity,omitzero"`
}

// HasJobs reports whether the instance indexes (it has a Type): instances
// with built-in storage have no jobs.
func (i Instance) HasJobs() bool { return i.Type != "" }

// Name is the instance as people write it: its ID in DefaultNamespace,
// "namespace/id" elsewhere.
func (i Instance) Name() string {
	if i.Namespace == "" || i.Namespace == DefaultNamespace {
		return i.ID
	}
	return i.Namespace + "/" + i.ID
}

// InstanceParams is the body of Create; ID is required. The API's other
// settings keep their defaults (use the generated client to set them).
type InstanceParams struct {
	ID string
	// Type is "r2" or "web-crawler" (Source is then required), or "" for
	// built-in storage.
	Type   string
	Source string
	// TokenID is the registration its jobs use. Left empty, AI Search
	// picks the account's (wrangler never sends one).
	TokenID string
}

// InstanceListOptions selects one page of List; zero fields are left to
// the API's defaults (page 1, 20 per page, newest first).
type InstanceListOptions struct {
	Page    int // 1-indexed
	PerPage int // at most 100
	// Search keeps instances whose id contains it (case-insensitive).
	Search string
}

// InstancePage is one page of List.
type InstancePage struct {
	Instances []Instance // never nil
	Info      ResultInfo
}

// List returns one page of the namespace's instances. See All for every
// page.
func (in *Instances) List(ctx context.Context, opts InstanceListOptions) (*InstancePage, error) {
	c := in.c
	if opts.Page < 0 || opts.PerPage < 0 {
		return nil, fmt.Errorf("aisearch: InstanceListOptions: negative Page (%d) or PerPage (%d)", opts.Page, opts.PerPage)
	}
	if err := checkPathSegment("namespace", in.namespace); err != nil {
		return nil, err
	}
	params := &generated.ListNamespaceInstancesParams{}
	if opts.Page > 0 {
		params.Page = &opts.Page
	}
	if opts.PerPage > 0 {
		params.PerPage = &opts.PerPage
	}
	if opts.Search != "" {
		params.Search = &opts.Search
	}
	var env generated.InstanceListEnvelope
	o, err := c.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.ListNamespaceInstances(ctx, c.accountID, in.namespace, params, rec)
	})
	if err != nil {
		return nil, err
	}
	page := &InstancePage{Instances: make([]Instance, 0, len(env.Result)), Info: resultInfo(env.ResultInfo)}
	for i, it := range env.Result {
		if it.ID == "" {
			return nil, o.errorf("%w: result[%d] has no id", ErrMalformedResponse, i)
		}
		page.Instances = append(page.Instances, instanceFromListItem(it, in.namespace))
	}
	return page, nil
}

// All iterates over every instance of the namespace that opts.Search
// selects (Page and PerPage default to 1 and 100), as Registrations.All
// does: pages fetched as the loop needs them, stopping on result_info, the
// error yielded once.
func (in *Instances) All(ctx context.Context, opts InstanceListOptions) iter.Seq2[Instance, error] {
	if opts.PerPage == 0 {
		opts.PerPage = allPerPage
	}
	return walk(opts.Page, opts.PerPage, "instance list", func(page int) ([]Instance, ResultInfo, error) {
		o := opts
		o.Page = page
		p, err := in.List(ctx, o)
		if err != nil {
			return nil, ResultInfo{}, err
		}
		return p.Instances, p.Info, nil
	})
}

// Get returns the instance with this id; errors.Is(err, ErrNotFound) when
// the namespace has none (or the namespace does not exist).
func (in *Instances) Get(ctx context.Context, id string) (Instance, error) {
	c := in.c
	if err := in.check("instance ID", id); err != nil {
		return Instance{}, err
	}
	return in.instance(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.GetNamespaceInstance(ctx, c.accountID, in.namespace, id, rec)
	})
}

// Create makes an instance. Like every create it is not retried once the
// request may have reached the server. A TokenID that names no
// registration of the account is refused: errors.Is(err,
// ErrServiceTokenRejected) (code 7012).
func (in *Instances) Create(ctx context.Context, p InstanceParams) (Instance, error) {
	c := in.c
	if err := in.check("InstanceParams.ID", p.ID); err != nil {
		return Instance{}, err
	}
	body := generated.CreateNamespaceInstanceJSONRequestBody{ID: p.ID}
	if p.Type != "" {
		t := generated.InstanceType(p.Type)
		body.Type = &t
	}
	if p.Source != "" {
		body.Source = &p.Source
	}
	if p.TokenID != "" {
		body.TokenID = &p.TokenID
	}
	return in.instance(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.CreateNamespaceInstance(ctx, c.accountID, in.namespace, body, rec)
	})
}

// Delete removes the instance and its jobs, and returns it as it was. Its
// registration can then be deleted, if no other instance uses it.
func (in *Instances) Delete(ctx context.Context, id string) (Instance, error) {
	c := in.c
	if err := in.check("instance ID", id); err != nil {
		return Instance{}, err
	}
	return in.instance(ctx, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.DeleteNamespaceInstance(ctx, c.accountID, in.namespace, id, rec)
	})
}

// check refuses a path segment (the namespace, then what) the API could
// not take.
func (in *Instances) check(what, v string) error {
	if err := checkPathSegment("namespace", in.namespace); err != nil {
		return err
	}
	return checkPathSegment(what, v)
}

// instance runs an operation whose result is one instance.
func (in *Instances) instance(ctx context.Context, send call) (Instance, error) {
	var env generated.InstanceEnvelope
	o, err := in.c.do(ctx, &env, send)
	if err != nil {
		return Instance{}, err
	}
	if env.Result.ID == "" {
		return Instance{}, o.errorf("%w: result has no id", ErrMalformedResponse)
	}
	return instanceFromAPI(env.Result, in.namespace), nil
}

func instanceFromAPI(r generated.Instance, namespace string) Instance {
	return Instance{
		ID:           r.ID,
		Namespace:    deref(r.Namespace, namespace),
		Type:         string(deref(r.Type, "")),
		Source:       deref(r.Source, ""),
		TokenID:      deref(r.TokenID, ""),
		Status:       deref(r.Status, ""),
		Paused:       deref(r.Paused, false),
		CreatedAt:    r.CreatedAt,
		ModifiedAt:   r.ModifiedAt,
		LastActivity: deref(r.LastActivity, time.Time{}),
	}
}

func instanceFromListItem(r generated.InstanceListItem, namespace string) Instance {
	if r.Namespace != "" {
		namespace = r.Namespace
	}
	return Instance{
		ID:           r.ID,
		Namespace:    namespace,
		Type:         string(deref(r.Type, "")),
		Source:       deref(r.Source, ""),
		TokenID:      deref(r.TokenID, ""),
		Status:       r.Status,
		Paused:       r.Paused,
		CreatedAt:    r.CreatedAt,
		ModifiedAt:   r.ModifiedAt,
		LastActivity: deref(r.LastActivity, time.Time{}),
	}
}

// Namespaces calls the AI Search namespace list (c.Namespaces); the other
// namespace operations are left to the generated client.
type Namespaces struct{ c *Client }

// Namespace is an AI Search namespace: a group of instances.
type Namespace struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// NamespaceListOptions selects one page of Namespaces.List; zero fields are
// the API's defaults (page 1, 20 per page).
type NamespaceListOptions struct {
	Page    int
	PerPage int // at most 100
	// Search keeps namespaces whose name or description contains it.
	Search string
}

// NamespacePage is one page of Namespaces.List.
type NamespacePage struct {
	Namespaces []Namespace // never nil
	Info       ResultInfo
}

// List returns one page of the account's namespaces. The API may leave
// DefaultNamespace out (wrangler's code says it does).
func (n *Namespaces) List(ctx context.Context, opts NamespaceListOptions) (*NamespacePage, error) {
	c := n.c
	if opts.Page < 0 || opts.PerPage < 0 {
		return nil, fmt.Errorf("aisearch: NamespaceListOptions: negative Page (%d) or PerPage (%d)", opts.Page, opts.PerPage)
	}
	params := &generated.ListNamespacesParams{}
	if opts.Page > 0 {
		params.Page = &opts.Page
	}
	if opts.PerPage > 0 {
		params.PerPage = &opts.PerPage
	}
	if opts.Search != "" {
		params.Search = &opts.Search
	}
	var env generated.NamespaceListEnvelope
	o, err := c.do(ctx, &env, func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error) {
		return c.gen.ListNamespaces(ctx, c.accountID, params, rec)
	})
	if err != nil {
		return nil, err
	}
	page := &NamespacePage{Namespaces: make([]Namespace, 0, len(env.Result)), Info: resultInfo(env.ResultInfo)}
	for i, ns := range env.Result {
		if ns.Name == "" {
			return nil, o.errorf("%w: result[%d] has no name", ErrMalformedResponse, i)
		}
		page.Namespaces = append(page.Namespaces, Namespace{Name: ns.Name, Description: deref(ns.Description, ""), CreatedAt: ns.CreatedAt})
	}
	return page, nil
}

// All iterates over every namespace of the list, as Registrations.All does.
func (n *Namespaces) All(ctx context.Context, opts NamespaceListOptions) iter.Seq2[Namespace, error] {
	if opts.PerPage == 0 {
		opts.PerPage = allPerPage
	}
	return walk(opts.Page, opts.PerPage, "namespace list", func(page int) ([]Namespace, ResultInfo, error) {
		o := opts
		o.Page = page
		p, err := n.List(ctx, o)
		if err != nil {
			return nil, ResultInfo{}, err
		}
		return p.Namespaces, p.Info, nil
	})
}

// AllInstances iterates over every instance of the account: those of
// DefaultNamespace, then of each other namespace the namespace list names
// (DefaultNamespace once, whether the list shows it or not). It walks the
// namespaced routes only, which every source documents the same way, rather
// than trust the account-level list to span the namespaces. On an error it
// yields the error once and stops.
func (c *Client) AllInstances(ctx context.Context) iter.Seq2[Instance, error] {
	return func(yield func(Instance, error) bool) {
		each := func(ns string) bool {
			for it, err := range c.Instances(ns).All(ctx, InstanceListOptions{}) {
				if !yield(it, err) || err != nil {
					return false
				}
			}
			return true
		}
		if !each(DefaultNamespace) {
			return
		}
		for ns, err := range c.Namespaces.All(ctx, NamespaceListOptions{}) {
			if err != nil {
				yield(Instance{}, err)
				return
			}
			if ns.Name != DefaultNamespace && !each(ns.Name) {
				return
			}
		}
	}
}
