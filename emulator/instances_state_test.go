package emulator_test

import (
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
)

// The example seed file's namespaces, instances and jobs load as
// documented, and the API answers them.
func TestSeedExampleAISearch(t *testing.T) {
	t.Parallel()
	f, err := emulator.ReadSeedFile("testdata/seed.example.json")
	if err != nil {
		t.Fatal(err)
	}
	e := startAIS(t)
	if err := e.srv.SeedFrom(f); err != nil {
		t.Fatal(err)
	}
	ins := e.srv.Instances(account)
	if len(ins) != 3 {
		t.Fatalf("instances %+v", ins)
	}
	docs, blog, staging := ins[0], ins[1], ins[2]
	switch {
	case docs.ID != "docs-search" || docs.Type != "" || docs.TokenID != "62af0db3-c410-40b2-9ee3-0e93f6dd1de0":
		t.Errorf("in_use_by's instance: %+v", docs)
	case blog.Type != "r2" || *blog.Fields.Source != "blog-bucket" || *blog.Fields.EmbeddingModel != "@cf/baai/bge-m3" || *blog.Fields.ChunkSize != 512 ||
		!blog.Fields.Reranking || !blog.CreatedAt.Equal(time.Date(2026, 1, 15, 9, 45, 0, 0, time.UTC)):
		t.Errorf("blog: %+v", blog.Fields)
	case blog.Status != emulator.StatusError:
		t.Errorf("blog's last job failed, its status is %s", blog.Status)
	case staging.Namespace != "staging" || staging.Type != "web-crawler" || !staging.Fields.Paused || staging.TokenID != "62af0db3-c410-40b2-9ee3-0e93f6dd1de0" || staging.Status != emulator.StatusWaiting:
		t.Errorf("staging/blog (the oldest registration by default): %+v", staging)
	}
	jobs := e.srv.Jobs(account, "default", "blog")
	if len(jobs) != 2 || !jobs[0].EndedWell() || jobs[0].Description != "first sync" || jobs[1].Source != "schedule" ||
		!errors.Is(jobs[1].Err, emulator.ErrValueRolled) || jobs[1].EndReason != emulator.EndReasonValueRolled {
		t.Fatalf("jobs %+v", jobs)
	}
	if ns := e.srv.Namespaces(account); len(ns) != 2 || ns[1].Name != "staging" || ns[1].Description != "Staging environment" || !slices.Equal(ns[1].Instances, []string{"blog"}) {
		t.Fatalf("namespaces %+v", ns)
	}
	var listed []wireJob
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/default/instances/blog/jobs"), "", &listed)
	if len(listed) != 2 || *listed[0].EndReason != "service_token_value_rolled" || *listed[1].EndedAt != "2026-01-15T10:03:00.000Z" {
		t.Fatalf("listed jobs %+v", listed)
	}
	// Its registration is in use by the three instances.
	if got := e.srv.Tokens(account)[0].InUseBy; !slices.Equal(got, []string{"docs-search", "blog", "staging/blog"}) {
		t.Fatalf("in use by %v", got)
	}
}

