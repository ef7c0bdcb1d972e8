package emulator

// A placeholder for issue 19's emulator work, which replaces this file: the
// AI Search instance, job and namespace operations are in openapi.yaml (so
// the generated strict server requires them), but the emulator does not
// model instances yet. Each answers as an unknown route did before the spec
// had them: 404, code 7000 "No route for that URI". The spec documents no
// 404 on some of them (list and create): a contract check of these answers
// fails on purpose until the real handlers land.

import (
	"context"
	"net/http"

	"github.com/go-aisearch/tokens/generated"
)

// errInstancesPending is every pending operation's answer.
var errInstancesPending = apiError{status: http.StatusNotFound, code: CodeNoRoute, message: "No route for that URI"}

func (h *handlers) ListInstances(context.Context, generated.ListInstancesRequestObject) (generated.ListInstancesResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CreateInstance(context.Context, generated.CreateInstanceRequestObject) (generated.CreateInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) GetInstance(context.Context, generated.GetInstanceRequestObject) (generated.GetInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) UpdateInstance(context.Context, generated.UpdateInstanceRequestObject) (generated.UpdateInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) DeleteInstance(context.Context, generated.DeleteInstanceRequestObject) (generated.DeleteInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) ListNamespaceInstances(context.Context, generated.ListNamespaceInstancesRequestObject) (generated.ListNamespaceInstancesResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CreateNamespaceInstance(context.Context, generated.CreateNamespaceInstanceRequestObject) (generated.CreateNamespaceInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) GetNamespaceInstance(context.Context, generated.GetNamespaceInstanceRequestObject) (generated.GetNamespaceInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) UpdateNamespaceInstance(context.Context, generated.UpdateNamespaceInstanceRequestObject) (generated.UpdateNamespaceInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) DeleteNamespaceInstance(context.Context, generated.DeleteNamespaceInstanceRequestObject) (generated.DeleteNamespaceInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) MoveInstance(context.Context, generated.MoveInstanceRequestObject) (generated.MoveInstanceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) ListJobs(context.Context, generated.ListJobsRequestObject) (generated.ListJobsResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CreateJob(context.Context, generated.CreateJobRequestObject) (generated.CreateJobResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) GetJob(context.Context, generated.GetJobRequestObject) (generated.GetJobResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CancelJob(context.Context, generated.CancelJobRequestObject) (generated.CancelJobResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) ListJobLogs(context.Context, generated.ListJobLogsRequestObject) (generated.ListJobLogsResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) ListNamespaceJobs(context.Context, generated.ListNamespaceJobsRequestObject) (generated.ListNamespaceJobsResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CreateNamespaceJob(context.Context, generated.CreateNamespaceJobRequestObject) (generated.CreateNamespaceJobResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) GetNamespaceJob(context.Context, generated.GetNamespaceJobRequestObject) (generated.GetNamespaceJobResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CancelNamespaceJob(context.Context, generated.CancelNamespaceJobRequestObject) (generated.CancelNamespaceJobResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) ListNamespaceJobLogs(context.Context, generated.ListNamespaceJobLogsRequestObject) (generated.ListNamespaceJobLogsResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) ListNamespaces(context.Context, generated.ListNamespacesRequestObject) (generated.ListNamespacesResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) CreateNamespace(context.Context, generated.CreateNamespaceRequestObject) (generated.CreateNamespaceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) GetNamespace(context.Context, generated.GetNamespaceRequestObject) (generated.GetNamespaceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) UpdateNamespace(context.Context, generated.UpdateNamespaceRequestObject) (generated.UpdateNamespaceResponseObject, error) {
	return errInstancesPending, nil
}

func (h *handlers) DeleteNamespace(context.Context, generated.DeleteNamespaceRequestObject) (generated.DeleteNamespaceResponseObject, error) {
	return errInstancesPending, nil
}

// apiError answers every pending operation (see failures.go).

func (e apiError) VisitListInstancesResponse(w http.ResponseWriter) error          { return e.visit(w) }
func (e apiError) VisitCreateInstanceResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e apiError) VisitGetInstanceResponse(w http.ResponseWriter) error            { return e.visit(w) }
func (e apiError) VisitUpdateInstanceResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e apiError) VisitDeleteInstanceResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e apiError) VisitListNamespaceInstancesResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitCreateNamespaceInstanceResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitGetNamespaceInstanceResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitUpdateNamespaceInstanceResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitDeleteNamespaceInstanceResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e apiError) VisitMoveInstanceResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e apiError) VisitListJobsResponse(w http.ResponseWriter) error             { return e.visit(w) }
func (e apiError) VisitCreateJobResponse(w http.ResponseWriter) error            { return e.visit(w) }
func (e apiError) VisitGetJobResponse(w http.ResponseWriter) error               { return e.visit(w) }
func (e apiError) VisitCancelJobResponse(w http.ResponseWriter) error            { return e.visit(w) }
func (e apiError) VisitListJobLogsResponse(w http.ResponseWriter) error          { return e.visit(w) }
func (e apiError) VisitListNamespaceJobsResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitCreateNamespaceJobResponse(w http.ResponseWriter) error   { return e.visit(w) }
func (e apiError) VisitGetNamespaceJobResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e apiError) VisitCancelNamespaceJobResponse(w http.ResponseWriter) error   { return e.visit(w) }
func (e apiError) VisitListNamespaceJobLogsResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitListNamespacesResponse(w http.ResponseWriter) error       { return e.visit(w) }
func (e apiError) VisitCreateNamespaceResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e apiError) VisitGetNamespaceResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e apiError) VisitUpdateNamespaceResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e apiError) VisitDeleteNamespaceResponse(w http.ResponseWriter) error      { return e.visit(w) }
