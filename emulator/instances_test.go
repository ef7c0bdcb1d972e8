package emulator_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

// ais is an emulator on a hand-moved clock, served through the checking
// middleware (every answer must satisfy openapi.yaml), for the AI Search
// instance, job and namespace operations.
type ais struct {
	*checked
	clock *testsupport.Clock
}

func startAIS(t *testing.T, opts ...emulator.Option) *ais {
	t.Helper()
	clock := newSetClock()
	return &ais{checked: start(t, append([]emulator.Option{emulator.WithClock(clock.Now)}, opts...)...), clock: clock}
}

// aisPath is a path under the account's /ai-search.
func aisPath(format string, args ...any) string {
	return "/accounts/" + account + "/ai-search" + fmt.Sprintf(format, args...)
}

// send sends a request with the test's credential and decodes the
// envelope.
func (e *ais) send(t *testing.T, method, path, body string) (int, http.Header, wireEnvelope) {
	t.Helper()
	status, h, b := e.do(t, method, path, body, jsonAuth)
	var env wireEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatalf("%s %s: %d, not an envelope: %s", method, path, status, b)
	}
	return status, h, env
}

// ok sends a request that must answer status, and decodes its result
// into out (when not nil).
func (e *ais) ok(t *testing.T, status int, method, path, body string, out any) wireEnvelope {
	t.Helper()
	got, _, env := e.send(t, method, path, body)
	if got != status || env.Success == nil || !*env.Success {
		t.Fatalf("%s %s: %d %+v, want %d", method, path, got, env.Errors, status)
	}
	if out != nil {
		if err := json.Unmarshal(env.Result, out); err != nil {
			t.Fatalf("%s %s: result: %v: %s", method, path, err, env.Result)
		}
	}
	return env
}

// fails sends a request that must fail with status and code (and message,
// when not "").
func (e *ais) fails(t *testing.T, status, code int, message, method, path, body string) wireEnvelope {
	t.Helper()
	got, _, env := e.send(t, method, path, body)
	if got != status || env.Success == nil || *env.Success || len(env.Errors) != 1 || env.Errors[0].Code != code || message != "" && env.Errors[0].Message != message {
		t.Fatalf("%s %s: %d %+v, want %d code %d %s", method, path, got, env.Errors, status, code, message)
	}
	return env
}

// register registers a working service credential: a user API token with
// the groups an r2 instance needs on the account. It returns the
// registration's id and the API token's id.
func (e *ais) register(t *testing.T, name string) (regID, apiTokenID string) {
	t.Helper()
	id, value := e.mintServiceToken(t, name, account)
	var reg struct{ ID string }
	e.ok(t, http.StatusCreated, "POST", aisPath("/tokens"), fmt.Sprintf(`{"name":%q,"cf_api_id":%q,"cf_api_key":%q}`, name, id, value), &reg)
	return reg.ID, id
}

// mintServiceToken creates a user API token granting AI Search Index
// Engine and Workers R2 Storage Write on acct, and returns its id and
// value.
func (e *ais) mintServiceToken(t *testing.T, name, acct string) (id, value string) {
	t.Helper()
	var tok struct{ ID, Value string }
	status, b := e.call(t, "POST", "/user/tokens", serviceTokenBody(name, acct, emulator.AISearchIndexEngineGroupID, emulator.WorkersR2StorageWriteGroupID), jsonAuth, &struct {
		Result any `json:"result"`
	}{&tok})
	if status != http.StatusOK {
		t.Fatalf("mint %s: %d %s", name, status, b)
	}
	return tok.ID, tok.Value
}

// serviceTokenBody is an API token create body whose one policy allows
// groups on acct.
func serviceTokenBody(name, acct string, groups ...string) string {
	return mustJSON(generated.APITokenCreate{Name: name, Policies: []generated.Policy{allow(acct, groups...)}})
}

