package aisearch_test

import (
	"github.com/go-aisearch/tokens/bench"
	"github.com/go-aisearch/tokens/contract"
)

// fixtureInteractions are the contract suite's recorded interactions, the
// seed corpus of every target (none until the suite has recorded them).
func fixtureInteractions() []contract.Interaction {
	ixs, _, err := bench.FixtureInteractions()
	if err != nil {
		return nil
	}
	return ixs
}

// Canned bodies for the seeds that do not depend on the fixtures.
var cannedBodies = []string{
	`{"success":true,"errors":[],"messages":[],"result":{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"c","created_at":"2024-01-02T03:04:05Z","modified_at":"2024-01-02T03:04:05Z","created_by":null,"modified_by":null,"enabled":true,"legacy":true}}`,
	`{"success":true,"result":[{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"c","created_at":"2024-01-02T03:04:05Z","modified_at":"2024-01-02T03:04:05Z"}],"result_info":{"page":1,"per_page":20,"count":1,"total_count":1}}`,
	`{"success":true,"errors":[],"messages":[],"result":{}}`,
	`{"success":false,"errors":[{"code":10000,"message":"Authentication error"}],"messages":[]}`,
	`{"success":false,"errors":[{"code":10001,"message":"per_page: number must be at most 100","path":["query","per_page"]}]}`,
	`{"success":false,"errors":[{"code":971,"message":"Please wait"}]}`,
	`{"success":true,"result":null}`,
	`{"success":true,"result":[null],"result_info":null}`,
	`<html>502 Bad Gateway</html>`,
	``,
	`{`,
	`[]`,
	`{"success":"yes","errors":{"code":1}}`,
}
