// Package emulator is a faithful local emulator of Cloudflare's AI Search
// tokens API and of the Cloudflare API token operations behind it, for
// development and for tests, the way miniredis or fake-gcs-server are: no
// account, no network, deterministic.
//
// It serves every operation of openapi.yaml under /client/v4, built on the
// generated strict server and validated by kin-openapi against the same
// embedded spec, so any Cloudflare client given the base URL works
// unchanged:
//
//	ts := emulator.NewTestServer(t, emulator.WithDeterministicIDs(1))
//	c, _ := generated.NewClientWithResponses(ts.BaseURL, ...) // Authorization: Bearer ts.APIToken
//	ts.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "a1b2c3d4e5f6", Name: "svc", Value: "abc123"})
//	ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "n", CfAPIID: "a1b2c3d4e5f6", CfAPIKey: "abc123"})
//	ts.MarkInUse(ts.AccountID, id, "my-instance") // an instance uses it: delete gets 409
//
// A TestServer's Seed, MarkInUse and FailNext fail the test on an error
// (Server() has the forms that return it); its Close stops HTTP, then
// releases the state file, like httptest.Server.Close, and may be called
// twice. For replayable runs, WithDeterministicIDs fixes the ids of created
// tokens, Faults.Seed the random fault decisions and WithClock the
// timestamps.
//
// The AI Search tokens API (/accounts/{account_id}/ai-search/tokens)
// behaves as Cloudflare's: errors and messages arrays on every success,
// 201 on create with server-set id and timestamps, full-replacement update,
// {} on delete, pages with result_info, tokens isolated per account,
// cf_api_key kept only as a SHA-256 and never returned or logged. Only a
// live API token the emulator issued registers (create or update): its
// current value, active, within its validity window, the user's or the
// account's, and minted at least WithPropagationDelay ago (seeded values at
// once); anything else, an unknown cf_api_id included, is 400 code 7012
// ai_search_instance_invalid_token (the reason is logged, never the key).
// Its policies and condition are not checked: AI Search uses it from
// Cloudflare's network, and no source says it checks its groups when it is
// registered. CredentialWorks says whether a registration's credential
// works, and why not.
//
// A 405 carries Allow. The connection is closed after a chunked request
// (net/http hides whether it also had a Content-Length, the shape of
// request smuggling).
//
// AI Search instances, their indexing jobs and the namespaces that group
// them (both route families, move, job cancel and logs) answer with
// Cloudflare's codes (7002, 7012, 7013, 7020-7022, 7046, 7052, 7062-7067,
// 7097; see the Code constants). An instance keeps every setting its create
// and update bodies carry, with the documented defaults, and names the
// registration it uses (token_id: one of the account's, else 400 7012;
// without it, the account's oldest enabled registration); while any does,
// deleting the registration gets 409 code 7076 token_in_use_by_instances,
// computed from the instances. A job starts an indexing pass on the
// emulator's clock (WithClock, so tests move time instead of sleeping;
// WithJobDuration): it ends well when the registration's Cloudflare API
// token works for the account with the permission groups AI Search needs,
// otherwise at once with an end_reason and a log line that name the cause
// (EndReasonTokenDeleted...; Job.Err holds ErrAPITokenDeleted,
// ErrValueRolled, ErrPermissionMissing...). The choices Cloudflare's sources
// leave open are in aisearch_choices.go and docs/instances.md.
// CreateInstance, StartJob, RunJob, Job, Jobs, Instances and Namespaces
// drive and inspect them from Go; MarkInUse makes built-in instances use a
// registration.
//
// WithStateFile persists the store in an fsynced, append-only log that
// survives kill -9: one line per transaction, {"tx":[change...]}, each
// change a row stored or deleted in a named table, behind a CRC-32. A torn
// tail is dropped, a corrupt middle refused; the log is compacted (one line
// per row) on open and as it grows. Logs written before tables (lines of
// {"op":...}) still load. A symlinked path is resolved once: its target is
// locked, written and compacted (keeping its mode); a read-only file is
// refused.
//
// The Cloudflare API token operations (/user/tokens and
// /accounts/{account_id}/tokens: list, create, get, update, delete,
// verify, roll, permission_groups): the emulator has one user (UserOwner,
// "user", where an owner is asked for), which every configured credential
// (and, with open auth, any credential) acts as; accounts own their tokens
// apart. Create answers 200 with the token (last_used_on null) and a
// fresh 40-character value, its only appearance besides a roll; the
// emulator keeps a SHA-256 of it. Ids are 32 lowercase hex digits (a
// seeded one may be shorter: cloudflare-go's tests use a1b2c3d4e5f6);
// issued_on and modified_on come from the clock in UTC whole seconds;
// policies get their ids, permission groups their names, from the
// catalogue (DefaultPermissionGroups, WithPermissionGroups,
// SeedPermissionGroups); an unknown group is a 400 naming its path. Status
// "expired" is computed from expires_on; list leaves expired tokens out
// unless include_expired. Update replaces name, policies, condition and the
// validity window (status kept when omitted; "expired" refused) and keeps
// the value; roll replaces the value and takes no body, an empty one or {}
// (Cloudflare's TypeScript SDK sends none); delete takes no body or {}. A
// condition in older clients' spelling, request.ip, is read as request_ip
// (a body with both is refused). last_used_on is the minute (UTC) of the
// token's latest allowed request, written at most once a minute per token.
//
// Answers are chosen by route family (families.go), from the request's
// path, never per handler, so an operation added under a family's prefix
// gets them by construction: the AI Search operations
// (/accounts/{id}/ai-search/...) fail with {"success":false,"errors":[...],
// "result":{}} and no messages, as Cloudflare's AI Search does, their 404s
// and 405s included; the API token operations with Cloudflare's common
// failure envelope, messages [] and result null.
//
// Auth is route-aware, read from each operation's security in the spec
// (the AI Search operations take a bearer token, or X-Auth-Email with
// X-Auth-Key; the API token operations a bearer token only; an
// Authorization header decides alone when present), and answered as
// Cloudflare does, before the input is looked at:
//
//   - no credential header at all, or half the legacy pair: 400, 9106;
//   - an Authorization header that is not one "Bearer <token>" (empty,
//     another scheme, a space too many): 400, 6003 with 6111 in its
//     error_chain;
//   - the legacy pair on an API token operation: 400, 1001;
//   - a credential that does not work: 401, 10000 on AI Search, 1000 on
//     the API token operations.
//
// A value the emulator issued works while its token is active and within
// not_before and expires_on; a rolled or deleted value never does again,
// even with open auth (no credentials configured: any other non-empty
// credential is accepted).
//
// Permissions: the configured credentials (WithAPITokens, WithAPIKey, any
// with open auth) may do anything; an issued token what its policies allow
// (permissions.go). Each operation requires one of its family's groups, as
// Cloudflare's definitions name them (x-api-token-group,
// x-cfPermissionsRequired): "API Tokens Read" or "Write" for the user's
// tokens (Write for what changes them), "Account API Tokens Read"/"Write"
// for an account's, "AI Search Read"/"Edit" for the AI Search operations
// (their ids are the emulator's choice; see internal/permgroups); verify
// requires none. A policy applies on the path's account
// (com.cloudflare.api.account.<id>, or .* for all) or on the user
// (com.cloudflare.api.user.<UserID>); deny wins over allow. Missing one:
// 403, 9109 "Unauthorized to access requested resource". A token used from
// outside its condition.request_ip: 403, 9109 "Cannot use the access token
// from location: <ip>", except at verify, to which Cloudflare applies no IP
// filtering. Verify answers for the bearer token itself: an issued token on
// its owner's path, a configured credential on the user's path (with the
// first 32 hex digits of its SHA-256 as id), with Cloudflare's "This API
// Token is valid and active" message; any other is 401, 1000.
//
// Error codes (errors[].code), in the envelope of the route family.
// Cloudflare's, with its messages:
//
//	  971  429  rate limited (fault injection), with Retry-After
//	 1000  401  "Invalid API Token": an API token operation's bearer does
//	            not work (verify: or is not this path's owner's)
//	 1001  400  `Missing "Authorization" header`: X-Auth-Email/X-Auth-Key
//	            on an operation that takes a bearer token only
//	 6003  400  "Invalid request headers", error_chain 6111 "Invalid format
//	            for Authorization header"
//	 7000  404  "No route for that URI"
//	 7012  400  ai_search_instance_invalid_token: the credential a
//	            registration would hold does not work (unknown, deleted,
//	            disabled, expired, not yet valid, rolled, another account's,
//	            not its value, or not propagated yet); errors[].path names
//	            cf_api_id or cf_api_key
//	 7075  404  token_not_found: no registration with that id in this account
//	 7076  409  token_in_use_by_instances (see MarkInUse)
//	 9106  400  "Missing X-Auth-Key, X-Auth-Email or Authorization headers"
//	 9109  403  "Unauthorized to access requested resource" (a permission
//	            the token lacks), or "Cannot use the access token from
//	            location: <ip>"
//	10000  401  "Authentication error": an AI Search operation's
//	            credential does not work
//
// The emulator's own (stable):
//
//	10001  400  the request breaks openapi.yaml: bad parameter or body,
//	            malformed JSON or more than one JSON value, a missing,
//	            unparseable or non-JSON Content-Type, a query string that
//	            does not decode (search=%zz), body over the cap (64 KiB);
//	            or names an unknown permission group, a bad request_ip CIDR,
//	            status "expired"; errors[].path says where, e.g.
//	            ["query","per_page"], ["body","policies","0","permission_groups","1","id"]
//	10003  404  no Cloudflare API token with that id of this owner
//	10005  5xx  failure injected by fault injection
//	10006  500  the emulator failed, e.g. could not write its state file
//	            (the change was not applied)
//	10008  405  known path, method not allowed (with Allow; Cloudflare
//	            documents 7001 as "Internal Error")
//
// Fault injection: WithFaults (a failure rate, latency, a seed to replay
// the choices), FailNext (fail the next requests with given statuses), and
// the X-Emulator-Fault request header (see FaultHeader).
//
// # The store
//
// The state is a set of tables, one per resource (store.go): rows of a
// struct type, each filed under an owner (an account id, UserOwner, or ""
// for what belongs to the whole emulator) and an id, kept per owner in the
// order they were first stored (table.go). One function takes the lock
// (store.run), behind store.update, which runs a transaction that may
// write, and store.view, one that reads. A table's methods take the *tx they run in, so whoever holds a
// *tx holds the lock. A transaction's changes are journaled as one line
// when it returns, or undone when it fails, so a change made of several
// rows (an API token deleted and its value revoked) is durable whole or
// not at all. Replay and compaction know tables only by name.
//
// Relations are derived from the data, never stored twice: whether a
// registration is in use is read from the instances that name it; whether
// an API token id was deleted, from the revoked values.
//
// # Adding a resource
//
// A resource (say, namespaces) takes seven steps, each in the resource's
// own file (namespaces.go is a small example):
//
//  1. Record: a struct of plain, JSON-tagged fields that names its owner
//     and id (Account, ID), and a key function returning them. Rows are
//     values: replace a slice or map, never change one in place.
//  2. Table: a field of store, made and registered in newStore with
//     register(s, newTable("namespaces", namespaceKey)). The name is what
//     the state file records: never rename one. Add withGlobalIDs when
//     ids are unique across owners, and an index hook for derived lookups
//     (see indexAPIToken).
//  3. Journal: nothing to do. A table's put and delete record the change;
//     replay, compaction and rollback work for every registered table.
//  4. Handlers: store functions taking a *tx (createRegistration), called
//     from handlers that run one store.update or store.view and answer
//     with the generated response or an apiError (see respond); list with
//     paginate and the list's pageRule. When several routes share an
//     operation, one handler does it and their generated methods are one
//     line each.
//  5. Seed: a field of SeedAccount (or SeedFile), checked in ParseSeed and
//     loaded by SeedFrom through store.update.
//  6. Inspection: a Server method returning an exported copy (Instances),
//     through store.view, and its TestServer form (failing the test on
//     an error, for a helper that can fail).
//  7. Derived relations: a function reading other tables in the same
//     transaction (instancesUsing), never a stored list; and a case in the
//     model-based test (model*_test.go) with its invariant.
package emulator
