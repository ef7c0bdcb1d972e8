package record

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// The scenarios of the AI Search instance, job and namespace operations.
// Instances and their jobs have two route families, account-level
// (/instances/…, the namespace "default") and namespaced
// (/namespaces/{name}/instances/…): instanceAPI binds one family's
// operations of the generated client, so that each scenario is written
// once for both.

// instanceAPI is one route family's instance and job operations on a
// generated client, in one namespace. Each returns the answer's status;
// createJob also the new job's id.
type instanceAPI struct {
	family    string // "account-level" or "namespaced"
	namespace string // the namespace its routes address
	list      func(ctx context.Context, perPage *int, eds ...generated.RequestEditorFn) (int, error)
	create    func(ctx context.Context, body string, eds ...generated.RequestEditorFn) (int, error)
	get       func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error)
	update    func(ctx context.Context, id, body string, eds ...generated.RequestEditorFn) (int, error)
	delete    func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error)
	listJobs  func(ctx context.Context, id string, perPage *int, eds ...generated.RequestEditorFn) (int, error)
	createJob func(ctx context.Context, id, body string, eds ...generated.RequestEditorFn) (int, createdJob, error)
	getJob    func(ctx context.Context, id, jobID string, eds ...generated.RequestEditorFn) (int, error)
	cancelJob func(ctx context.Context, id, jobID, body string, eds ...generated.RequestEditorFn) (int, error)
	jobLogs   func(ctx context.Context, id, jobID string, perPage *int, eds ...generated.RequestEditorFn) (int, error)
}

const jsonType = "application/json"

// unknownJobID is a well-formed job id that no instance has.
const unknownJobID = "0f6b1a2e-4c39-4b7e-9d1f-3a5c7e9b2d40"

// createdJob is what a job create answered: the job's id and whether it
// has already ended (a server whose credential check fails ends it at once).
type createdJob struct {
	id    string
	ended bool
}

// jobCreated is the status and the new job of a job create's answer.
func jobCreated(code int, env *generated.JobEnvelope, err error) (int, createdJob, error) {
	if err != nil || env == nil {
		return code, createdJob{}, err
	}
	return code, createdJob{env.Result.ID, env.Result.EndedAt != nil}, nil
}

// accountInstances are the account-level instance and job operations on c.
func accountInstances(c *generated.ClientWithResponses, account string) instanceAPI {
	return instanceAPI{
		family: "account-level", namespace: "default",
		list: func(ctx context.Context, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListInstancesWithResponse(ctx, account, &generated.ListInstancesParams{PerPage: perPage}, eds...))
		},
		create: func(ctx context.Context, body string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.CreateInstanceWithBodyWithResponse(ctx, account, jsonType, strings.NewReader(body), eds...))
		},
		get: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetInstanceWithResponse(ctx, account, id, eds...))
		},
		update: func(ctx context.Context, id, body string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.UpdateInstanceWithBodyWithResponse(ctx, account, id, jsonType, strings.NewReader(body), eds...))
		},
		delete: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.DeleteInstanceWithResponse(ctx, account, id, eds...))
		},
		listJobs: func(ctx context.Context, id string, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListJobsWithResponse(ctx, account, id, &generated.ListJobsParams{PerPage: perPage}, eds...))
		},
		createJob: func(ctx context.Context, id, body string, eds ...generated.RequestEditorFn) (int, createdJob, error) {
			resp, err := c.CreateJobWithBodyWithResponse(ctx, account, id, jsonType, strings.NewReader(body), eds...)
			if err != nil {
				return 0, createdJob{}, err
			}
			return jobCreated(resp.StatusCode(), resp.JSON200, nil)
		},
		getJob: func(ctx context.Context, id, jobID string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetJobWithResponse(ctx, account, id, jobID, eds...))
		},
		cancelJob: func(ctx context.Context, id, jobID, body string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.CancelJobWithBodyWithResponse(ctx, account, id, jobID, jsonType, strings.NewReader(body), eds...))
		},
		jobLogs: func(ctx context.Context, id, jobID string, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListJobLogsWithResponse(ctx, account, id, jobID, &generated.ListJobLogsParams{PerPage: perPage}, eds...))
		},
	}
}

