package interop_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/ai_search"
	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// Request fields of the instance and job services (see fieldOf).
var (
	nsInstanceType = fieldOf[ai_search.NamespaceInstanceNewParamsType](ai_search.NamespaceInstanceNewParams{}.Type)
	instanceType   = fieldOf[ai_search.InstanceNewParamsType](ai_search.InstanceNewParams{}.Type)
	cancelAction   = fieldOf[ai_search.NamespaceInstanceJobUpdateParamsAction](ai_search.NamespaceInstanceJobUpdateParams{}.Action)
)

// cloudflare-go v6 drives the AI Search namespace, instance and job
// services against the emulator: every method of the 24 operations it has
// (it has none for move, nor for the account-level job cancel), each
// exchange valid against openapi.yaml, each answer decoded as the SDK
// types it. The registration is made by aisearch.Provision; jobs run on
// the emulator's clock.
func TestSDKInstancesJobsAndNamespaces(t *testing.T) {
	clock := testsupport.NewClock(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)) // jobs run on it
	ts := emulator.NewTestServer(t, emulator.WithClock(clock.Now))
	w := newWire(t)
	sdk := newSDK(t, ts, w, option.WithMaxRetries(0)) // a 429 is the answer to look at, not to retry
	ctx := context.Background()
	acc := str(ts.AccountID)
	c, err := aisearch.New(ts.AccountID, aisearch.WithAPIToken(ts.APIToken), aisearch.WithBaseURL(ts.BaseURL),
		aisearch.WithHTTPClient(&http.Client{Transport: newWire(t)}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Provision(ctx, aisearch.ServiceTokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reg := p.Registration.ID
	ns := sdk.AISearch.Namespaces

	// Namespaces: create, read, update, list.
	created, err := ns.New(ctx, ai_search.NamespaceNewParams{AccountID: acc, Name: str("prod"), Description: str("production")})
	if err != nil || created.Name != "prod" || created.Description != "production" || created.CreatedAt.IsZero() {
		t.Fatalf("Namespaces.New: %+v, %v", created, err)
	}
	if got, err := ns.Read(ctx, "prod", ai_search.NamespaceReadParams{AccountID: acc}); err != nil || got.Name != "prod" {
		t.Errorf("Namespaces.Read: %+v, %v", got, err)
	}
	if got, err := ns.Update(ctx, "prod", ai_search.NamespaceUpdateParams{AccountID: acc, Description: str("prod, v2")}); err != nil || got.Description != "prod, v2" {
		t.Errorf("Namespaces.Update: %+v, %v", got, err)
	}
	names := keys(t, ns.ListAutoPaging(ctx, ai_search.NamespaceListParams{AccountID: acc}),
		func(n ai_search.NamespaceListResponse) string { return n.Name })
	if !slices.Equal(names, []string{"prod"}) {
		t.Errorf("Namespaces.ListAutoPaging: %v (the list leaves default out)", names)
	}

	// Instances through the namespaced routes, as wrangler calls them.
	in := ns.Instances
	docs, err := in.New(ctx, "default", ai_search.NamespaceInstanceNewParams{AccountID: acc, ID: str("docs"),
		Type: nsInstanceType(ai_search.NamespaceInstanceNewParamsTypeR2), Source: str("docs-bucket"), TokenID: str(reg)})
	if err != nil || docs.ID != "docs" || docs.TokenID != reg || docs.Status != "waiting" || docs.Namespace != "default" || docs.SyncInterval != 21600 {
		t.Fatalf("Namespaces.Instances.New: %+v, %v", docs, err)
	}
	if _, err := in.New(ctx, "prod", ai_search.NamespaceInstanceNewParams{AccountID: acc, ID: str("blog"),
		Type: nsInstanceType(ai_search.NamespaceInstanceNewParamsTypeWebCrawler), Source: str("https://example.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.New(ctx, "default", ai_search.NamespaceInstanceNewParams{AccountID: acc, ID: str("bad"), TokenID: str("00000000-0000-4000-8000-000000000000")}); !hasCode(err, 400, 7012) {
		t.Errorf("an unknown token_id: %v, want 400 code 7012", err)
	}
	if got, err := in.Read(ctx, "prod", "blog", ai_search.NamespaceInstanceReadParams{AccountID: acc}); err != nil || got.TokenID != reg || got.Namespace != "prod" {
		t.Errorf("Namespaces.Instances.Read (token_id defaults to the account's registration): %+v, %v", got, err)
	}
	if _, err := in.Read(ctx, "default", "nope", ai_search.NamespaceInstanceReadParams{AccountID: acc}); !hasCode(err, 404, 7002) {
		t.Errorf("an unknown instance: %v, want 404 code 7002", err)
	}
	if got, err := in.Update(ctx, "default", "docs", ai_search.NamespaceInstanceUpdateParams{AccountID: acc, ChunkSize: int64F(512)}); err != nil || got.ChunkSize != 512 || got.TokenID != reg {
		t.Errorf("Namespaces.Instances.Update: %+v, %v", got, err)
	}
	ids := keys(t, in.ListAutoPaging(ctx, "prod", ai_search.NamespaceInstanceListParams{AccountID: acc, PerPage: int64F(1)}),
		func(i ai_search.NamespaceInstanceListResponse) string { return i.ID })
	if !slices.Equal(ids, []string{"blog"}) {
		t.Errorf("Namespaces.Instances.ListAutoPaging(prod): %v", ids)
	}

	// Jobs on the namespaced routes: one that ends well on the clock, the
	// 30 s cooldown, a cancel, logs.
	jobs := in.Jobs
	j, err := jobs.New(ctx, "default", "docs", ai_search.NamespaceInstanceJobNewParams{AccountID: acc, Description: str("first")})
	if err != nil || j.ID == "" || j.EndedAt != "" || j.Source != "user" || j.Description != "first" {
		t.Fatalf("Jobs.New: %+v, %v", j, err)
	}
	clock.Advance(emulator.DefaultJobDuration)
	if got, err := jobs.Get(ctx, "default", "docs", j.ID, ai_search.NamespaceInstanceJobGetParams{AccountID: acc}); err != nil || got.EndedAt == "" || got.EndReason != "" {
		t.Errorf("Jobs.Get after the job's duration: %+v, %v (want ended, no end_reason)", got, err)
	}
	if _, err := jobs.New(ctx, "default", "docs", ai_search.NamespaceInstanceJobNewParams{AccountID: acc}); !hasCode(err, 429, 7020) {
		t.Errorf("a second job within 30 s: %v, want 429 code 7020", err)
	}
	clock.Advance(30 * time.Second)
	second, err := jobs.New(ctx, "default", "docs", ai_search.NamespaceInstanceJobNewParams{AccountID: acc})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, err := jobs.Update(ctx, "default", "docs", second.ID, ai_search.NamespaceInstanceJobUpdateParams{AccountID: acc, Action: cancelAction(ai_search.NamespaceInstanceJobUpdateParamsActionCancel)})
	if err != nil || cancelled.EndReason != emulator.EndReasonCancelled || cancelled.EndedAt == "" {
		t.Errorf("Jobs.Update (cancel): %+v, %v", cancelled, err)
	}
	if _, err := jobs.Update(ctx, "default", "docs", second.ID, ai_search.NamespaceInstanceJobUpdateParams{AccountID: acc, Action: cancelAction(ai_search.NamespaceInstanceJobUpdateParamsActionCancel)}); !hasCode(err, 400, 7046) {
		t.Errorf("cancel an ended job: %v, want 400 code 7046", err)
	}
	listed := keys(t, jobs.ListAutoPaging(ctx, "default", "docs", ai_search.NamespaceInstanceJobListParams{AccountID: acc}),
		func(j ai_search.NamespaceInstanceJobListResponse) string { return j.ID })
	if !slices.Equal(listed, []string{second.ID, j.ID}) {
		t.Errorf("Jobs.ListAutoPaging: %v, want newest first", listed)
	}
	logs, err := jobs.Logs(ctx, "default", "docs", j.ID, ai_search.NamespaceInstanceJobLogsParams{AccountID: acc})
	if err != nil || len(*logs) != 3 || (*logs)[0].Message != "Indexing started" || (*logs)[0].CreatedAt == 0 {
		t.Errorf("Jobs.Logs: %+v, %v", logs, err)
	}

	// The account-level routes address the namespace default.
	acct := sdk.AISearch.Instances
	if got, err := acct.Read(ctx, "docs", ai_search.InstanceReadParams{AccountID: acc}); err != nil || got.ChunkSize != 512 {
		t.Errorf("Instances.Read: %+v, %v", got, err)
	}
	if _, err := acct.New(ctx, ai_search.InstanceNewParams{AccountID: acc, ID: str("legacy"), Type: instanceType(ai_search.InstanceNewParamsTypeR2), Source: str("b"), TokenID: str(reg)}); err != nil {
		t.Fatalf("Instances.New: %v", err)
	}
	if got, err := acct.Update(ctx, "legacy", ai_search.InstanceUpdateParams{AccountID: acc, MaxNumResults: int64F(20)}); err != nil || got.MaxNumResults != 20 {
		t.Errorf("Instances.Update: %+v, %v", got, err)
	}
	every := keys(t, acct.ListAutoPaging(ctx, ai_search.InstanceListParams{AccountID: acc}),
		func(i ai_search.InstanceListResponse) string { return i.Namespace + "/" + i.ID })
	slices.Sort(every)
	if !slices.Equal(every, []string{"default/docs", "default/legacy", "prod/blog"}) {
		t.Errorf("Instances.ListAutoPaging (every namespace): %v", every)
	}
	aj, err := acct.Jobs.New(ctx, "legacy", ai_search.InstanceJobNewParams{AccountID: acc})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(emulator.DefaultJobDuration)
	if got, err := acct.Jobs.Get(ctx, "legacy", aj.ID, ai_search.InstanceJobGetParams{AccountID: acc}); err != nil || got.EndedAt == "" {
		t.Errorf("Instances.Jobs.Get: %+v, %v", got, err)
	}
	if page, err := acct.Jobs.List(ctx, "legacy", ai_search.InstanceJobListParams{AccountID: acc}); err != nil || len(page.Result) != 1 {
		t.Errorf("Instances.Jobs.List: %+v, %v", page, err)
	}
	if lines, err := acct.Jobs.Logs(ctx, "legacy", aj.ID, ai_search.InstanceJobLogsParams{AccountID: acc}); err != nil || len(*lines) != 3 {
		t.Errorf("Instances.Jobs.Logs: %+v, %v", lines, err)
	}
	if gone, err := acct.Delete(ctx, "legacy", ai_search.InstanceDeleteParams{AccountID: acc}); err != nil || gone.ID != "legacy" {
		t.Errorf("Instances.Delete: %+v, %v", gone, err)
	}

	// A registration in use cannot be deleted (409 7076) until its
	// instances are gone; a namespace must be empty to be deleted (7066).
	tokens := sdk.AISearch.Tokens
	if _, err := tokens.Delete(ctx, reg, ai_search.TokenDeleteParams{AccountID: acc}); !hasCode(err, 409, 7076) {
		t.Errorf("delete a registration in use: %v, want 409 code 7076", err)
	}
	if _, err := ns.Delete(ctx, "prod", ai_search.NamespaceDeleteParams{AccountID: acc}); !hasCode(err, 400, 7066) {
		t.Errorf("delete a namespace that holds an instance: %v, want 400 code 7066", err)
	}
	for _, x := range [][2]string{{"default", "docs"}, {"prod", "blog"}} {
		if gone, err := in.Delete(ctx, x[0], x[1], ai_search.NamespaceInstanceDeleteParams{AccountID: acc}); err != nil || gone.ID != x[1] {
			t.Errorf("Namespaces.Instances.Delete %s/%s: %+v, %v", x[0], x[1], gone, err)
		}
	}
	if _, err := ns.Delete(ctx, "prod", ai_search.NamespaceDeleteParams{AccountID: acc}); err != nil {
		t.Errorf("Namespaces.Delete: %v", err)
	}
	if _, err := tokens.Delete(ctx, reg, ai_search.TokenDeleteParams{AccountID: acc}); err != nil {
		t.Errorf("delete the registration once no instance uses it: %v", err)
	}

	// Every route the SDK called, and no other: 24 operations minus the
	// ones this test has no call for.
	seen := map[string]bool{}
	for _, c := range w.since(0) {
		seen[c.method+" "+routeOf(c.path, ts.AccountID)] = true
	}
	for _, want := range []string{
		"GET /namespaces", "POST /namespaces", "GET /namespaces/N", "PUT /namespaces/N", "DELETE /namespaces/N",
		"GET /namespaces/N/instances", "POST /namespaces/N/instances", "GET /namespaces/N/instances/I", "PUT /namespaces/N/instances/I", "DELETE /namespaces/N/instances/I",
		"GET /namespaces/N/instances/I/jobs", "POST /namespaces/N/instances/I/jobs", "GET /namespaces/N/instances/I/jobs/J", "PATCH /namespaces/N/instances/I/jobs/J", "GET /namespaces/N/instances/I/jobs/J/logs",
		"GET /instances", "POST /instances", "GET /instances/I", "PUT /instances/I", "DELETE /instances/I",
		"GET /instances/I/jobs", "POST /instances/I/jobs", "GET /instances/I/jobs/J", "GET /instances/I/jobs/J/logs",
	} {
		if !seen[want] {
			t.Errorf("the SDK never called %s", want)
		}
	}
}

// routeOf is an AI Search path with its names replaced by N (namespace), I
// (instance) and J (job).
func routeOf(path, account string) string {
	rest, ok := strings.CutPrefix(path, "/client/v4/accounts/"+account+"/ai-search")
	if !ok {
		return path
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	for i := 1; i < len(parts); i += 2 {
		switch parts[i-1] {
		case "namespaces":
			parts[i] = "N"
		case "instances":
			parts[i] = "I"
		case "jobs":
			parts[i] = "J"
		}
	}
	return "/" + strings.Join(parts, "/")
}

// hasCode reports whether err is the SDK's error for an answer with this
// status whose first error has this code.
func hasCode(err error, status int, code int64) bool {
	var e *apiErr
	return errors.As(err, &e) && e.StatusCode == status && len(e.Errors) > 0 && e.Errors[0].Code == code
}
