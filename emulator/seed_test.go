package emulator_test

import (
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
)

func TestSeedExample(t *testing.T) {
	t.Parallel()
	f, err := emulator.ReadSeedFile("testdata/seed.example.json")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	srv, err := emulator.New(emulator.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	if !srv.Empty() {
		t.Fatal("new server not empty")
	}
	if err := srv.SeedFrom(f); err != nil {
		t.Fatal(err)
	}
	got := srv.Tokens(account)
	if len(got) != 2 || len(srv.Tokens(other)) != 1 || srv.Empty() {
		t.Fatalf("seeded %+v", got)
	}
	first, second := got[0], got[1]
	if first.Legacy || !first.Enabled || first.InUseBy[0] != "docs-search" || !first.CreatedAt.Equal(time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("first %+v", first)
	}
	if !second.Legacy || !second.Enabled || !second.CreatedAt.Equal(now) || !second.ModifiedAt.Equal(now) || second.InUseBy != nil {
		t.Errorf("defaults not applied: %+v", second)
	}
	if !srv.KeyMatches(account, second.ID, "example-not-a-real-key-2") {
		t.Error("seeded key does not match")
	}
	if err := srv.SeedFrom(f); err == nil {
		t.Error("seeding the same ids twice succeeded")
	}
}

func TestSeedErrors(t *testing.T) {
	t.Parallel()
	const ok = `"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"`
	cases := map[string]string{
		"not json":        `{`,
		"unknown field":   `{"accounts":{"a":{"tokens":[{` + ok + `,"nmae":"x"}]}}}`,
		"bad uuid":        `{"accounts":{"a":{"tokens":[{"id":"x","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]}}}`,
		"upper uuid":      `{"accounts":{"a":{"tokens":[{"id":"62AF0DB3-C410-40B2-9EE3-0E93F6DD1DE0","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]}}}`,
		"missing name":    `{"accounts":{"a":{"tokens":[{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]}}}`,
		"missing key":     `{"accounts":{"a":{"tokens":[{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"i"}]}}}`,
		"duplicate id":    `{"accounts":{"a":{"tokens":[{` + ok + `},{` + ok + `}]}}}`,
		"empty account":   `{"accounts":{"":{"tokens":[{` + ok + `}]}}}`,
		"empty instance":  `{"accounts":{"a":{"tokens":[{` + ok + `,"in_use_by":[""]}]}}}`,
		"bad created_at":  `{"accounts":{"a":{"tokens":[{` + ok + `,"created_at":"yesterday"}]}}}`,
		"trailing object": `{"accounts":{}} {}`,
	}
	for name, in := range cases {
		_, err := emulator.ParseSeed([]byte(in))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), "SECRETVALUE") {
			t.Errorf("%s: error quotes the key: %v", name, err)
		}
	}
	if _, err := emulator.ParseSeed([]byte(`{"accounts":{"a":{"tokens":[{` + ok + `}]}}}`)); err != nil {
		t.Errorf("minimal seed: %v", err)
	}
}