// namespacedInstances are the instance and job operations of namespace ns
// on c.
func namespacedInstances(c *generated.ClientWithResponses, account, ns string) instanceAPI {
	return instanceAPI{
		family: "namespaced", namespace: ns,
		list: func(ctx context.Context, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListNamespaceInstancesWithResponse(ctx, account, ns, &generated.ListNamespaceInstancesParams{PerPage: perPage}, eds...))
		},
		create: func(ctx context.Context, body string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.CreateNamespaceInstanceWithBodyWithResponse(ctx, account, ns, jsonType, strings.NewReader(body), eds...))
		},
		get: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetNamespaceInstanceWithResponse(ctx, account, ns, id, eds...))
		},
		update: func(ctx context.Context, id, body string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.UpdateNamespaceInstanceWithBodyWithResponse(ctx, account, ns, id, jsonType, strings.NewReader(body), eds...))
		},
		delete: func(ctx context.Context, id string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.DeleteNamespaceInstanceWithResponse(ctx, account, ns, id, eds...))
		},
		listJobs: func(ctx context.Context, id string, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListNamespaceJobsWithResponse(ctx, account, ns, id, &generated.ListNamespaceJobsParams{PerPage: perPage}, eds...))
		},
		createJob: func(ctx context.Context, id, body string, eds ...generated.RequestEditorFn) (int, createdJob, error) {
			resp, err := c.CreateNamespaceJobWithBodyWithResponse(ctx, account, ns, id, jsonType, strings.NewReader(body), eds...)
			if err != nil {
				return 0, createdJob{}, err
			}
			return jobCreated(resp.StatusCode(), resp.JSON200, nil)
		},
		getJob: func(ctx context.Context, id, jobID string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.GetNamespaceJobWithResponse(ctx, account, ns, id, jobID, eds...))
		},
		cancelJob: func(ctx context.Context, id, jobID, body string, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.CancelNamespaceJobWithBodyWithResponse(ctx, account, ns, id, jobID, jsonType, strings.NewReader(body), eds...))
		},
		jobLogs: func(ctx context.Context, id, jobID string, perPage *int, eds ...generated.RequestEditorFn) (int, error) {
			return status(c.ListNamespaceJobLogsWithResponse(ctx, account, ns, id, jobID, &generated.ListNamespaceJobLogsParams{PerPage: perPage}, eds...))
		},
	}
}

// The namespace operations and the move, by raw body.

func (r *session) createNamespace(ctx context.Context, c *generated.ClientWithResponses, body string, eds ...generated.RequestEditorFn) (int, error) {
	return status(c.CreateNamespaceWithBodyWithResponse(ctx, r.opts.AccountID, jsonType, strings.NewReader(body), eds...))
}

func (r *session) updateNamespace(ctx context.Context, c *generated.ClientWithResponses, name, body string, eds ...generated.RequestEditorFn) (int, error) {
	return status(c.UpdateNamespaceWithBodyWithResponse(ctx, r.opts.AccountID, name, jsonType, strings.NewReader(body), eds...))
}

func (r *session) move(ctx context.Context, c *generated.ClientWithResponses, from, id, body string, eds ...generated.RequestEditorFn) (int, error) {
	return status(c.MoveInstanceWithBodyWithResponse(ctx, r.opts.AccountID, from, id, jsonType, strings.NewReader(body), eds...))
}

// call is one request of a scenario, its editors bound, and the status it
// must get.
type call struct {
	name string
	want int
	do   func() (int, error)
}

// calls sends each call in order and stops at the first unexpected answer.
func calls(all ...call) error {
	for _, s := range all {
		got, err := s.do()
		if err := expectStatus(s.name, s.want, got, err); err != nil {
			return err
		}
	}
	return nil
}