// wireInstance is what the tests read of an instance.
type wireInstance struct {
	ID             string  `json:"id"`
	Type           *string `json:"type"`
	Source         *string `json:"source"`
	TokenID        *string `json:"token_id"`
	Namespace      *string `json:"namespace"`
	Status         string  `json:"status"`
	Enable         bool    `json:"enable"`
	Paused         bool    `json:"paused"`
	Cache          bool    `json:"cache"`
	CacheThreshold string  `json:"cache_threshold"`
	CacheTTL       int     `json:"cache_ttl"`
	ChunkOverlap   int     `json:"chunk_overlap"`
	ChunkSize      *int    `json:"chunk_size"`
	MaxNumResults  int     `json:"max_num_results"`
	ScoreThreshold float64 `json:"score_threshold"`
	FusionMethod   string  `json:"fusion_method"`
	IndexMethod    struct {
		Vector, Keyword bool
	} `json:"index_method"`
	SyncInterval   int        `json:"sync_interval"`
	EngineVersion  float64    `json:"engine_version"`
	Chunk          *bool      `json:"chunk"`
	Summarization  *bool      `json:"summarization"`
	EmbeddingModel *string    `json:"embedding_model"`
	LastActivity   *time.Time `json:"last_activity"`
	CreatedAt      time.Time  `json:"created_at"`
	ModifiedAt     time.Time  `json:"modified_at"`
	PublicEndpoint *struct {
		Enabled       *bool     `json:"enabled"`
		CustomDomains *[]string `json:"custom_domains"`
	} `json:"public_endpoint_params"`
}

func TestInstanceLifecycleBothRouteFamilies(t *testing.T) {
	t.Parallel()
	e := startAIS(t)
	reg, _ := e.register(t, "svc")

	var in wireInstance
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/default/instances"),
		fmt.Sprintf(`{"id":"docs","type":"r2","source":"my-bucket","token_id":%q,"chunk_size":256,"hybrid_search_enabled":true}`, reg), &in)
	switch {
	case in.ID != "docs" || *in.Type != "r2" || *in.Source != "my-bucket" || *in.TokenID != reg || *in.Namespace != "default":
		t.Fatalf("create: %+v", in)
	case in.Status != emulator.StatusWaiting:
		t.Fatalf("a new instance is %q, want waiting (Terraform plans it so)", in.Status)
	case !in.Enable || in.Paused || !in.Cache || in.CacheThreshold != "close_enough" || in.CacheTTL != 172800 ||
		in.ChunkOverlap != 10 || *in.ChunkSize != 256 || in.MaxNumResults != 10 || in.ScoreThreshold != 0.4 ||
		in.FusionMethod != "rrf" || !in.IndexMethod.Vector || in.IndexMethod.Keyword || in.SyncInterval != 21600 ||
		in.EngineVersion != 3 || in.LastActivity != nil || !in.CreatedAt.Equal(e.clock.Now()) || !in.ModifiedAt.Equal(in.CreatedAt):
		t.Fatalf("create: the defaults are not the documented ones: %+v", in)
	}

	// Both families address the same instance ("default" at account level).
	var got wireInstance
	e.ok(t, http.StatusOK, "GET", aisPath("/instances/docs"), "", &got)
	if got.ID != "docs" || *got.TokenID != reg {
		t.Fatalf("account-level get: %+v", got)
	}
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/default/instances/docs"), "", &got)

	// An update changes what it names and keeps the rest; the list shows
	// the fields the answer's schema lacks (chunk, summarization).
	e.clock.Advance(time.Minute)
	e.ok(t, http.StatusOK, "PUT", aisPath("/instances/docs"), `{"paused":true,"max_num_results":20,"chunk":false,"summarization":true,"hybrid_search_enabled":false}`, &got)
	if !got.Paused || got.MaxNumResults != 20 || *got.ChunkSize != 256 || *got.Source != "my-bucket" || !got.ModifiedAt.Equal(e.clock.Now()) || !got.CreatedAt.Equal(in.CreatedAt) {
		t.Fatalf("update: %+v", got)
	}
	var list []wireInstance
	e.ok(t, http.StatusOK, "GET", aisPath("/instances"), "", &list)
	if len(list) != 1 || *list[0].Chunk || !*list[0].Summarization || !list[0].Paused || list[0].Status != "waiting" {
		t.Fatalf("list: %+v", list)
	}
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/default/instances"), "", &list)
	if len(list) != 1 {
		t.Fatalf("namespaced list: %+v", list)
	}

	// Delete answers the deleted instance; then every operation says 7002.
	e.ok(t, http.StatusOK, "DELETE", aisPath("/namespaces/default/instances/docs"), "", &got)
	if got.ID != "docs" || !got.Paused {
		t.Fatalf("delete answered %+v", got)
	}
	for _, op := range [][3]string{
		{"GET", "/instances/docs", ""}, {"PUT", "/instances/docs", `{"paused":false}`}, {"DELETE", "/instances/docs", ""},
		{"GET", "/namespaces/default/instances/docs", ""}, {"DELETE", "/namespaces/default/instances/docs", ""},
		{"PATCH", "/namespaces/default/instances/docs", `{"new_namespace":"default"}`},
		{"GET", "/instances/docs/jobs", ""}, {"POST", "/instances/docs/jobs", ""}, {"GET", "/instances/nope/jobs/x", ""},
		{"GET", "/instances/docs/jobs/x/logs", ""}, {"PATCH", "/instances/docs/jobs/x", `{"action":"cancel"}`},
	} {
		e.fails(t, http.StatusNotFound, emulator.CodeAISearchNotFound, "ai_search_not_found", op[0], aisPath("%s", op[1]), op[2])
	}
}

