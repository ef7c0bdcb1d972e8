// Package emulator is a faithful local emulator of Cloudflare's AI Search
// tokens API, for development and for tests, the way miniredis or
// fake-gcs-server are: no account, no network, deterministic.
//
// It serves the five operations of openapi.yaml under /client/v4, built on
// the generated strict server and validated by kin-openapi against the same
// embedded spec, so any Cloudflare client given the base URL works
// unchanged:
//
//	ts := emulator.NewTestServer(t, emulator.WithDeterministicIDs(1))
//	c, _ := generated.NewClientWithResponses(ts.BaseURL, ...) // Authorization: Bearer ts.APIToken
//	ts.Seed(ts.AccountID, emulator.SeedToken{ID: id, Name: "n", CfAPIID: "a", CfAPIKey: "k"})
//	ts.MarkInUse(ts.AccountID, id, "my-instance") // delete now gets 409
//
// A TestServer's Seed, MarkInUse and FailNext fail the test on an error
// (Server() has the forms that return it); its Close stops HTTP, then
// releases the state file, like httptest.Server.Close, and may be called
// twice. For replayable runs, WithDeterministicIDs fixes the ids of created
// tokens, Faults.Seed the random fault decisions and WithClock the
// timestamps.
//
// Behaviour follows Cloudflare's: envelopes with errors and messages arrays
// on every response, 201 on create with server-set id and timestamps,
// full-replacement update, {} on delete, pages with result_info, tokens
// isolated per account, cf_api_key kept only as a SHA-256 and never
// returned or logged. Auth: a bearer token, or X-Auth-Email with X-Auth-Key;
// an Authorization header decides alone when present. A 405 carries Allow.
// The connection is closed after a chunked request (net/http hides
// whether it also had a Content-Length, the shape of request smuggling).
//
// WithStateFile persists the store in an fsynced, append-only log that
// survives kill -9. A symlinked path is resolved once: its target is
// locked, written and compacted (keeping its mode); a read-only file is
// refused.
//
// Error codes (errors[].code):
//
//	  971  429  rate limited (fault injection), with Retry-After
//	 7000  404  no route for that URI
//	 7001  405  known path, method not allowed
//	10000  403  authentication error
//	10001  400  the request breaks openapi.yaml: bad parameter or body,
//	            malformed JSON or more than one JSON value, a missing,
//	            unparseable or non-JSON Content-Type, a query string that
//	            does not decode (search=%zz), body over the cap (64 KiB);
//	            errors[].path says where, e.g. ["query","per_page"]
//	10003  404  no token with that id in this account
//	10004  409  token in use by instances (see MarkInUse)
//	10005  5xx  failure injected by fault injection
//	10006  500  the emulator failed, e.g. could not write its state file
//	            (the change was not applied)
//
// Fault injection: WithFaults (a failure rate, latency, a seed to replay
// the choices), FailNext (fail the next requests with given statuses), and
// the X-Emulator-Fault request header (see FaultHeader).
package emulator
