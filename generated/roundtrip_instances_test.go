package generated_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The AI Search instance, job and namespace operations through the same
// round trip: every operation, each documented status, decodes into the
// typed field for that status and only it, with the body it was sent.

const (
	instanceID     = "my-ai-search"
	jobID          = "1f1e5c2a-6d1b-4a4e-9f0e-3c2b1a0d9e8f"
	ns             = "production"
	registrationID = "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e"
)

var instanceTime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

var exampleInstance = generated.Instance{
	ID: instanceID, Type: ptr(generated.InstanceTypeR2), Source: ptr("my-bucket"), TokenID: ptr(registrationID),
	Status: ptr("waiting"), CacheTTL: ptr(172800), SyncInterval: ptr(21600), Namespace: ptr("default"),
	IndexMethod: &generated.IndexMethod{Vector: true}, CreatedAt: instanceTime, ModifiedAt: instanceTime,
}

var exampleListItem = generated.InstanceListItem{
	ID: instanceID, Type: ptr(generated.InstanceTypeR2), Source: ptr("my-bucket"), TokenID: ptr(registrationID),
	Status: "waiting", CacheTTL: 172800, SyncInterval: 21600, Namespace: "default", FusionMethod: generated.FusionMethodRRF,
	IndexMethod: generated.IndexMethod{Vector: true}, Enable: true, Chunk: true, EngineVersion: 3,
	CreatedAt: instanceTime, ModifiedAt: instanceTime,
}

var exampleJob = generated.Job{ID: jobID, Source: generated.JobSourceUser, Description: ptr("nightly"), EndReason: ptr("new_job_has_started")}

func exampleInstanceEnvelope() generated.InstanceEnvelope {
	return generated.InstanceEnvelope{Success: true, Result: exampleInstance}
}

func exampleInstanceList() generated.InstanceListEnvelope {
	return generated.InstanceListEnvelope{Success: true, Result: []generated.InstanceListItem{exampleListItem},
		ResultInfo: generated.ResultInfo{Page: 1, PerPage: 20, Count: 1, TotalCount: 1}}
}

func exampleJobEnvelope() generated.JobEnvelope {
	return generated.JobEnvelope{Success: true, Result: exampleJob}
}

func exampleJobList() generated.JobListEnvelope {
	return generated.JobListEnvelope{Success: true, Result: []generated.Job{exampleJob},
		ResultInfo: generated.ResultInfo{Page: 1, PerPage: 50, Count: 1, TotalCount: 1}}
}

func exampleJobLogs() generated.JobLogListEnvelope {
	return generated.JobLogListEnvelope{Success: true, Result: []generated.JobLog{{ID: 1, Message: "Indexing started", MessageType: 1, CreatedAt: 1767323045.25}},
		ResultInfo: generated.ResultInfo{Page: 1, PerPage: 500, Count: 1, TotalCount: 1}}
}

var exampleNamespace = generated.Namespace{Name: ns, Description: ptr("Production environment"), CreatedAt: instanceTime}

func exampleNamespaceEnvelope() generated.NamespaceEnvelope {
	return generated.NamespaceEnvelope{Success: true, Result: exampleNamespace}
}

func exampleNamespaceList() generated.NamespaceListEnvelope {
	return generated.NamespaceListEnvelope{Success: true, Result: []generated.Namespace{exampleNamespace},
		ResultInfo: generated.ResultInfo{Page: 1, PerPage: 20, Count: 1, TotalCount: 1}}
}

// show renders a pointer's value, or <nil>, so that a lost field reads as
// a wrong string instead of a panic.
func show[T any](p *T) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

func instanceOf(i generated.Instance) string {
	vector := "<nil>"
	if i.IndexMethod != nil {
		vector = fmt.Sprint(i.IndexMethod.Vector)
	}
	return fmt.Sprintf("%s type=%s source=%s token=%s status=%s ttl=%s sync=%s ns=%s vector=%s created=%s",
		i.ID, show(i.Type), show(i.Source), show(i.TokenID), show(i.Status), show(i.CacheTTL), show(i.SyncInterval),
		show(i.Namespace), vector, i.CreatedAt.Format(time.RFC3339))
}