func TestInstanceTokenID(t *testing.T) {
	t.Parallel()
	e := startAIS(t)

	// No registration: an instance with a type is refused, a built-in one
	// has no token_id.
	e.fails(t, http.StatusBadRequest, emulator.CodeInvalidToken, "ai_search_instance_invalid_token",
		"POST", aisPath("/instances"), `{"id":"docs","type":"r2","source":"b"}`)
	var in wireInstance
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"builtin"}`, &in)
	if in.TokenID != nil || in.Type != nil {
		t.Fatalf("a built-in instance without registrations: %+v", in)
	}

	first, _ := e.register(t, "first")
	e.clock.Advance(time.Second)
	second, _ := e.register(t, "second")

	// An unknown token_id, or one of another account, is 7012 on create
	// and update.
	var foreign struct{ ID string }
	tokID, value := e.mintServiceToken(t, "other", other)
	e.ok(t, http.StatusCreated, "POST", "/accounts/"+other+"/ai-search/tokens", fmt.Sprintf(`{"name":"o","cf_api_id":%q,"cf_api_key":%q}`, tokID, value), &foreign)
	for _, id := range []string{"00000000-0000-4000-8000-000000000000", foreign.ID} {
		e.fails(t, http.StatusBadRequest, emulator.CodeInvalidToken, "ai_search_instance_invalid_token",
			"POST", aisPath("/instances"), fmt.Sprintf(`{"id":"docs","type":"r2","source":"b","token_id":%q}`, id))
		e.fails(t, http.StatusBadRequest, emulator.CodeInvalidToken, "ai_search_instance_invalid_token",
			"PUT", aisPath("/instances/builtin"), fmt.Sprintf(`{"token_id":%q}`, id))
	}

	// Without token_id: the oldest enabled registration, whatever came
	// later (wrangler never sends token_id).
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/default/instances"), `{"id":"docs","type":"r2","source":"b"}`, &in)
	if in.TokenID == nil || *in.TokenID != first {
		t.Fatalf("token_id %v, want the oldest registration %s", in.TokenID, first)
	}
	// An update may point it elsewhere.
	e.ok(t, http.StatusOK, "PUT", aisPath("/instances/docs"), fmt.Sprintf(`{"token_id":%q}`, second), &in)
	if *in.TokenID != second {
		t.Fatalf("update: token_id %s, want %s", *in.TokenID, second)
	}
	if got := e.srv.Instances(account); len(got) != 2 || got[1].TokenID != second {
		t.Fatalf("stored: %+v", got)
	}
}

// The acceptance: deleting a registration an instance uses is a 409 (code
// 7076; InUseBy names the instances, as the log does); once the instances
// are gone, the delete succeeds.
func TestRegistrationInUseByAnInstance(t *testing.T) {
	t.Parallel()
	e := startAIS(t)
	reg, _ := e.register(t, "svc")
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/default/instances"), fmt.Sprintf(`{"id":"docs","type":"r2","source":"b","token_id":%q}`, reg), nil)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces"), `{"name":"prod"}`, nil)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/prod/instances"), fmt.Sprintf(`{"id":"docs","type":"r2","source":"b","token_id":%q}`, reg), nil)

	e.fails(t, http.StatusConflict, emulator.CodeInUse, "token_in_use_by_instances", "DELETE", aisPath("/tokens/%s", reg), "")
	if got := e.srv.Tokens(account)[0].InUseBy; !slices.Equal(got, []string{"docs", "prod/docs"}) {
		t.Fatalf("InUseBy %v", got)
	}
	e.ok(t, http.StatusOK, "DELETE", aisPath("/instances/docs"), "", nil)
	e.fails(t, http.StatusConflict, emulator.CodeInUse, "", "DELETE", aisPath("/tokens/%s", reg), "")
	e.ok(t, http.StatusOK, "DELETE", aisPath("/namespaces/prod/instances/docs"), "", nil)
	e.ok(t, http.StatusOK, "DELETE", aisPath("/tokens/%s", reg), "", nil)
}

func TestInstanceCreateRules(t *testing.T) {
	t.Parallel()
	e := startAIS(t, emulator.WithMaxInstances(2))
	e.register(t, "svc")
	for _, id := range []string{"Docs", "a b", "a.b", strings.Repeat("a", 65), ""} {
		env := e.fails(t, http.StatusBadRequest, emulator.CodeValidation, "", "POST", aisPath("/instances"), fmt.Sprintf(`{"id":%q}`, id))
		// The spec's own limits (kin-openapi, inside an allOf) say only
		// "body"; the alphabet (the emulator's check) says "id".
		if p := env.Errors[0].Path; len(p) == 0 || p[0] != "body" || len(id) >= 1 && len(id) <= 64 && !slices.Equal(p, []string{"body", "id"}) {
			t.Fatalf("id %q: path %v", id, env.Errors[0].Path)
		}
	}
	e.fails(t, http.StatusBadRequest, emulator.CodeTypeAndSourceRequired, "type_and_source_are_required_for_non_managed_instances",
		"POST", aisPath("/instances"), `{"id":"docs","type":"web-crawler"}`)
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"a-1_b","type":"web-crawler","source":"https://example.com"}`, nil)
	e.fails(t, http.StatusBadRequest, emulator.CodeInstanceExists, "ai_search_with_this_name_already_exist",
		"POST", aisPath("/namespaces/default/instances"), `{"id":"a-1_b"}`)
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"b"}`, nil)
	e.fails(t, http.StatusForbidden, emulator.CodeMaxInstances, "max_instances_reached", "POST", aisPath("/instances"), `{"id":"c"}`)
	e.fails(t, http.StatusBadRequest, emulator.CodeValidation, "", "POST", aisPath("/instances"), "")
}

func TestInstanceUpdatePublicEndpoint(t *testing.T) {
	t.Parallel()
	e := startAIS(t)
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"docs","public_endpoint_params":{"enabled":true,"custom_domains":["search.example.com"]}}`, nil)
	// Replaced whole, but custom_domains left out keep the stored ones and
	// are not echoed by the update.
	in := wireInstance{}
	e.ok(t, http.StatusOK, "PUT", aisPath("/instances/docs"), `{"public_endpoint_params":{"enabled":false}}`, &in)
	if in.PublicEndpoint == nil || *in.PublicEndpoint.Enabled || in.PublicEndpoint.CustomDomains != nil {
		t.Fatalf("update answer: %+v", in.PublicEndpoint)
	}
	in = wireInstance{}
	e.ok(t, http.StatusOK, "GET", aisPath("/instances/docs"), "", &in)
	if in.PublicEndpoint.CustomDomains == nil || (*in.PublicEndpoint.CustomDomains)[0] != "search.example.com" {
		t.Fatalf("get after update: %+v", in.PublicEndpoint)
	}
	in = wireInstance{}
	e.ok(t, http.StatusOK, "PUT", aisPath("/instances/docs"), `{"public_endpoint_params":{"custom_domains":[]}}`, &in)
	if in.PublicEndpoint.Enabled != nil || in.PublicEndpoint.CustomDomains == nil || len(*in.PublicEndpoint.CustomDomains) != 0 {
		t.Fatalf("update with custom_domains: %+v", in.PublicEndpoint)
	}
}