// track records an instance (namespace, id) or a namespace (id "") the
// scenario made, for cleanup.
func (r *session) track(ns, id string) { r.createdAIS = append(r.createdAIS, [2]string{ns, id}) }

// instanceBody is a create body: an instance of typ ("" for built-in
// storage) with a source, naming tokenID when not "".
func instanceBody(id, typ, tokenID string) string {
	b := `{"id":"` + id + `"`
	switch typ {
	case "r2":
		b += `,"type":"r2","source":"` + id + `-bucket"`
	case "web-crawler":
		b += `,"type":"web-crawler","source":"https://` + id + `.example.com"`
	}
	if tokenID != "" {
		b += `,"token_id":"` + tokenID + `"`
	}
	return b + "}"
}

// createInstance creates an instance that must be answered 201, and
// tracks it.
func (r *session) createInstance(ctx context.Context, api instanceAPI, id, typ, tokenID string) error {
	got, err := api.create(ctx, instanceBody(id, typ, tokenID), r.opts.Credentials.Apply)
	if err := expectStatus(fmt.Sprintf("%s create %s", api.family, id), 201, got, err); err != nil {
		return err
	}
	r.track(api.namespace, id)
	return nil
}

// startJob starts a job that must be answered 200, and returns it.
func startJob(ctx context.Context, api instanceAPI, id string, auth generated.RequestEditorFn) (createdJob, error) {
	got, job, err := api.createJob(ctx, id, `{"description":"contract"}`, auth)
	if err := expectStatus(api.family+" create job", 200, got, err); err != nil {
		return createdJob{}, err
	}
	if job.id == "" {
		return createdJob{}, fmt.Errorf("%s create job: 200 without a job id", api.family)
	}
	return job, nil
}

// cancelStatus is what a cancel of job gets: 200 while it runs, 400 once
// it has ended. A job ends at once when the server finds its instance's
// service credential dead (a made-up cf_api_id, say): the cancel is then
// recorded as refused.
func (j createdJob) cancelStatus() int {
	if j.ended {
		return 400
	}
	return 200
}