func listedInstance(e *generated.InstanceListEnvelope) string {
	if len(e.Result) != 1 {
		return fmt.Sprintf("%d instances", len(e.Result))
	}
	i := e.Result[0]
	return fmt.Sprintf("%s type=%s token=%s status=%s ttl=%d sync=%d ns=%s fusion=%s vector=%v source_params=%s count=%d",
		i.ID, show(i.Type), show(i.TokenID), i.Status, i.CacheTTL, i.SyncInterval, i.Namespace, i.FusionMethod,
		i.IndexMethod.Vector, show(i.SourceParams), e.ResultInfo.TotalCount)
}

func jobOf(j generated.Job) string {
	return fmt.Sprintf("%s %s %s %s", j.ID, j.Source, show(j.Description), show(j.EndReason))
}

func logOf(l generated.JobLog) string {
	return fmt.Sprintf("%d %s %d %.2f", l.ID, l.Message, l.MessageType, l.CreatedAt)
}

func namespaceOf(n generated.Namespace) string {
	return fmt.Sprintf("%s %s %s", n.Name, show(n.Description), n.CreatedAt.Format(time.RFC3339))
}

var (
	wantInstance  = instanceID + " type=r2 source=my-bucket token=" + registrationID + " status=waiting ttl=172800 sync=21600 ns=default vector=true created=2026-01-02T03:04:05Z"
	wantListed    = instanceID + " type=r2 token=" + registrationID + " status=waiting ttl=172800 sync=21600 ns=default fusion=rrf vector=true source_params=<nil> count=1"
	wantJob       = jobID + " user nightly new_job_has_started"
	wantLog       = "1 Indexing started 1 1767323045.25"
	wantNamespace = ns + " Production environment 2026-01-02T03:04:05Z"
)

func firstCode(errs generated.Errors) int {
	if len(errs) == 0 {
		return 0
	}
	return errs[0].Code
}

