package emulator

import (
	"net/http"

	"github.com/go-aisearch/tokens/generated"
)

// An apiError is itself a strict-handler response for every operation that
// can fail in its handler, so every failure, whichever operation answers
// it, is written by apiError.write, in its route family's envelope (see
// families.go). The status must be one the operation documents (400, 404 or
// 409 on the AI Search operations; any 4xx on the API token operations).
// An operation added to the spec gets the auth answers (400, 401, 403)
// before its handler runs, by its route family; only what its handler
// itself refuses needs a Visit method here. respond relies
// on it for every operation whose handler can fail; the compiler checks it
// here.
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