func TestInstanceList(t *testing.T) {
	t.Parallel()
	e := startAIS(t)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces"), `{"name":"prod"}`, nil)
	for i, id := range []string{"alpha", "beta", "gamma"} {
		e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), fmt.Sprintf(`{"id":%q}`, id), nil)
		e.clock.Advance(time.Second)
		if i == 1 {
			e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/prod/instances"), `{"id":"beta"}`, nil)
		}
	}
	ids := func(query string) []string {
		var list []wireInstance
		e.ok(t, http.StatusOK, "GET", aisPath("/instances")+query, "", &list)
		var out []string
		for _, in := range list {
			out = append(out, *in.Namespace+"/"+in.ID)
		}
		return out
	}
	for query, want := range map[string][]string{
		"":                                     {"default/gamma", "prod/beta", "default/beta", "default/alpha"},
		"?order_by_direction=asc":              {"default/alpha", "default/beta", "prod/beta", "default/gamma"},
		"?namespace=prod":                      {"prod/beta"},
		"?namespace=nope":                      nil,
		"?search=ET":                           {"prod/beta", "default/beta"},
		"?per_page=2&page=2":                   {"default/beta", "default/alpha"},
		"?per_page=2&page=3":                   nil,
		"?order_by=created_at&search=a&page=1": {"default/gamma", "prod/beta", "default/beta", "default/alpha"},
	} {
		if got := ids(query); !slices.Equal(got, want) {
			t.Errorf("list%s: %v, want %v", query, got, want)
		}
	}
	// The namespaced list: its namespace only, the namespace parameter
	// ignored; an unknown namespace is an empty page.
	var list []wireInstance
	env := e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/prod/instances?namespace=default"), "", &list)
	if len(list) != 1 || list[0].ID != "beta" || env.ResultInfo.TotalCount != 1 {
		t.Fatalf("namespaced list: %+v %+v", list, env.ResultInfo)
	}
	env = e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/nope/instances"), "", &list)
	if len(list) != 0 || env.Result == nil || string(env.Result) != "[]" {
		t.Fatalf("unknown namespace: %s", env.Result)
	}
}