// instances: the lifecycle of an instance in each route family, with its
// jobs, a namespace, a move, and the registration it uses refused a delete
// until the instances are gone.
func (r *session) instances(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth := r.opts.AccountID, r.opts.Credentials.Apply
	reg, err := r.create(ctx, c, r.prefix+"-instances")
	if err != nil {
		return err
	}
	ns, a, b := r.prefix+"-ns", r.prefix+"-a", r.prefix+"-b"
	acc, nsd := accountInstances(c, acct), namespacedInstances(c, acct, ns)
	if err := calls(
		call{"create namespace", 201, func() (int, error) {
			return r.createNamespace(ctx, c, `{"name":"`+ns+`","description":"contract"}`, auth)
		}},
		call{"list namespaces", 200, func() (int, error) { return status(c.ListNamespacesWithResponse(ctx, acct, nil, auth)) }},
		call{"get namespace", 200, func() (int, error) { return status(c.GetNamespaceWithResponse(ctx, acct, ns, auth)) }},
		call{"update namespace", 200, func() (int, error) { return r.updateNamespace(ctx, c, ns, `{"description":"contract, updated"}`, auth) }},
	); err != nil {
		return err
	}
	r.track(ns, "")
	if err := r.createInstance(ctx, acc, a, "r2", reg); err != nil {
		return err
	}
	if err := r.createInstance(ctx, nsd, b, "web-crawler", ""); err != nil {
		return err
	}
	for _, x := range []struct {
		api instanceAPI
		id  string
	}{{acc, a}, {nsd, b}} {
		api, id := x.api, x.id
		if err := calls(
			call{api.family + " list", 200, func() (int, error) { return api.list(ctx, nil, auth) }},
			call{api.family + " get", 200, func() (int, error) { return api.get(ctx, id, auth) }},
			call{api.family + " update", 200, func() (int, error) { return api.update(ctx, id, `{"paused":true,"max_num_results":5}`, auth) }},
		); err != nil {
			return err
		}
		job, err := startJob(ctx, api, id, auth)
		if err != nil {
			return err
		}
		if err := calls(
			call{api.family + " list jobs", 200, func() (int, error) { return api.listJobs(ctx, id, nil, auth) }},
			call{api.family + " get job", 200, func() (int, error) { return api.getJob(ctx, id, job.id, auth) }},
			call{api.family + " job logs", 200, func() (int, error) { return api.jobLogs(ctx, id, job.id, nil, auth) }},
			call{api.family + " cancel job", job.cancelStatus(), func() (int, error) { return api.cancelJob(ctx, id, job.id, `{"action":"cancel"}`, auth) }},
		); err != nil {
			return err
		}
	}
	return calls(
		call{"delete the registration the instances use", 409, func() (int, error) { return status(c.DeleteTokenWithResponse(ctx, acct, reg, auth)) }},
		call{"move to default", 200, func() (int, error) { return r.move(ctx, c, ns, b, `{"new_namespace":"default"}`, auth) }},
		call{"account-level delete", 200, func() (int, error) { return acc.delete(ctx, a, auth) }},
		call{"namespaced delete", 200, func() (int, error) { return namespacedInstances(c, acct, "default").delete(ctx, b, auth) }},
		call{"delete namespace", 200, func() (int, error) { return status(c.DeleteNamespaceWithResponse(ctx, acct, ns, auth)) }},
		call{"delete the registration, now unused", 200, func() (int, error) {
			got, err := status(c.DeleteTokenWithResponse(ctx, acct, reg, auth))
			if got == 200 {
				r.forget(reg)
			}
			return got, err
		}},
	)
}

// instancesNotFound: every operation on an instance, job or namespace that
// does not exist is a 404 (7002, 7021, 7063).
func (r *session) instancesNotFound(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth := r.opts.AccountID, r.opts.Credentials.Apply
	reg, err := r.create(ctx, c, r.prefix+"-not-found")
	if err != nil {
		return err
	}
	a, missing, noNS := r.prefix+"-a", r.prefix+"-missing", r.prefix+"-no-ns"
	acc, def := accountInstances(c, acct), namespacedInstances(c, acct, "default")
	if err := r.createInstance(ctx, acc, a, "r2", reg); err != nil {
		return err
	}
	var all []call
	for _, api := range []instanceAPI{acc, def} {
		all = append(all,
			call{api.family + " get", 404, func() (int, error) { return api.get(ctx, missing, auth) }},
			call{api.family + " update", 404, func() (int, error) { return api.update(ctx, missing, `{"paused":true}`, auth) }},
			call{api.family + " delete", 404, func() (int, error) { return api.delete(ctx, missing, auth) }},
			call{api.family + " list jobs", 404, func() (int, error) { return api.listJobs(ctx, missing, nil, auth) }},
			call{api.family + " create job", 404, func() (int, error) { got, _, err := api.createJob(ctx, missing, `{}`, auth); return got, err }},
			call{api.family + " get job", 404, func() (int, error) { return api.getJob(ctx, missing, unknownJobID, auth) }},
			call{api.family + " cancel job", 404, func() (int, error) { return api.cancelJob(ctx, missing, unknownJobID, `{"action":"cancel"}`, auth) }},
			call{api.family + " job logs", 404, func() (int, error) { return api.jobLogs(ctx, missing, unknownJobID, nil, auth) }},
			call{api.family + " get unknown job", 404, func() (int, error) { return api.getJob(ctx, a, unknownJobID, auth) }},
			call{api.family + " cancel unknown job", 404, func() (int, error) { return api.cancelJob(ctx, a, unknownJobID, `{"action":"cancel"}`, auth) }},
			call{api.family + " logs of unknown job", 404, func() (int, error) { return api.jobLogs(ctx, a, unknownJobID, nil, auth) }},
		)
	}
	gone := namespacedInstances(c, acct, noNS)
	all = append(all,
		call{"move unknown instance", 404, func() (int, error) { return r.move(ctx, c, "default", missing, `{"new_namespace":"default"}`, auth) }},
		call{"move to unknown namespace", 404, func() (int, error) { return r.move(ctx, c, "default", a, `{"new_namespace":"`+noNS+`"}`, auth) }},
		call{"get in unknown namespace", 404, func() (int, error) { return gone.get(ctx, a, auth) }},
		call{"job list in unknown namespace", 404, func() (int, error) { return gone.listJobs(ctx, a, nil, auth) }},
		call{"get namespace", 404, func() (int, error) { return status(c.GetNamespaceWithResponse(ctx, acct, noNS, auth)) }},
		call{"update namespace", 404, func() (int, error) { return r.updateNamespace(ctx, c, noNS, `{"description":"x"}`, auth) }},
		call{"delete namespace", 404, func() (int, error) { return status(c.DeleteNamespaceWithResponse(ctx, acct, noNS, auth)) }},
	)
	return calls(all...)
}

