// Package contract checks HTTP traffic against the tokens API contract
// (openapi.yaml, embedded by package spec) with kin-openapi.
//
// A Validator loads the spec and its router once; Validate then checks one
// recorded interaction (request and response) and returns every violation,
// each naming where it is (["query","per_page"], ["body","result","id"],
// ["status"]) in the same shape Cloudflare uses for errors[].path.
//
// A Transport validates live traffic; Verify checks recorded go-vcr
// cassettes (coverage and secrets included); Redact and the secret scan
// keep credentials out of recordings. The recorder that makes cassettes
// from a live API is package contract/record.
package contract