func (s *server) ListInstances(context.Context, generated.ListInstancesRequestObject) (generated.ListInstancesResponseObject, error) {
	return map[int]generated.ListInstancesResponseObject{
		200: generated.ListInstances200JSONResponse(exampleInstanceList()),
		400: generated.ListInstances400JSONResponse(validationEnv()),
		403: generated.ListInstances403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		429: generated.ListInstances429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) ListNamespaceInstances(context.Context, generated.ListNamespaceInstancesRequestObject) (generated.ListNamespaceInstancesResponseObject, error) {
	return map[int]generated.ListNamespaceInstancesResponseObject{
		200: generated.ListNamespaceInstances200JSONResponse(exampleInstanceList()),
		400: generated.ListNamespaceInstances400JSONResponse(validationEnv()),
		403: generated.ListNamespaceInstances403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		429: generated.ListNamespaceInstances429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) CreateInstance(context.Context, generated.CreateInstanceRequestObject) (generated.CreateInstanceResponseObject, error) {
	return map[int]generated.CreateInstanceResponseObject{
		201: generated.CreateInstance201JSONResponse(exampleInstanceEnvelope()),
		400: generated.CreateInstance400JSONResponse(errEnv(7012, "ai_search_instance_invalid_token")),
		403: generated.CreateInstance403JSONResponse(errEnv(7013, "max_instances_reached")),
		429: generated.CreateInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) CreateNamespaceInstance(context.Context, generated.CreateNamespaceInstanceRequestObject) (generated.CreateNamespaceInstanceResponseObject, error) {
	return map[int]generated.CreateNamespaceInstanceResponseObject{
		201: generated.CreateNamespaceInstance201JSONResponse(exampleInstanceEnvelope()),
		400: generated.CreateNamespaceInstance400JSONResponse(errEnv(7012, "ai_search_instance_invalid_token")),
		403: generated.CreateNamespaceInstance403JSONResponse(errEnv(7013, "max_instances_reached")),
		429: generated.CreateNamespaceInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) GetInstance(context.Context, generated.GetInstanceRequestObject) (generated.GetInstanceResponseObject, error) {
	return map[int]generated.GetInstanceResponseObject{
		200: generated.GetInstance200JSONResponse(exampleInstanceEnvelope()),
		403: generated.GetInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.GetInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.GetInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) GetNamespaceInstance(context.Context, generated.GetNamespaceInstanceRequestObject) (generated.GetNamespaceInstanceResponseObject, error) {
	return map[int]generated.GetNamespaceInstanceResponseObject{
		200: generated.GetNamespaceInstance200JSONResponse(exampleInstanceEnvelope()),
		403: generated.GetNamespaceInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.GetNamespaceInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.GetNamespaceInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) UpdateInstance(context.Context, generated.UpdateInstanceRequestObject) (generated.UpdateInstanceResponseObject, error) {
	return map[int]generated.UpdateInstanceResponseObject{
		200: generated.UpdateInstance200JSONResponse(exampleInstanceEnvelope()),
		400: generated.UpdateInstance400JSONResponse(errEnv(7012, "ai_search_instance_invalid_token")),
		403: generated.UpdateInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.UpdateInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.UpdateInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) UpdateNamespaceInstance(context.Context, generated.UpdateNamespaceInstanceRequestObject) (generated.UpdateNamespaceInstanceResponseObject, error) {
	return map[int]generated.UpdateNamespaceInstanceResponseObject{
		200: generated.UpdateNamespaceInstance200JSONResponse(exampleInstanceEnvelope()),
		400: generated.UpdateNamespaceInstance400JSONResponse(errEnv(7012, "ai_search_instance_invalid_token")),
		403: generated.UpdateNamespaceInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.UpdateNamespaceInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.UpdateNamespaceInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) DeleteInstance(context.Context, generated.DeleteInstanceRequestObject) (generated.DeleteInstanceResponseObject, error) {
	return map[int]generated.DeleteInstanceResponseObject{
		200: generated.DeleteInstance200JSONResponse(exampleInstanceEnvelope()),
		403: generated.DeleteInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.DeleteInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.DeleteInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) DeleteNamespaceInstance(context.Context, generated.DeleteNamespaceInstanceRequestObject) (generated.DeleteNamespaceInstanceResponseObject, error) {
	return map[int]generated.DeleteNamespaceInstanceResponseObject{
		200: generated.DeleteNamespaceInstance200JSONResponse(exampleInstanceEnvelope()),
		403: generated.DeleteNamespaceInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.DeleteNamespaceInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.DeleteNamespaceInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) ListJobs(context.Context, generated.ListJobsRequestObject) (generated.ListJobsResponseObject, error) {
	return map[int]generated.ListJobsResponseObject{
		200: generated.ListJobs200JSONResponse(exampleJobList()),
		400: generated.ListJobs400JSONResponse(validationEnv()),
		403: generated.ListJobs403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.ListJobs404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.ListJobs429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.ListJobs503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) ListNamespaceJobs(context.Context, generated.ListNamespaceJobsRequestObject) (generated.ListNamespaceJobsResponseObject, error) {
	return map[int]generated.ListNamespaceJobsResponseObject{
		200: generated.ListNamespaceJobs200JSONResponse(exampleJobList()),
		400: generated.ListNamespaceJobs400JSONResponse(validationEnv()),
		403: generated.ListNamespaceJobs403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.ListNamespaceJobs404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.ListNamespaceJobs429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.ListNamespaceJobs503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) CreateJob(context.Context, generated.CreateJobRequestObject) (generated.CreateJobResponseObject, error) {
	return map[int]generated.CreateJobResponseObject{
		200: generated.CreateJob200JSONResponse(exampleJobEnvelope()),
		400: generated.CreateJob400JSONResponse(validationEnv()),
		403: generated.CreateJob403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.CreateJob404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.CreateJob429JSONResponse(errEnv(7020, "sync_in_cooldown")),
		503: generated.CreateJob503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) CreateNamespaceJob(context.Context, generated.CreateNamespaceJobRequestObject) (generated.CreateNamespaceJobResponseObject, error) {
	return map[int]generated.CreateNamespaceJobResponseObject{
		200: generated.CreateNamespaceJob200JSONResponse(exampleJobEnvelope()),
		400: generated.CreateNamespaceJob400JSONResponse(validationEnv()),
		403: generated.CreateNamespaceJob403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.CreateNamespaceJob404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.CreateNamespaceJob429JSONResponse(errEnv(7020, "sync_in_cooldown")),
		503: generated.CreateNamespaceJob503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) GetJob(context.Context, generated.GetJobRequestObject) (generated.GetJobResponseObject, error) {
	return map[int]generated.GetJobResponseObject{
		200: generated.GetJob200JSONResponse(exampleJobEnvelope()),
		400: generated.GetJob400JSONResponse(validationEnv()),
		403: generated.GetJob403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.GetJob404JSONResponse(errEnv(7021, "job_not_found")),
		429: generated.GetJob429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.GetJob503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) GetNamespaceJob(context.Context, generated.GetNamespaceJobRequestObject) (generated.GetNamespaceJobResponseObject, error) {
	return map[int]generated.GetNamespaceJobResponseObject{
		200: generated.GetNamespaceJob200JSONResponse(exampleJobEnvelope()),
		400: generated.GetNamespaceJob400JSONResponse(validationEnv()),
		403: generated.GetNamespaceJob403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.GetNamespaceJob404JSONResponse(errEnv(7021, "job_not_found")),
		429: generated.GetNamespaceJob429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.GetNamespaceJob503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) CancelJob(context.Context, generated.CancelJobRequestObject) (generated.CancelJobResponseObject, error) {
	return map[int]generated.CancelJobResponseObject{
		200: generated.CancelJob200JSONResponse(exampleJobEnvelope()),
		400: generated.CancelJob400JSONResponse(errEnv(7046, "job_cannot_be_cancelled")),
		403: generated.CancelJob403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.CancelJob404JSONResponse(errEnv(7021, "job_not_found")),
		429: generated.CancelJob429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.CancelJob503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) CancelNamespaceJob(context.Context, generated.CancelNamespaceJobRequestObject) (generated.CancelNamespaceJobResponseObject, error) {
	return map[int]generated.CancelNamespaceJobResponseObject{
		200: generated.CancelNamespaceJob200JSONResponse(exampleJobEnvelope()),
		400: generated.CancelNamespaceJob400JSONResponse(errEnv(7046, "job_cannot_be_cancelled")),
		403: generated.CancelNamespaceJob403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.CancelNamespaceJob404JSONResponse(errEnv(7021, "job_not_found")),
		429: generated.CancelNamespaceJob429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.CancelNamespaceJob503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) ListJobLogs(context.Context, generated.ListJobLogsRequestObject) (generated.ListJobLogsResponseObject, error) {
	return map[int]generated.ListJobLogsResponseObject{
		200: generated.ListJobLogs200JSONResponse(exampleJobLogs()),
		400: generated.ListJobLogs400JSONResponse(validationEnv()),
		403: generated.ListJobLogs403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.ListJobLogs404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.ListJobLogs429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.ListJobLogs503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) ListNamespaceJobLogs(context.Context, generated.ListNamespaceJobLogsRequestObject) (generated.ListNamespaceJobLogsResponseObject, error) {
	return map[int]generated.ListNamespaceJobLogsResponseObject{
		200: generated.ListNamespaceJobLogs200JSONResponse(exampleJobLogs()),
		400: generated.ListNamespaceJobLogs400JSONResponse(validationEnv()),
		403: generated.ListNamespaceJobLogs403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.ListNamespaceJobLogs404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.ListNamespaceJobLogs429JSONResponse{RateLimitedJSONResponse: rateLimited()},
		503: generated.ListNamespaceJobLogs503JSONResponse(errEnv(7017, "unable_to_connect_to_ai_search")),
	}[s.status], nil
}

func (s *server) MoveInstance(context.Context, generated.MoveInstanceRequestObject) (generated.MoveInstanceResponseObject, error) {
	return map[int]generated.MoveInstanceResponseObject{
		200: generated.MoveInstance200JSONResponse(generated.DeleteEnvelope{Success: true}),
		400: generated.MoveInstance400JSONResponse(errEnv(7022, "ai_search_with_this_name_already_exist")),
		403: generated.MoveInstance403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.MoveInstance404JSONResponse(errEnv(7002, "ai_search_not_found")),
		429: generated.MoveInstance429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) ListNamespaces(context.Context, generated.ListNamespacesRequestObject) (generated.ListNamespacesResponseObject, error) {
	return map[int]generated.ListNamespacesResponseObject{
		200: generated.ListNamespaces200JSONResponse(exampleNamespaceList()),
		400: generated.ListNamespaces400JSONResponse(validationEnv()),
		403: generated.ListNamespaces403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		429: generated.ListNamespaces429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) CreateNamespace(context.Context, generated.CreateNamespaceRequestObject) (generated.CreateNamespaceResponseObject, error) {
	return map[int]generated.CreateNamespaceResponseObject{
		201: generated.CreateNamespace201JSONResponse(exampleNamespaceEnvelope()),
		400: generated.CreateNamespace400JSONResponse(errEnv(7097, "instances_allowed_contains_unknown_instances")),
		403: generated.CreateNamespace403JSONResponse(errEnv(7062, "max_namespaces_reached")),
		409: generated.CreateNamespace409JSONResponse(errEnv(7064, "namespace_already_exists")),
		429: generated.CreateNamespace429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) GetNamespace(context.Context, generated.GetNamespaceRequestObject) (generated.GetNamespaceResponseObject, error) {
	return map[int]generated.GetNamespaceResponseObject{
		200: generated.GetNamespace200JSONResponse(exampleNamespaceEnvelope()),
		403: generated.GetNamespace403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.GetNamespace404JSONResponse(errEnv(7063, "namespace_not_found")),
		429: generated.GetNamespace429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) UpdateNamespace(context.Context, generated.UpdateNamespaceRequestObject) (generated.UpdateNamespaceResponseObject, error) {
	return map[int]generated.UpdateNamespaceResponseObject{
		200: generated.UpdateNamespace200JSONResponse(exampleNamespaceEnvelope()),
		400: generated.UpdateNamespace400JSONResponse(errEnv(7097, "instances_allowed_contains_unknown_instances")),
		403: generated.UpdateNamespace403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.UpdateNamespace404JSONResponse(errEnv(7063, "namespace_not_found")),
		409: generated.UpdateNamespace409JSONResponse(errEnv(7099, "namespace_modified_concurrently_please_retry")),
		429: generated.UpdateNamespace429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

func (s *server) DeleteNamespace(context.Context, generated.DeleteNamespaceRequestObject) (generated.DeleteNamespaceResponseObject, error) {
	return map[int]generated.DeleteNamespaceResponseObject{
		200: generated.DeleteNamespace200JSONResponse(generated.DeleteEnvelope{Success: true}),
		400: generated.DeleteNamespace400JSONResponse(errEnv(7066, "namespace_not_empty")),
		403: generated.DeleteNamespace403JSONResponse{AuthenticationErrorJSONResponse: authErr()},
		404: generated.DeleteNamespace404JSONResponse(errEnv(7063, "namespace_not_found")),
		429: generated.DeleteNamespace429JSONResponse{RateLimitedJSONResponse: rateLimited()},
	}[s.status], nil
}

// instOutcome is what the client decoded: which typed fields are set, the
// success body's key fields, the error's first code, a 429's Retry-After.
type instOutcome struct {
	status     int
	set        map[int]bool
	got        string
	code       int
	retryAfter *int
}

func TestRoundTripInstances(t *testing.T) {
	srv, c := roundTrip(t)
	ctx := context.Background()
	const acct = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	createBody := generated.InstanceCreate{ID: instanceID, Type: ptr(generated.InstanceTypeR2), Source: ptr("my-bucket"), TokenID: ptr(registrationID)}
	updateBody := generated.InstanceUpdate{Paused: ptr(true), SyncInterval: ptr(3600)}
	ops := map[string]struct {
		codes map[int]int // status → the error code sent (0: success)
		want  string      // the success body, as rendered
		do    func() instOutcome
	}{
		"ListInstances": {map[int]int{200: 0, 400: 10001, 403: 10000, 429: 971}, wantListed, func() instOutcome {
			r, err := c.ListInstancesWithResponse(ctx, acct, &generated.ListInstancesParams{PerPage: ptr(20)})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = listedInstance(r.JSON200)
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"ListNamespaceInstances": {map[int]int{200: 0, 400: 10001, 403: 10000, 429: 971}, wantListed, func() instOutcome {
			r, err := c.ListNamespaceInstancesWithResponse(ctx, acct, ns, &generated.ListNamespaceInstancesParams{PerPage: ptr(20)})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = listedInstance(r.JSON200)
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"CreateInstance": {map[int]int{201: 0, 400: 7012, 403: 7013, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.CreateInstanceWithResponse(ctx, acct, createBody)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{201: r.JSON201 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON201 != nil:
				res.got = instanceOf(r.JSON201.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"CreateNamespaceInstance": {map[int]int{201: 0, 400: 7012, 403: 7013, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.CreateNamespaceInstanceWithResponse(ctx, acct, ns, createBody)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{201: r.JSON201 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON201 != nil:
				res.got = instanceOf(r.JSON201.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"GetInstance": {map[int]int{200: 0, 403: 10000, 404: 7002, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.GetInstanceWithResponse(ctx, acct, instanceID)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = instanceOf(r.JSON200.Result)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"GetNamespaceInstance": {map[int]int{200: 0, 403: 10000, 404: 7002, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.GetNamespaceInstanceWithResponse(ctx, acct, ns, instanceID)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = instanceOf(r.JSON200.Result)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"UpdateInstance": {map[int]int{200: 0, 400: 7012, 403: 10000, 404: 7002, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.UpdateInstanceWithResponse(ctx, acct, instanceID, updateBody)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = instanceOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"UpdateNamespaceInstance": {map[int]int{200: 0, 400: 7012, 403: 10000, 404: 7002, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.UpdateNamespaceInstanceWithResponse(ctx, acct, ns, instanceID, updateBody)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = instanceOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"DeleteInstance": {map[int]int{200: 0, 403: 10000, 404: 7002, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.DeleteInstanceWithResponse(ctx, acct, instanceID)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = instanceOf(r.JSON200.Result)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"DeleteNamespaceInstance": {map[int]int{200: 0, 403: 10000, 404: 7002, 429: 971}, wantInstance, func() instOutcome {
			r, err := c.DeleteNamespaceInstanceWithResponse(ctx, acct, ns, instanceID)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = instanceOf(r.JSON200.Result)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"ListJobs": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7002, 429: 971, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.ListJobsWithResponse(ctx, acct, instanceID, &generated.ListJobsParams{PerPage: ptr(50)})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result[0])
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"ListNamespaceJobs": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7002, 429: 971, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.ListNamespaceJobsWithResponse(ctx, acct, ns, instanceID, &generated.ListNamespaceJobsParams{PerPage: ptr(50)})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result[0])
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"CreateJob": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7002, 429: 7020, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.CreateJobWithResponse(ctx, acct, instanceID, generated.JobCreate{Description: ptr("nightly")})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			return res
		}},
		"CreateNamespaceJob": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7002, 429: 7020, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.CreateNamespaceJobWithResponse(ctx, acct, ns, instanceID, generated.JobCreate{Description: ptr("nightly")})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			return res
		}},
		"GetJob": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7021, 429: 971, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.GetJobWithResponse(ctx, acct, instanceID, jobID)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"GetNamespaceJob": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7021, 429: 971, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.GetNamespaceJobWithResponse(ctx, acct, ns, instanceID, jobID)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"CancelJob": {map[int]int{200: 0, 400: 7046, 403: 10000, 404: 7021, 429: 971, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.CancelJobWithResponse(ctx, acct, instanceID, jobID, generated.JobCancel{Action: generated.JobActionCancel})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"CancelNamespaceJob": {map[int]int{200: 0, 400: 7046, 403: 10000, 404: 7021, 429: 971, 503: 7017}, wantJob, func() instOutcome {
			r, err := c.CancelNamespaceJobWithResponse(ctx, acct, ns, instanceID, jobID, generated.JobCancel{Action: generated.JobActionCancel})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = jobOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"ListJobLogs": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7002, 429: 971, 503: 7017}, wantLog, func() instOutcome {
			r, err := c.ListJobLogsWithResponse(ctx, acct, instanceID, jobID, &generated.ListJobLogsParams{PerPage: ptr(500)})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = logOf(r.JSON200.Result[0])
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"ListNamespaceJobLogs": {map[int]int{200: 0, 400: 10001, 403: 10000, 404: 7002, 429: 971, 503: 7017}, wantLog, func() instOutcome {
			r, err := c.ListNamespaceJobLogsWithResponse(ctx, acct, ns, instanceID, jobID, &generated.ListNamespaceJobLogsParams{PerPage: ptr(500)})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil, 503: r.JSON503 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = logOf(r.JSON200.Result[0])
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			case r.JSON503 != nil:
				res.code = firstCode(r.JSON503.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"MoveInstance": {map[int]int{200: 0, 400: 7022, 403: 10000, 404: 7002, 429: 971}, "{}", func() instOutcome {
			r, err := c.MoveInstanceWithResponse(ctx, acct, ns, instanceID, generated.InstanceMove{NewNamespace: "staging"})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = "{}"
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"ListNamespaces": {map[int]int{200: 0, 400: 10001, 403: 10000, 429: 971}, wantNamespace, func() instOutcome {
			r, err := c.ListNamespacesWithResponse(ctx, acct, &generated.ListNamespacesParams{Search: ptr("prod")})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = namespaceOf(r.JSON200.Result[0])
			case r.JSON400 != nil:
				res.code = r.JSON400.Errors[0].Code
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"CreateNamespace": {map[int]int{201: 0, 400: 7097, 403: 7062, 409: 7064, 429: 971}, wantNamespace, func() instOutcome {
			r, err := c.CreateNamespaceWithResponse(ctx, acct, generated.NamespaceCreate{Name: "production"})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{201: r.JSON201 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 409: r.JSON409 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON201 != nil:
				res.got = namespaceOf(r.JSON201.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON409 != nil:
				res.code = firstCode(r.JSON409.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"GetNamespace": {map[int]int{200: 0, 403: 10000, 404: 7063, 429: 971}, wantNamespace, func() instOutcome {
			r, err := c.GetNamespaceWithResponse(ctx, acct, ns)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = namespaceOf(r.JSON200.Result)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"UpdateNamespace": {map[int]int{200: 0, 400: 7097, 403: 10000, 404: 7063, 409: 7099, 429: 971}, wantNamespace, func() instOutcome {
			r, err := c.UpdateNamespaceWithResponse(ctx, acct, ns, generated.NamespaceUpdate{Description: ptr("Production environment")})
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 409: r.JSON409 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = namespaceOf(r.JSON200.Result)
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON409 != nil:
				res.code = firstCode(r.JSON409.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
		"DeleteNamespace": {map[int]int{200: 0, 400: 7066, 403: 10000, 404: 7063, 429: 971}, "{}", func() instOutcome {
			r, err := c.DeleteNamespaceWithResponse(ctx, acct, ns)
			must(t, err)
			res := instOutcome{status: r.StatusCode(), set: map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}}
			switch {
			case r.JSON200 != nil:
				res.got = "{}"
			case r.JSON400 != nil:
				res.code = firstCode(r.JSON400.Errors)
			case r.JSON403 != nil:
				res.code = firstCode(r.JSON403.Errors)
			case r.JSON404 != nil:
				res.code = firstCode(r.JSON404.Errors)
			case r.JSON429 != nil:
				res.code = firstCode(r.JSON429.Errors)
			}
			res.retryAfter = retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter })
			return res
		}},
	}
	if len(ops) != 26 {
		t.Errorf("%d instance, job and namespace operations, want 26", len(ops))
	}
	for name, op := range ops {
		for want, code := range op.codes {
			srv.status = want
			o := op.do()
			if o.status != want {
				t.Errorf("%s: status %d, want %d", name, o.status, want)
			}
			for st, ok := range o.set {
				if ok != (st == want) {
					t.Errorf("%s %d: JSON%d set = %v", name, want, st, ok)
				}
			}
			switch {
			case code == 0 && o.got != op.want:
				t.Errorf("%s %d: decoded %q, want %q", name, want, o.got, op.want)
			case code != 0 && o.code != code:
				t.Errorf("%s %d: error code %d, want %d", name, want, o.code, code)
			}
			if code == 971 && (o.retryAfter == nil || *o.retryAfter != 7) {
				t.Errorf("%s 429: Retry-After 7 not decoded: %v", name, o.retryAfter)
			}
		}
	}
}

// TestInstanceListItemDecodesCloudflareShape: a listed instance carries
// every key, null where unset, and members only the list schema knows;
// it decodes into the Go types an Instance uses.
func TestInstanceListItemDecodesCloudflareShape(t *testing.T) {
	t.Parallel()
	const item = `{"id":"docs","engine_version":3,"enable":true,"type":null,"source":null,"source_params":null,
"ai_gateway_id":null,"token_id":null,"cache":true,"cache_threshold":null,"cache_ttl":172800,"summarization":false,
"rewrite_query":false,"reranking":false,"index_method":{"vector":true,"keyword":false},"hybrid_search_enabled":false,
"fusion_method":"rrf","indexing_options":null,"retrieval_options":{"boost_by":[{"field":"timestamp","dataType":"datetime"}]},
"summarization_model":null,"embedding_model":"@cf/baai/bge-m3","rewrite_model":null,"ai_search_model":null,"reranking_model":null,
"system_prompt_ai_search":null,"system_prompt_index_summarization":null,"system_prompt_rewrite_query":null,"chunk":true,
"chunk_size":256,"chunk_overlap":10,"score_threshold":0.4,"max_num_results":10,"public_endpoint_id":null,
"public_endpoint_params":null,"paused":false,"status":"waiting","metadata":null,"custom_metadata":[{"field_name":"author","data_type":"text"}],
"sync_interval":21600,"created_at":"2026-01-02T03:04:05Z","created_by":null,"modified_at":"2026-01-02T03:04:05Z",
"modified_by":null,"last_activity":null,"namespace":"default"}`
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"result":[` + item + `],"result_info":{"page":1,"per_page":20,"count":1,"total_count":1}}`))
	}))
	defer ts.Close()
	c, err := generated.NewClientWithResponses(ts.URL)
	must(t, err)
	r, err := c.ListNamespaceInstancesWithResponse(context.Background(), "a", "default", nil)
	must(t, err)
	if r.JSON200 == nil || len(r.JSON200.Result) != 1 {
		t.Fatalf("decoded %+v", r.JSON200)
	}
	i := r.JSON200.Result[0]
	got := fmt.Sprintf("%s type=%s source_params=%s ttl=%d sync=%d threshold=%s boost=%s metadata=%s/%s model=%s score=%s size=%s",
		i.ID, show(i.Type), show(i.SourceParams), i.CacheTTL, i.SyncInterval, show(i.CacheThreshold),
		(*i.RetrievalOptions.BoostBy)[0].Field, (*i.CustomMetadata)[0].FieldName, (*i.CustomMetadata)[0].DataType,
		show(i.EmbeddingModel), show(i.ScoreThreshold), show(i.ChunkSize))
	const want = "docs type=<nil> source_params=<nil> ttl=172800 sync=21600 threshold=<nil> boost=timestamp metadata=author/text model=@cf/baai/bge-m3 score=0.4 size=256"
	if got != want {
		t.Errorf("decoded\n %s\nwant\n %s", got, want)
	}
}

// TestInstanceNullsEncode pins the JSON shape of an answer's server-set
// nullable fields (sent as null) and of an update body's unset fields
// (left out: an update changes only what it names).
func TestInstanceNullsEncode(t *testing.T) {
	t.Parallel()
	inst, err := json.Marshal(generated.Instance{ID: instanceID, CreatedAt: instanceTime, ModifiedAt: instanceTime})
	must(t, err)
	for _, k := range []string{`"created_by":null`, `"modified_by":null`, `"namespace":null`, `"public_endpoint_id":null`, `"last_activity":null`} {
		if !strings.Contains(string(inst), k) {
			t.Errorf("instance %s lacks %s", inst, k)
		}
	}
	upd, err := json.Marshal(generated.InstanceUpdate{Paused: ptr(true)})
	must(t, err)
	if string(upd) != `{"paused":true}` {
		t.Errorf("update body %s, want only paused", upd)
	}
}