// instancesRefused: well-formed requests the rules refuse: a token_id of no
// registration (7012), an id taken (7022), a type without a source (7052),
// an unknown namespace on create (7063), a move to the same namespace
// (7067) or onto a taken id (7022), a second job within 30 s (429 7020), a cancel of an ended job (7046), namespace
// names taken (409 7064), instances_allowed naming strangers (7097), the
// default namespace changed (7065), a namespace deleted with instances in
// it (7066).
func (r *session) instancesRefused(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth := r.opts.AccountID, r.opts.Credentials.Apply
	reg, err := r.create(ctx, c, r.prefix+"-refused")
	if err != nil {
		return err
	}
	ns, a, b, builtin := r.prefix+"-ns", r.prefix+"-a", r.prefix+"-b", r.prefix+"-builtin"
	acc, nsd := accountInstances(c, acct), namespacedInstances(c, acct, ns)
	if err := calls(call{"create namespace", 201, func() (int, error) { return r.createNamespace(ctx, c, `{"name":"`+ns+`"}`, auth) }}); err != nil {
		return err
	}
	r.track(ns, "")
	for _, in := range []struct {
		api          instanceAPI
		id, typ, reg string
	}{{acc, a, "r2", reg}, {acc, builtin, "", ""}, {nsd, b, "web-crawler", reg}, {nsd, a, "", ""}} {
		if err := r.createInstance(ctx, in.api, in.id, in.typ, in.reg); err != nil {
			return err
		}
	}
	const noReg = "00000000-0000-4000-8000-000000000000"
	var all []call
	for _, x := range []struct {
		api instanceAPI
		id  string // a typed instance
	}{{acc, a}, {nsd, b}} {
		api, id := x.api, x.id
		all = append(all,
			call{api.family + " create, unknown token_id", 400, func() (int, error) { return api.create(ctx, instanceBody(r.prefix+"-x", "r2", noReg), auth) }},
			call{api.family + " create, id taken", 400, func() (int, error) { return api.create(ctx, instanceBody(id, "", ""), auth) }},
			call{api.family + " create, type without source", 400, func() (int, error) {
				return api.create(ctx, `{"id":"`+r.prefix+`-x","type":"r2"}`, auth)
			}},
			call{api.family + " update, unknown token_id", 400, func() (int, error) { return api.update(ctx, id, `{"token_id":"`+noReg+`"}`, auth) }},
			// A job on a built-in instance (400 at ["path","id"]) is left
			// out: it reads as the answer to a malformed id, so the
			// contract's mutation of that id could not be told from it.
		)
	}
	all = append(all,
		call{"create in unknown namespace", 400, func() (int, error) {
			return namespacedInstances(c, acct, r.prefix+"-no-ns").create(ctx, instanceBody(a, "", ""), auth)
		}},
		call{"move to its own namespace", 400, func() (int, error) { return r.move(ctx, c, ns, b, `{"new_namespace":"`+ns+`"}`, auth) }},
		call{"move onto a taken id", 400, func() (int, error) { return r.move(ctx, c, ns, a, `{"new_namespace":"default"}`, auth) }},
		call{"create namespace, name taken", 409, func() (int, error) { return r.createNamespace(ctx, c, `{"name":"`+ns+`"}`, auth) }},
		call{"create namespace default", 409, func() (int, error) { return r.createNamespace(ctx, c, `{"name":"default"}`, auth) }},
		call{"create namespace, unknown instances_allowed", 400, func() (int, error) {
			return r.createNamespace(ctx, c, `{"name":"`+r.prefix+`-x","public_endpoint_params":{"instances_allowed":["`+a+`"]}}`, auth)
		}},
		call{"describe default", 400, func() (int, error) { return r.updateNamespace(ctx, c, "default", `{"description":"x"}`, auth) }},
		call{"update namespace, unknown instances_allowed", 400, func() (int, error) {
			return r.updateNamespace(ctx, c, ns, `{"public_endpoint_params":{"instances_allowed":["`+builtin+`"]}}`, auth)
		}},
		call{"delete default", 400, func() (int, error) { return status(c.DeleteNamespaceWithResponse(ctx, acct, "default", auth)) }},
		call{"delete a namespace with instances", 400, func() (int, error) { return status(c.DeleteNamespaceWithResponse(ctx, acct, ns, auth)) }},
	)
	if err := calls(all...); err != nil {
		return err
	}
	for _, x := range []struct {
		api instanceAPI
		id  string
	}{{acc, a}, {nsd, b}} {
		api, id := x.api, x.id
		job, err := startJob(ctx, api, id, auth)
		if err != nil {
			return err
		}
		if err := calls(
			call{api.family + " second job within 30 s", 429, func() (int, error) { got, _, err := api.createJob(ctx, id, `{}`, auth); return got, err }},
			call{api.family + " cancel", job.cancelStatus(), func() (int, error) { return api.cancelJob(ctx, id, job.id, `{"action":"cancel"}`, auth) }},
			call{api.family + " cancel an ended job", 400, func() (int, error) { return api.cancelJob(ctx, id, job.id, `{"action":"cancel"}`, auth) }},
		); err != nil {
			return err
		}
	}
	return nil
}

