package emulator

import "net/http"

// An apiError is itself a strict-handler response for every operation that
// can fail in its handler, so every failure, whichever operation answers
// it, is written by apiError.write: one envelope, `result: null` included.
// The status must be one the operation documents (400, 404 or 409 on the AI
// Search operations; any 4xx on the API token operations).

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
