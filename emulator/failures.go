package emulator

import (
	"net/http"

	"github.com/go-aisearch/tokens/generated"
)

// An apiError is itself a strict-handler response for every operation that
// can fail in its handler, so every failure, whichever operation answers
// it, is written by apiError.write, in its route family's envelope (see
// families.go). The status must be one the operation documents (the
// contract suite's coverage holds every one). An operation added to the
// spec gets the auth answers (400, 401, 403) before its handler runs, by
// its route family; only what its handler itself refuses needs a Visit
// method here. respond relies on it for every operation whose handler can
// fail; the compiler checks it here, for the AI Search tokens and the
// Cloudflare API token operations first, then the AI Search instance, job
// and namespace ones.
var (
	_ generated.CreateTokenResponseObject           = apiError{}
	_ generated.GetTokenResponseObject              = apiError{}
	_ generated.UpdateTokenResponseObject           = apiError{}
	_ generated.DeleteTokenResponseObject           = apiError{}
	_ generated.CreateUserAPITokenResponseObject    = apiError{}
	_ generated.GetUserAPITokenResponseObject       = apiError{}
	_ generated.UpdateUserAPITokenResponseObject    = apiError{}
	_ generated.DeleteUserAPITokenResponseObject    = apiError{}
	_ generated.RollUserAPITokenResponseObject      = apiError{}
	_ generated.VerifyUserAPITokenResponseObject    = apiError{}
	_ generated.CreateAccountAPITokenResponseObject = apiError{}
	_ generated.GetAccountAPITokenResponseObject    = apiError{}
	_ generated.UpdateAccountAPITokenResponseObject = apiError{}
	_ generated.DeleteAccountAPITokenResponseObject = apiError{}
	_ generated.RollAccountAPITokenResponseObject   = apiError{}
	_ generated.VerifyAccountAPITokenResponseObject = apiError{}
)

func (e apiError) visit(w http.ResponseWriter) error { e.write(w); return nil }

func (e apiError) VisitCreateTokenResponse(w http.ResponseWriter) error           { return e.visit(w) }
func (e apiError) VisitGetTokenResponse(w http.ResponseWriter) error              { return e.visit(w) }
func (e apiError) VisitUpdateTokenResponse(w http.ResponseWriter) error           { return e.visit(w) }
func (e apiError) VisitDeleteTokenResponse(w http.ResponseWriter) error           { return e.visit(w) }
func (e apiError) VisitCreateUserAPITokenResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitGetUserAPITokenResponse(w http.ResponseWriter) error       { return e.visit(w) }
func (e apiError) VisitUpdateUserAPITokenResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitDeleteUserAPITokenResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitRollUserAPITokenResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e apiError) VisitVerifyUserAPITokenResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitCreateAccountAPITokenResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitGetAccountAPITokenResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e apiError) VisitUpdateAccountAPITokenResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitDeleteAccountAPITokenResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e apiError) VisitRollAccountAPITokenResponse(w http.ResponseWriter) error   { return e.visit(w) }
func (e apiError) VisitVerifyAccountAPITokenResponse(w http.ResponseWriter) error { return e.visit(w) }

// The AI Search instance, job and namespace operations.
var (
	_ generated.ListInstancesResponseObject           = apiError{}
	_ generated.CreateInstanceResponseObject          = apiError{}
	_ generated.GetInstanceResponseObject             = apiError{}
	_ generated.UpdateInstanceResponseObject          = apiError{}
	_ generated.DeleteInstanceResponseObject          = apiError{}
	_ generated.ListNamespaceInstancesResponseObject  = apiError{}
	_ generated.CreateNamespaceInstanceResponseObject = apiError{}
	_ generated.GetNamespaceInstanceResponseObject    = apiError{}
	_ generated.UpdateNamespaceInstanceResponseObject = apiError{}
	_ generated.DeleteNamespaceInstanceResponseObject = apiError{}
	_ generated.MoveInstanceResponseObject            = apiError{}
	_ generated.ListJobsResponseObject                = apiError{}
	_ generated.CreateJobResponseObject               = apiError{}
	_ generated.GetJobResponseObject                  = apiError{}
	_ generated.CancelJobResponseObject               = apiError{}
	_ generated.ListJobLogsResponseObject             = apiError{}
	_ generated.ListNamespaceJobsResponseObject       = apiError{}
	_ generated.CreateNamespaceJobResponseObject      = apiError{}
	_ generated.GetNamespaceJobResponseObject         = apiError{}
	_ generated.CancelNamespaceJobResponseObject      = apiError{}
	_ generated.ListNamespaceJobLogsResponseObject    = apiError{}
	_ generated.ListNamespacesResponseObject          = apiError{}
	_ generated.CreateNamespaceResponseObject         = apiError{}
	_ generated.GetNamespaceResponseObject            = apiError{}
	_ generated.UpdateNamespaceResponseObject         = apiError{}
	_ generated.DeleteNamespaceResponseObject         = apiError{}
)

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