// instancesInvalidInput: requests the spec rejects, each a 400 that names
// where (path).
func (r *session) instancesInvalidInput(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth := r.opts.AccountID, r.opts.Credentials.Apply
	id, longID := r.prefix+"-x", strings.Repeat("x", 65)
	zero, over100, over50, over500 := 0, 101, 51, 501
	var all []call
	for _, api := range []instanceAPI{accountInstances(c, acct), namespacedInstances(c, acct, "default")} {
		all = append(all,
			call{api.family + " list per_page=101", 400, func() (int, error) { return api.list(ctx, &over100, auth) }},
			call{api.family + " create without id", 400, func() (int, error) { return api.create(ctx, `{"type":"r2","source":"b"}`, auth) }},
			call{api.family + " create, id not lowercase", 400, func() (int, error) { return api.create(ctx, `{"id":"Not-Valid"}`, auth) }},
			call{api.family + " update chunk_overlap=31", 400, func() (int, error) { return api.update(ctx, id, `{"chunk_overlap":31}`, auth) }},
			call{api.family + " list jobs per_page=51", 400, func() (int, error) { return api.listJobs(ctx, id, &over50, auth) }},
			call{api.family + " create job, description too long", 400, func() (int, error) {
				got, _, err := api.createJob(ctx, id, `{"description":"`+strings.Repeat("d", 256)+`"}`, auth)
				return got, err
			}},
			call{api.family + " get job, instance id too long", 400, func() (int, error) { return api.getJob(ctx, longID, unknownJobID, auth) }},
			call{api.family + " cancel, unknown action", 400, func() (int, error) { return api.cancelJob(ctx, id, unknownJobID, `{"action":"pause"}`, auth) }},
			call{api.family + " job logs per_page=501", 400, func() (int, error) { return api.jobLogs(ctx, id, unknownJobID, &over500, auth) }},
		)
	}
	all = append(all,
		call{"move without new_namespace", 400, func() (int, error) { return r.move(ctx, c, "default", id, `{}`, auth) }},
		call{"list namespaces per_page=0", 400, func() (int, error) {
			return status(c.ListNamespacesWithResponse(ctx, acct, &generated.ListNamespacesParams{PerPage: &zero}, auth))
		}},
		call{"create namespace without name", 400, func() (int, error) { return r.createNamespace(ctx, c, `{"description":"x"}`, auth) }},
		call{"update namespace, description too long", 400, func() (int, error) {
			return r.updateNamespace(ctx, c, "default", `{"description":"`+strings.Repeat("d", 257)+`"}`, auth)
		}},
	)
	return calls(all...)
}