func TestNamespaces(t *testing.T) {
	t.Parallel()
	e := startAIS(t, emulator.WithMaxNamespaces(2))

	// default exists everywhere, is not listed, cannot be deleted nor
	// described, but its public endpoint can change.
	var ns struct {
		Name        string  `json:"name"`
		Description *string `json:"description"`
		PEP         *struct {
			InstancesAllowed []string `json:"instances_allowed"`
		} `json:"public_endpoint_params"`
	}
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/default"), "", &ns)
	var list []json.RawMessage
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces"), "", &list)
	if ns.Name != "default" || len(list) != 0 {
		t.Fatalf("default: %+v, list %s", ns, list)
	}
	e.fails(t, http.StatusBadRequest, emulator.CodeCannotModifyDefault, "cannot_modify_default_namespace", "DELETE", aisPath("/namespaces/default"), "")
	e.fails(t, http.StatusBadRequest, emulator.CodeCannotModifyDefault, "cannot_modify_default_namespace", "PUT", aisPath("/namespaces/default"), `{"description":"x"}`)
	e.ok(t, http.StatusCreated, "POST", aisPath("/instances"), `{"id":"docs"}`, nil)
	e.ok(t, http.StatusOK, "PUT", aisPath("/namespaces/default"), `{"public_endpoint_params":{"instances_allowed":["docs"]}}`, &ns)
	if ns.PEP == nil || !slices.Equal(ns.PEP.InstancesAllowed, []string{"docs"}) {
		t.Fatalf("default's public endpoint: %+v", ns.PEP)
	}
	e.fails(t, http.StatusBadRequest, emulator.CodeUnknownInstancesAllowed, "instances_allowed_contains_unknown_instances",
		"PUT", aisPath("/namespaces/default"), `{"public_endpoint_params":{"instances_allowed":["docs","nope"]}}`)

	// Create: names as instance ids, unique ("default" included), limited.
	e.fails(t, http.StatusConflict, emulator.CodeNamespaceExists, "namespace_already_exists", "POST", aisPath("/namespaces"), `{"name":"default"}`)
	e.fails(t, http.StatusBadRequest, emulator.CodeValidation, "", "POST", aisPath("/namespaces"), `{"name":"Prod"}`)
	e.fails(t, http.StatusBadRequest, emulator.CodeUnknownInstancesAllowed, "", "POST", aisPath("/namespaces"), `{"name":"prod","public_endpoint_params":{"instances_allowed":["docs"]}}`)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces"), `{"name":"prod","description":"Production"}`, &ns)
	if ns.Name != "prod" || *ns.Description != "Production" {
		t.Fatalf("create: %+v", ns)
	}
	e.fails(t, http.StatusConflict, emulator.CodeNamespaceExists, "namespace_already_exists", "POST", aisPath("/namespaces"), `{"name":"prod"}`)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces"), `{"name":"staging"}`, nil)
	e.fails(t, http.StatusForbidden, emulator.CodeMaxNamespaces, "max_namespaces_reached", "POST", aisPath("/namespaces"), `{"name":"third"}`)

	// List and search (name or description, case-insensitive).
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces?search=PRODUCTION"), "", &list)
	if len(list) != 1 {
		t.Fatalf("search: %s", list)
	}
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces"), "", &list)
	if len(list) != 2 {
		t.Fatalf("list: %s", list)
	}

	// Update and delete: not empty is refused (the emulator's choice), then
	// the namespace goes and its routes say 7063.
	e.ok(t, http.StatusOK, "PUT", aisPath("/namespaces/prod"), `{"description":"Live"}`, &ns)
	if *ns.Description != "Live" {
		t.Fatalf("update: %+v", ns)
	}
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/prod/instances"), `{"id":"docs"}`, nil)
	e.fails(t, http.StatusBadRequest, emulator.CodeNamespaceNotEmpty, "namespace_not_empty", "DELETE", aisPath("/namespaces/prod"), "")
	e.ok(t, http.StatusOK, "DELETE", aisPath("/namespaces/prod/instances/docs"), "", nil)
	env := e.ok(t, http.StatusOK, "DELETE", aisPath("/namespaces/prod"), "", nil)
	if string(env.Result) != "{}" {
		t.Fatalf("delete result %s", env.Result)
	}
	for _, op := range [][3]string{
		{"GET", "/namespaces/prod", ""}, {"PUT", "/namespaces/prod", `{}`}, {"DELETE", "/namespaces/prod", ""},
		{"GET", "/namespaces/prod/instances/docs", ""}, {"PUT", "/namespaces/prod/instances/docs", `{}`},
		{"DELETE", "/namespaces/prod/instances/docs", ""}, {"PATCH", "/namespaces/prod/instances/docs", `{"new_namespace":"default"}`},
		{"GET", "/namespaces/prod/instances/docs/jobs", ""}, {"POST", "/namespaces/prod/instances/docs/jobs", ""},
		{"GET", "/namespaces/prod/instances/docs/jobs/j", ""}, {"PATCH", "/namespaces/prod/instances/docs/jobs/j", `{"action":"cancel"}`},
		{"GET", "/namespaces/prod/instances/docs/jobs/j/logs", ""},
	} {
		e.fails(t, http.StatusNotFound, emulator.CodeNamespaceNotFound, "namespace_not_found", op[0], aisPath("%s", op[1]), op[2])
	}
	// The namespaced create documents no 404: its unknown namespace is a 400.
	e.fails(t, http.StatusBadRequest, emulator.CodeNamespaceNotFound, "namespace_not_found", "POST", aisPath("/namespaces/prod/instances"), `{"id":"docs"}`)
	if got := e.srv.Namespaces(account); len(got) != 2 || got[0].Name != "default" || !slices.Equal(got[0].Instances, []string{"docs"}) || got[1].Name != "staging" {
		t.Fatalf("Namespaces: %+v", got)
	}
}

