// Package contract checks HTTP traffic against the tokens API contract
// (openapi.yaml, embedded in the module root) with kin-openapi.
//
// A Validator loads the spec and its router once; Validate then checks one
// recorded interaction (request and response) and returns every violation,
// each naming where it is (["query","per_page"], ["body","result","id"],
// ["status"]) in the same shape Cloudflare uses for errors[].path.
package contract