// instancesEach runs one request of every instance, job and namespace
// operation with editors eds, each expecting want.
func (r *session) instancesEach(ctx context.Context, c *generated.ClientWithResponses, want int, eds ...generated.RequestEditorFn) error {
	acct, id, job := r.opts.AccountID, r.prefix+"-x", unknownJobID
	var all []call
	for _, api := range []instanceAPI{accountInstances(c, acct), namespacedInstances(c, acct, "default")} {
		all = append(all,
			call{api.family + " list", want, func() (int, error) { return api.list(ctx, nil, eds...) }},
			call{api.family + " create", want, func() (int, error) { return api.create(ctx, instanceBody(id, "", ""), eds...) }},
			call{api.family + " get", want, func() (int, error) { return api.get(ctx, id, eds...) }},
			call{api.family + " update", want, func() (int, error) { return api.update(ctx, id, `{"paused":true}`, eds...) }},
			call{api.family + " delete", want, func() (int, error) { return api.delete(ctx, id, eds...) }},
			call{api.family + " list jobs", want, func() (int, error) { return api.listJobs(ctx, id, nil, eds...) }},
			call{api.family + " create job", want, func() (int, error) { got, _, err := api.createJob(ctx, id, `{}`, eds...); return got, err }},
			call{api.family + " get job", want, func() (int, error) { return api.getJob(ctx, id, job, eds...) }},
			call{api.family + " cancel job", want, func() (int, error) { return api.cancelJob(ctx, id, job, `{"action":"cancel"}`, eds...) }},
			call{api.family + " job logs", want, func() (int, error) { return api.jobLogs(ctx, id, job, nil, eds...) }},
		)
	}
	ns := r.prefix + "-ns"
	all = append(all,
		call{"move", want, func() (int, error) { return r.move(ctx, c, "default", id, `{"new_namespace":"`+ns+`"}`, eds...) }},
		call{"list namespaces", want, func() (int, error) { return status(c.ListNamespacesWithResponse(ctx, acct, nil, eds...)) }},
		call{"create namespace", want, func() (int, error) { return r.createNamespace(ctx, c, `{"name":"`+ns+`"}`, eds...) }},
		call{"get namespace", want, func() (int, error) { return status(c.GetNamespaceWithResponse(ctx, acct, ns, eds...)) }},
		call{"update namespace", want, func() (int, error) { return r.updateNamespace(ctx, c, ns, `{"description":"x"}`, eds...) }},
		call{"delete namespace", want, func() (int, error) { return status(c.DeleteNamespaceWithResponse(ctx, acct, ns, eds...)) }},
	)
	return calls(all...)
}