func TestSeedAISearchErrors(t *testing.T) {
	t.Parallel()
	const reg = `"tokens":[{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"i","cf_api_key":"SECRETVALUE"}]`
	for name, acct := range map[string]string{
		"bad namespace":       `"namespaces":[{"name":"Prod"}]`,
		"default namespace":   `"namespaces":[{"name":"default"}]`,
		"twice a namespace":   `"namespaces":[{"name":"a"},{"name":"a"}]`,
		"bad instance id":     `"instances":[{"id":"Docs"}]`,
		"no such namespace":   `"instances":[{"namespace":"nope","id":"docs"}]`,
		"bad type":            `"instances":[{"id":"docs","type":"s3","source":"b"}]`,
		"type without source": `"instances":[{"id":"docs","type":"r2"}]`,
		"unknown token_id":    `"instances":[{"id":"docs","token_id":"00000000-0000-4000-8000-000000000000"}]`,
		"twice an instance":   `"instances":[{"id":"docs"},{"namespace":"default","id":"docs"}]`,
		"unknown setting":     `"instances":[{"id":"docs","settings":{"chunky":true}}]`,
		"job of nothing":      `"jobs":[{"instance":"docs"}]`,
		"job of built-in":     `"instances":[{"id":"docs"}],"jobs":[{"instance":"docs"}]`,
		"bad job source":      `"instances":[{"id":"docs","type":"r2","source":"b"}],"jobs":[{"instance":"docs","source":"cron"}]`,
		"reason, no end":      `"instances":[{"id":"docs","type":"r2","source":"b"}],"jobs":[{"instance":"docs","end_reason":"x"}]`,
	} {
		_, err := emulator.ParseSeed([]byte(`{"accounts":{"a":{` + reg + `,` + acct + `}}}`))
		if !errors.Is(err, emulator.ErrInvalid) && (err == nil || !strings.Contains(err.Error(), "unknown field")) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// What only a store can tell: an instance of a type with no
	// registration, a job that ends before it starts, a job id used twice.
	srv, err := emulator.New()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.SeedAccount(account, emulator.SeedAccount{Instances: []emulator.SeedInstance{{ID: "docs", Type: "r2", Source: "b"}}}); err == nil || !strings.Contains(err.Error(), "code 7012") {
		t.Errorf("a typed instance without a registration: %v", err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err = srv.SeedAccount(account, emulator.SeedAccount{
		Instances: []emulator.SeedInstance{{ID: "web"}},
		Jobs:      []emulator.SeedJob{{Instance: "web", StartedAt: start, EndedAt: start.Add(-time.Second)}},
	})
	if err == nil {
		t.Error("a job of a built-in instance was seeded")
	}
}

// Namespaces, instances (every setting) and jobs survive a restart with
// --state, and a job keeps running on the new server's clock.
func TestInstancesSurviveRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.log")
	clock := newSetClock()
	open := func() *emulator.Server {
		srv, err := emulator.New(emulator.WithStateFile(path), emulator.WithClock(clock.Now), emulator.WithJobDuration(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	s1 := open()
	if err := s1.SeedAPITokens(emulator.UserOwner, seedAPIToken("66666666666666666666666666666666", "v6", account, emulator.AISearchIndexEngineGroupID)); err != nil {
		t.Fatal(err)
	}
	err := s1.SeedAccount(account, emulator.SeedAccount{
		Tokens:     []emulator.SeedToken{{ID: "00000000-0000-4000-8000-000000000006", Name: "svc", CfAPIID: "66666666666666666666666666666666", CfAPIKey: "v6"}},
		Namespaces: []emulator.SeedNamespace{{Name: "prod"}},
		Instances:  []emulator.SeedInstance{{Namespace: "prod", ID: "site", Type: "web-crawler", Source: "https://example.com", Paused: true}},
	})
	if err != nil {
		t.Fatal(err)
	}
	running, err := s1.StartJob(account, "prod", "site")
	if err != nil {
		t.Fatal(err)
	}
	before := s1.Instances(account)
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		s2 := open()
		if after := s2.Instances(account); mustJSON(after) != mustJSON(before) {
			t.Errorf("round %d: instances\n%s\nwant\n%s", round, mustJSON(after), mustJSON(before))
		}
		if ns := s2.Namespaces(account); len(ns) != 2 || ns[1].Name != "prod" {
			t.Errorf("round %d: namespaces %+v", round, ns)
		}
		if j, err := s2.Job(account, "prod", "site", running.ID); err != nil || !j.Running {
			t.Errorf("round %d: job %+v %v", round, j, err)
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Minute)
	s3 := open()
	defer s3.Close()
	if j, err := s3.Job(account, "prod", "site", running.ID); err != nil || !j.EndedWell() {
		t.Fatalf("after its duration: %+v %v", j, err)
	}
	if got := s3.Instances(account)[0].Status; got != emulator.StatusActive {
		t.Fatalf("status %s", got)
	}
}
