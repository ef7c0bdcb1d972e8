package emulator

import (
	"net/http"
)

// Cloudflare's AI Search error codes for instances, jobs and namespaces,
// with their snake_case messages (its docs' "AI Search API error codes");
// an unknown token_id is CodeInvalidToken (7012), as a registration's
// credential that does not work.
const (
	CodeAISearchNotFound        = 7002 // 404 ai_search_not_found
	CodeMaxInstances            = 7013 // 403 max_instances_reached
	CodeUnableToConnect         = 7017 // 503 unable_to_connect_to_ai_search (never answered: no backend to lose)
	CodeSyncInCooldown          = 7020 // 429 sync_in_cooldown
	CodeJobNotFound             = 7021 // 404 job_not_found
	CodeInstanceExists          = 7022 // 400 ai_search_with_this_name_already_exist
	CodeJobCannotBeCancelled    = 7046 // 400 job_cannot_be_cancelled
	CodeTypeAndSourceRequired   = 7052 // 400 type_and_source_are_required_for_non_managed_instances
	CodeMaxNamespaces           = 7062 // 403 max_namespaces_reached
	CodeNamespaceNotFound       = 7063 // 404 namespace_not_found
	CodeNamespaceExists         = 7064 // 409 namespace_already_exists
	CodeCannotModifyDefault     = 7065 // 400 cannot_modify_default_namespace
	CodeNamespaceNotEmpty       = 7066 // 400 namespace_not_empty
	CodeNamespaceSameName       = 7067 // 400 namespace_same_name
	CodeUnknownInstancesAllowed = 7097 // 400 instances_allowed_contains_unknown_instances
	CodeNamespaceModifiedRetry  = 7099 // 409 namespace_modified_concurrently_please_retry (never answered: writes are serialised)
)

func aiSearchError(status, code int, message string) apiError {
	return apiError{status: status, code: code, message: message}
}

var (
	errInstanceNotFound      = aiSearchError(http.StatusNotFound, CodeAISearchNotFound, "ai_search_not_found")
	errInvalidTokenID        = aiSearchError(http.StatusBadRequest, CodeInvalidToken, "ai_search_instance_invalid_token")
	errMaxInstances          = aiSearchError(http.StatusForbidden, CodeMaxInstances, "max_instances_reached")
	errJobNotFound           = aiSearchError(http.StatusNotFound, CodeJobNotFound, "job_not_found")
	errInstanceExists        = aiSearchError(http.StatusBadRequest, CodeInstanceExists, "ai_search_with_this_name_already_exist")
	errJobCannotBeCancelled  = aiSearchError(http.StatusBadRequest, CodeJobCannotBeCancelled, "job_cannot_be_cancelled")
	errTypeNeedsSource       = aiSearchError(http.StatusBadRequest, CodeTypeAndSourceRequired, "type_and_source_are_required_for_non_managed_instances")
	errMaxNamespaces         = aiSearchError(http.StatusForbidden, CodeMaxNamespaces, "max_namespaces_reached")
	errNamespaceNotFound     = aiSearchError(http.StatusNotFound, CodeNamespaceNotFound, "namespace_not_found")
	errNamespaceExists       = aiSearchError(http.StatusConflict, CodeNamespaceExists, "namespace_already_exists")
	errCannotModifyDefault   = aiSearchError(http.StatusBadRequest, CodeCannotModifyDefault, "cannot_modify_default_namespace")
	errNamespaceNotEmpty     = aiSearchError(http.StatusBadRequest, CodeNamespaceNotEmpty, "namespace_not_empty")
	errNamespaceSameName     = aiSearchError(http.StatusBadRequest, CodeNamespaceSameName, "namespace_same_name")
	errUnknownAllowed        = aiSearchError(http.StatusBadRequest, CodeUnknownInstancesAllowed, "instances_allowed_contains_unknown_instances")
	errBuiltinHasNoJobs      = apiError{status: http.StatusBadRequest, code: CodeValidation, message: "instance has built-in storage and no indexing jobs", path: []string{"path", "id"}}
	errNamespaceNotFoundHere = errNamespaceNotFound.withStatus(http.StatusBadRequest) // the namespaced create documents no 404
)

// withStatus is e answered with another status (same code and message).
func (e apiError) withStatus(status int) apiError { e.status = status; return e }

// cooldown is the 429 of a job create within jobCooldown of the previous
// job, with Retry-After the seconds left.
func cooldown(retryAfter int) apiError {
	e := aiSearchError(http.StatusTooManyRequests, CodeSyncInCooldown, "sync_in_cooldown")
	e.retry = retryAfter
	return e
}