func TestMoveInstance(t *testing.T) {
	t.Parallel()
	e := startAIS(t)
	e.register(t, "svc")
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces"), `{"name":"prod"}`, nil)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces"), `{"name":"staging"}`, nil)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/staging/instances"), `{"id":"docs","type":"r2","source":"b"}`, nil)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/prod/instances"), `{"id":"taken"}`, nil)
	e.ok(t, http.StatusCreated, "POST", aisPath("/namespaces/staging/instances"), `{"id":"taken"}`, nil)
	e.ok(t, http.StatusOK, "PUT", aisPath("/namespaces/staging"), `{"public_endpoint_params":{"instances_allowed":["docs","taken"]}}`, nil)
	var job struct{ ID string }
	e.ok(t, http.StatusOK, "POST", aisPath("/namespaces/staging/instances/docs/jobs"), `{"description":"before the move"}`, &job)

	move := func(from, id, to string) string {
		return aisPath("/namespaces/%s/instances/%s", from, id) + "\x00" + fmt.Sprintf(`{"new_namespace":%q}`, to)
	}
	for _, c := range []struct {
		req          string
		status, code int
	}{
		{move("staging", "docs", "staging"), http.StatusBadRequest, emulator.CodeNamespaceSameName},
		{move("staging", "docs", "nope"), http.StatusNotFound, emulator.CodeNamespaceNotFound},
		{move("nope", "docs", "prod"), http.StatusNotFound, emulator.CodeNamespaceNotFound},
		{move("staging", "nope", "prod"), http.StatusNotFound, emulator.CodeAISearchNotFound},
		{move("staging", "taken", "prod"), http.StatusBadRequest, emulator.CodeInstanceExists},
	} {
		path, body, _ := strings.Cut(c.req, "\x00")
		e.fails(t, c.status, c.code, "", "PATCH", path, body)
	}
	path, body, _ := strings.Cut(move("staging", "docs", "prod"), "\x00")
	if env := e.ok(t, http.StatusOK, "PATCH", path, body, nil); string(env.Result) != "{}" {
		t.Fatalf("move result %s", env.Result)
	}
	// The instance, its jobs and its settings moved; it left the old
	// namespace's instances_allowed.
	e.fails(t, http.StatusNotFound, emulator.CodeAISearchNotFound, "", "GET", aisPath("/namespaces/staging/instances/docs"), "")
	var in wireInstance
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/prod/instances/docs"), "", &in)
	if *in.Namespace != "prod" || *in.Source != "b" {
		t.Fatalf("moved: %+v", in)
	}
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/prod/instances/docs/jobs/%s", job.ID), "", nil)
	var ns struct {
		PEP struct {
			InstancesAllowed []string `json:"instances_allowed"`
		} `json:"public_endpoint_params"`
	}
	e.ok(t, http.StatusOK, "GET", aisPath("/namespaces/staging"), "", &ns)
	if !slices.Equal(ns.PEP.InstancesAllowed, []string{"taken"}) {
		t.Fatalf("instances_allowed after the move: %v", ns.PEP.InstancesAllowed)
	}
	// "default" moves it back, where the account-level routes see it.
	path, body, _ = strings.Cut(move("prod", "docs", "default"), "\x00")
	e.ok(t, http.StatusOK, "PATCH", path, body, nil)
	e.ok(t, http.StatusOK, "GET", aisPath("/instances/docs/jobs/%s", job.ID), "", nil)
}
