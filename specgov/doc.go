// Package specgov governs the hand-maintained openapi.yaml: Lint checks it
// beyond validity (descriptions, security, shared error envelopes, examples,
// unused components), and Diff compares its tokens operations with
// Cloudflare's published schema, so that a change on either side shows up as
// a named difference that is either fixed or listed, with a reason, in the
// reviewed allow-list (allowlist.yaml).
package specgov
