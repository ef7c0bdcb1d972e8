// Package aisearch is a Go client for Cloudflare AI Search's tokens API: the
// registry of service API tokens that AI Search instances use to reach R2,
// Vectorize and Workers AI on the account's behalf.
//
// A service token created through the API (POST /user/tokens) must be
// registered here, with its id (cf_api_id) and value (cf_api_key), before
// the first AI Search instance; the registration's ID is then passed as the
// instance's token_id. [Client.Provision] does all of it (creates the
// Cloudflare token, registers it, idempotently), [Client.Check] says
// whether it still works, naming the AI Search instances that stop
// indexing when it does not, and [Client.Rotate] replaces it (with
// ServiceTokenOptions.ProveWithJob, proving it with one indexing job). The
// registry itself is c.Registrations ([Registrations]); the instances and
// their indexing jobs are c.Instances(namespace) ([Instances]), through
// the namespaced routes wrangler uses; Cloudflare's API token operations
// are c.APITokens(owner) ([APITokens]).
//
// # Creating a client
//
//	c, err := aisearch.New(accountID, aisearch.WithAPIToken(token))
//	c, err := aisearch.FromEnv() // CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN ...
//
// Options validate their arguments, so New fails early: a base URL must
// end in /client/v4, and a missing account or credential is
// [ErrNoAccountID] or [ErrNoCredential]. The client is safe for concurrent
// use. In tests, package aisearchtest hands out a client of a local
// emulator in one line.
//
// # Errors
//
// A response that is not a success is an [*APIError] carrying the status,
// Cloudflare's error codes (with their error_chain), messages and
// errors[].path, the method and API path, the cf-ray header and
// Retry-After. Bodies that are not Cloudflare envelopes (an HTML 502 page
// from the edge) become a short excerpt instead of a decoding failure.
// Test for kinds with errors.Is: [ErrNotFound], [ErrConflict] (token in
// use), [ErrAuth] with its two causes [ErrBadCredential] and
// [ErrPermissionDenied], [ErrRateLimited], [ErrInvalid] with
// [ErrServiceTokenRejected]. [APIError.Is] is the one place that maps
// statuses and codes to them. A call that got no response wraps the cause,
// so errors.Is(err, context.DeadlineExceeded) works.
//
// # Retries
//
// 429, 5xx (but 501 and 505) and connection errors are retried with
// exponential backoff and full jitter, honouring Retry-After, bounded in
// attempts and in total waiting time (see [RetryPolicy]) and stopped by the
// context. GET, PUT and DELETE are retried; POST (Create) only when the
// attempt provably sent nothing (it never got a connection) or the answer
// was 429 (a refusal: nothing was done), unless RetryPolicy.RetryCreate is
// set, because a create that reached the server may have succeeded. A
// create whose sending cannot be ruled out counts as sent. 409 is never
// retried. [NoWaitRetryPolicy] retries without waiting, for tests.
//
// # Secrets
//
// Credentials and cf_api_key values are [Secret]s: every printed form
// (fmt verbs, slog, JSON) shows "[REDACTED]". Errors carry the method and
// API path only, never request headers, and any secret of the request that
// a server echoes back is scrubbed from them. Credentials are added to the
// request by the transport, after request hooks run, and only for the base
// URL's host.
package aisearch