// instancesNoCredentials: every instance, job and namespace operation
// without credentials gets 400 (code 9106), and with a credential the
// server refuses 401 (code 10000); a malformed Authorization header is a
// 400 (code 6003).
func (r *session) instancesNoCredentials(ctx context.Context, c *generated.ClientWithResponses) error {
	if err := calls(call{"list with a malformed Authorization header", 400, func() (int, error) {
		return status(c.ListInstancesWithResponse(ctx, r.opts.AccountID, nil, malformedAuth))
	}}); err != nil {
		return err
	}
	if err := r.instancesEach(ctx, c, 400); err != nil {
		return err
	}
	return r.instancesEach(ctx, c, 401, Credentials{APIToken: "refused-" + randomHex(8)}.Apply)
}

// instancesForbidden: the service token works but may not manage AI Search:
// every instance, job and namespace operation gets 403 (code 9109).
func (r *session) instancesForbidden(ctx context.Context, c *generated.ClientWithResponses) error {
	return r.instancesEach(ctx, c, 403, asBearer(r.opts.ServiceTokenKey))
}

// instancesRateLimited: every instance, job and namespace operation
// answered 429 with Retry-After.
func (r *session) instancesRateLimited(ctx context.Context, c *generated.ClientWithResponses) error {
	return r.instancesEach(ctx, c, 429, r.opts.Credentials.Apply, r.opts.RateLimit)
}

// instancesLimits: one instance or namespace more than the account may
// have is a 403 (7013, 7062). Each is created until the server refuses it,
// at most its limit and one more times, as the account may hold some
// already.
func (r *session) instancesLimits(ctx context.Context, c *generated.ClientWithResponses) error {
	acct, auth, lim := r.opts.AccountID, r.opts.Credentials.Apply, r.opts.Limits
	untilRefused := func(what string, limit int, create func(i int) (int, error)) error {
		for i := 0; i <= limit; i++ {
			got, err := create(i)
			switch {
			case err != nil:
				return fmt.Errorf("%s %d: %w", what, i, err)
			case got == 403:
				return nil
			case got != 201:
				return fmt.Errorf("%s %d: status %d, want 201 or 403", what, i, got)
			}
		}
		return fmt.Errorf("%s: %d created, none refused", what, limit+1)
	}
	err := untilRefused("namespace", lim.Namespaces, func(i int) (int, error) {
		name := fmt.Sprintf("%s-ns-%d", r.prefix, i)
		got, err := r.createNamespace(ctx, c, `{"name":"`+name+`"}`, auth)
		if got == 201 {
			r.track(name, "")
		}
		return got, err
	})
	if err != nil {
		return err
	}
	acc := accountInstances(c, acct)
	err = untilRefused("instance", lim.Instances, func(i int) (int, error) {
		id := fmt.Sprintf("%s-%d", r.prefix, i)
		got, err := acc.create(ctx, instanceBody(id, "", ""), auth)
		if got == 201 {
			r.track("default", id)
		}
		return got, err
	})
	if err != nil {
		return err
	}
	return calls(call{"namespaced: one instance too many", 403, func() (int, error) {
		return namespacedInstances(c, acct, "default").create(ctx, instanceBody(r.prefix+"-x", "", ""), auth)
	}})
}

// cleanupAIS deletes the instances, then the namespaces, a scenario made
// (without recording).
func (r *session) cleanupAIS(ctx context.Context, c *generated.ClientWithResponses) {
	auth := r.opts.Credentials.Apply
	for _, t := range r.createdAIS {
		if t[1] != "" { // where it was made, or in default, where a move may have taken it
			_, _ = namespacedInstances(c, r.opts.AccountID, t[0]).delete(ctx, t[1], auth)
			_, _ = namespacedInstances(c, r.opts.AccountID, "default").delete(ctx, t[1], auth)
		}
	}
	for _, t := range r.createdAIS {
		if t[1] == "" {
			_, _ = c.DeleteNamespaceWithResponse(ctx, r.opts.AccountID, t[0], auth)
		}
	}
	r.createdAIS = nil
}
