package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/generated"
)

// TestReplay replays every valid fixture through the generated client, with
// the go-vcr recorder in replay mode as its transport, and checks the typed
// response: only the JSON<status> field is set, Retry-After is parsed, and
// tokens decode (uuid ids, timestamps, nullables) whatever unknown fields
// the body carries.
func TestReplay(t *testing.T) {
	v := validator(t)
	for _, file := range validFiles(t) {
		t.Run(strings.TrimSuffix(strings.TrimPrefix(file, validDir+"/"), ".yaml"), func(t *testing.T) {
			for _, p := range replayFile(t, v, file) {
				t.Error(p)
			}
		})
	}
}

// replayFile returns every problem found replaying file.
func replayFile(t *testing.T, v *contract.Validator, file string) []string {
	t.Helper()
	var problems []string
	ixs, err := contract.LoadCassette(file)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := recorder.New(strings.TrimSuffix(file, ".yaml"),
		recorder.WithMode(recorder.ModeReplayOnly),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(contract.Matcher),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Stop()
	for i, ix := range ixs {
		u, err := url.Parse(ix.URL)
		if err != nil {
			t.Fatal(err)
		}
		base := u.Scheme + "://" + u.Host + "/client/v4"
		c, err := generated.NewClientWithResponses(base, generated.WithHTTPClient(&http.Client{Transport: rec}))
		if err != nil {
			t.Fatal(err)
		}
		op := v.ValidateRequest(context.Background(), ix).OperationID
		typed, err := call(context.Background(), c, op, ix, u)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: interaction %d (%s): replay: %v", file, i, op, err))
			continue
		}
		for _, problem := range checkTyped(typed, ix) {
			problems = append(problems, fmt.Sprintf("%s: interaction %d (%s %d): %s", file, i, op, ix.Status, problem))
		}
	}
	return problems
}

// TestReplayDetects proves the replay checks can fail: recordings the
// client cannot use are reported, each for its reason.
func TestReplayDetects(t *testing.T) {
	good := tok(exID, "my-token", byUser, "")
	cases := map[string]struct {
		h    hx
		want string
	}{
		"not json":        {hx{method: "GET", path: "/" + exID, auth: "bearer", status: 200, respHeader: http.Header{"Content-Type": {"text/plain"}}, respBody: ok(good)}, "JSON200 is nil"},
		"bad timestamp":   {token200(strings.Replace(good, "2026-11-02T09:15:00Z", "yesterday", 1)), "replay:"},
		"undocumented":    {hx{method: "GET", path: "/" + exID, auth: "bearer", status: 418, respBody: ok(good)}, "no typed field JSON418"},
		"id not recorded": {token200(strings.Replace(good, exID, "12345", 1)), "result.id does not decode"},
		"string by":       {token200(strings.Replace(good, `"created_by":"user@example.com"`, `"created_by":null`, 1)), ""},
		// The API token operations: their typed fields, their 4XX range.
		"api token issued_on": {hx{base: userTokensURL, method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 200,
			respBody: ok(strings.Replace(docToken, "2018-07-01T05:20:00Z", "yesterday", 1))}, "replay:"},
		"api token group without id": {hx{base: userTokensURL, method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 200,
			respBody: ok(strings.Replace(docToken, `{"id":"c8fed203ed3043cba015a93ad1616f1f",`, `{`, 1))}, "result.policies does not decode"},
		"roll result not a string": {hx{base: userTokensURL, method: "PUT", path: "/" + apiTokenID + "/value", auth: "bearer", reqBody: `{}`, status: 200,
			respBody: ok(`{"value":"x"}`)}, "replay:"},
		"api token 404": {hx{base: userTokensURL, method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 404,
			respBody: `{"success":false,"errors":[],"messages":[],"result":null}`}, "the failure envelope does not decode"},
		"api token 404 decodes": {hx{base: userTokensURL, method: "GET", path: "/" + apiTokenID, auth: "bearer", status: 404,
			respBody: `{"success":false,"errors":[{"code":10003,"message":"API token not found"}],"messages":[],"result":null}`}, ""},
	}
	v := validator(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			file := t.TempDir() + "/case.yaml"
			if err := contract.WriteCassette(file, []contract.Interaction{tc.h.interaction()}); err != nil {
				t.Fatal(err)
			}
			problems := strings.Join(replayFile(t, v, file), "\n")
			if tc.want == "" && problems != "" || !strings.Contains(problems, tc.want) {
				t.Errorf("problems %q, want one containing %q", problems, tc.want)
			}
		})
	}
}

// call sends ix's request through the generated client method for op, with
// the recorded headers, query and body, and returns the typed response.
func call(ctx context.Context, c *generated.ClientWithResponses, op string, ix contract.Interaction, u *url.URL) (any, error) {
	// Each path parameter is the segment after its collection's name:
	// /client/v4/accounts/{account_id}/ai-search/tokens/{id},
	// /client/v4/{user|accounts/{account_id}}/tokens/{token_id}[/value],
	// .../ai-search[/namespaces/{name}]/instances/{id}/jobs/{job_id}.
	segs := strings.Split(strings.TrimPrefix(u.Path, "/client/v4/"), "/")
	after := func(name string) string {
		if i := slices.Index(segs, name); i >= 0 && i+1 < len(segs) {
			return segs[i+1]
		}
		return ""
	}
	acct, id, ns, inst, job := after("accounts"), after("tokens"), after("namespaces"), after("instances"), after("jobs")
	same := func(_ context.Context, req *http.Request) error {
		for k, vals := range ix.RequestHeader {
			req.Header[k] = vals
		}
		req.URL.RawQuery = u.RawQuery
		return nil
	}
	body := bytes.NewReader(ix.RequestBody)
	ct := ix.RequestHeader.Get("Content-Type")
	switch op {
	case "ai-search-list-tokens":
		return c.ListTokensWithResponse(ctx, acct, nil, same)
	case "ai-search-create-tokens":
		return c.CreateTokenWithBodyWithResponse(ctx, acct, ct, body, same)
	case "ai-search-fetch-tokens":
		return c.GetTokenWithResponse(ctx, acct, id, same)
	case "ai-search-update-tokens":
		return c.UpdateTokenWithBodyWithResponse(ctx, acct, id, ct, body, same)
	case "ai-search-delete-tokens":
		return c.DeleteTokenWithResponse(ctx, acct, id, same)
	case "user-api-tokens-list-tokens":
		return c.ListUserAPITokensWithResponse(ctx, nil, same)
	case "user-api-tokens-create-token":
		return c.CreateUserAPITokenWithBodyWithResponse(ctx, ct, body, same)
	case "user-api-tokens-token-details":
		return c.GetUserAPITokenWithResponse(ctx, id, same)
	case "user-api-tokens-update-token":
		return c.UpdateUserAPITokenWithBodyWithResponse(ctx, id, ct, body, same)
	case "user-api-tokens-delete-token":
		return c.DeleteUserAPITokenWithResponse(ctx, id, same)
	case "user-api-tokens-roll-token":
		return c.RollUserAPITokenWithBodyWithResponse(ctx, id, ct, body, same)
	case "user-api-tokens-verify-token":
		return c.VerifyUserAPITokenWithResponse(ctx, same)
	case "permission-groups-list-permission-groups":
		return c.ListUserPermissionGroupsWithResponse(ctx, nil, same)
	case "account-api-tokens-list-tokens":
		return c.ListAccountAPITokensWithResponse(ctx, acct, nil, same)
	case "account-api-tokens-create-token":
		return c.CreateAccountAPITokenWithBodyWithResponse(ctx, acct, ct, body, same)
	case "account-api-tokens-token-details":
		return c.GetAccountAPITokenWithResponse(ctx, acct, id, same)
	case "account-api-tokens-update-token":
		return c.UpdateAccountAPITokenWithBodyWithResponse(ctx, acct, id, ct, body, same)
	case "account-api-tokens-delete-token":
		return c.DeleteAccountAPITokenWithResponse(ctx, acct, id, same)
	case "account-api-tokens-roll-token":
		return c.RollAccountAPITokenWithBodyWithResponse(ctx, acct, id, ct, body, same)
	case "account-api-tokens-verify-token":
		return c.VerifyAccountAPITokenWithResponse(ctx, acct, same)
	case "account-api-tokens-list-permission-groups":
		return c.ListAccountPermissionGroupsWithResponse(ctx, acct, nil, same)
	case "ai-search-list-instances":
		return c.ListInstancesWithResponse(ctx, acct, nil, same)
	case "ai-search-create-instance":
		return c.CreateInstanceWithBodyWithResponse(ctx, acct, ct, body, same)
	case "ai-search-fetch-instance":
		return c.GetInstanceWithResponse(ctx, acct, inst, same)
	case "ai-search-update-instance":
		return c.UpdateInstanceWithBodyWithResponse(ctx, acct, inst, ct, body, same)
	case "ai-search-delete-instance":
		return c.DeleteInstanceWithResponse(ctx, acct, inst, same)
	case "ai-search-namespace-list-instances":
		return c.ListNamespaceInstancesWithResponse(ctx, acct, ns, nil, same)
	case "ai-search-namespace-create-instance":
		return c.CreateNamespaceInstanceWithBodyWithResponse(ctx, acct, ns, ct, body, same)
	case "ai-search-namespace-fetch-instance":
		return c.GetNamespaceInstanceWithResponse(ctx, acct, ns, inst, same)
	case "ai-search-namespace-update-instance":
		return c.UpdateNamespaceInstanceWithBodyWithResponse(ctx, acct, ns, inst, ct, body, same)
	case "ai-search-namespace-delete-instance":
		return c.DeleteNamespaceInstanceWithResponse(ctx, acct, ns, inst, same)
	case "ai-search-move-instance":
		return c.MoveInstanceWithBodyWithResponse(ctx, acct, ns, inst, ct, body, same)
	case "ai-search-instance-list-jobs":
		return c.ListJobsWithResponse(ctx, acct, inst, nil, same)
	case "ai-search-instance-create-job":
		return c.CreateJobWithBodyWithResponse(ctx, acct, inst, ct, body, same)
	case "ai-search-instance-get-job":
		return c.GetJobWithResponse(ctx, acct, inst, job, same)
	case "ai-search-instance-change-job-status":
		return c.CancelJobWithBodyWithResponse(ctx, acct, inst, job, ct, body, same)
	case "ai-search-instance-list-job-logs":
		return c.ListJobLogsWithResponse(ctx, acct, inst, job, nil, same)
	case "ai-search-namespace-instance-list-jobs":
		return c.ListNamespaceJobsWithResponse(ctx, acct, ns, inst, nil, same)
	case "ai-search-namespace-instance-create-job":
		return c.CreateNamespaceJobWithBodyWithResponse(ctx, acct, ns, inst, ct, body, same)
	case "ai-search-namespace-instance-get-job":
		return c.GetNamespaceJobWithResponse(ctx, acct, ns, inst, job, same)
	case "ai-search-namespace-instance-change-job-status":
		return c.CancelNamespaceJobWithBodyWithResponse(ctx, acct, ns, inst, job, ct, body, same)
	case "ai-search-namespace-instance-list-job-logs":
		return c.ListNamespaceJobLogsWithResponse(ctx, acct, ns, inst, job, nil, same)
	case "ai-search-list-namespaces":
		return c.ListNamespacesWithResponse(ctx, acct, nil, same)
	case "ai-search-create-namespace":
		return c.CreateNamespaceWithBodyWithResponse(ctx, acct, ct, body, same)
	case "ai-search-fetch-namespace":
		return c.GetNamespaceWithResponse(ctx, acct, ns, same)
	case "ai-search-update-namespace":
		return c.UpdateNamespaceWithBodyWithResponse(ctx, acct, ns, ct, body, same)
	case "ai-search-delete-namespace":
		return c.DeleteNamespaceWithResponse(ctx, acct, ns, same)
	}
	return nil, fmt.Errorf("unknown operation %q", op)
}

// checkTyped returns what is wrong with a typed response for ix.
func checkTyped(typed any, ix contract.Interaction) []string {
	var out []string
	rv := reflect.ValueOf(typed).Elem()
	if got := rv.MethodByName("StatusCode").Call(nil)[0].Int(); int(got) != ix.Status {
		return []string{fmt.Sprintf("replayed status %d, recorded %d", got, ix.Status)}
	}
	want := fmt.Sprintf("JSON%d", ix.Status)
	if _, exact := rv.Type().FieldByName(want); !exact {
		// A status the operation documents by its range (4XX).
		if _, ranged := rv.Type().FieldByName(fmt.Sprintf("JSON%dXX", ix.Status/100)); ranged {
			want = fmt.Sprintf("JSON%dXX", ix.Status/100)
		}
	}
	var set reflect.Value
	for i := range rv.NumField() {
		name, f := rv.Type().Field(i).Name, rv.Field(i)
		if !strings.HasPrefix(name, "JSON") {
			continue
		}
		switch {
		case name == want && f.IsNil():
			out = append(out, name+" is nil")
		case name == want:
			set = f
		case !f.IsNil():
			out = append(out, name+" is set for status "+strconv.Itoa(ix.Status))
		}
	}
	if !set.IsValid() {
		return append(out, "no typed field "+want)
	}
	// A 429 with Retry-After in its documented headers (the job create's
	// own 429, sync in cooldown, documents none).
	if h := rv.FieldByName("Headers429"); ix.Status == 429 && h.IsValid() {
		wantRA, _ := strconv.Atoi(ix.ResponseHeader.Get("Retry-After"))
		if h.IsNil() || h.Elem().FieldByName("RetryAfter").Int() != int64(wantRA) {
			out = append(out, "Headers429.RetryAfter does not hold Retry-After")
		}
	}
	return append(out, checkTokens(set.Interface(), ix.ResponseBody)...)
}

// checkTokens compares the decoded tokens with the raw JSON.
func checkTokens(typed any, body []byte) []string {
	var raw struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return []string{"body is not JSON: " + err.Error()}
	}
	var pairs []struct {
		tok generated.Token
		raw json.RawMessage
	}
	switch env := typed.(type) {
	case *generated.TokenEnvelope:
		pairs = append(pairs, struct {
			tok generated.Token
			raw json.RawMessage
		}{env.Result, raw.Result})
	case *generated.TokenListEnvelope:
		var items []json.RawMessage
		if err := json.Unmarshal(raw.Result, &items); err != nil || len(items) != len(env.Result) {
			return []string{"result list does not decode item for item"}
		}
		if env.Result == nil {
			return []string{"result decoded as nil, want a (possibly empty) slice"}
		}
		for i := range items {
			pairs = append(pairs, struct {
				tok generated.Token
				raw json.RawMessage
			}{env.Result[i], items[i]})
		}
	case *generated.APITokenCreateEnvelope:
		return sameFields("result", env.Result, raw.Result, apiTokenFields...)
	case *generated.APITokenEnvelope:
		return sameFields("result", env.Result, raw.Result, apiTokenFields...)
	case *generated.APITokenListEnvelope:
		return sameItems(env.Result, raw.Result, apiTokenFields...)
	case *generated.APITokenValueEnvelope:
		var want string
		if json.Unmarshal(raw.Result, &want) != nil || env.Result != want {
			return []string{"result does not decode to the recorded value"}
		}
	case *generated.APITokenVerifyEnvelope:
		return sameFields("result", env.Result, raw.Result, "id", "status", "expires_on", "not_before")
	case *generated.APITokenDeleteEnvelope:
		return sameFields("result", env.Result, raw.Result, "id")
	case *generated.PermissionGroupListEnvelope:
		return sameItems(env.Result, raw.Result, "id", "name", "category", "scopes")
	case *generated.InstanceEnvelope:
		return sameFields("result", env.Result, raw.Result, instanceFields...)
	case *generated.InstanceListEnvelope:
		return sameItems(env.Result, raw.Result, append(instanceFields, "chunk", "summarization", "summarization_model")...)
	case *generated.JobEnvelope:
		return sameFields("result", env.Result, raw.Result, jobFields...)
	case *generated.JobListEnvelope:
		return sameItems(env.Result, raw.Result, jobFields...)
	case *generated.JobLogListEnvelope:
		return sameItems(env.Result, raw.Result, "id", "message", "message_type", "created_at")
	case *generated.NamespaceEnvelope:
		return sameFields("result", env.Result, raw.Result, namespaceFields...)
	case *generated.NamespaceListEnvelope:
		return sameItems(env.Result, raw.Result, namespaceFields...)
	case *generated.FailureEnvelope:
		var want struct {
			Errors []generated.Error `json:"errors"`
		}
		_ = json.Unmarshal(body, &want)
		if len(env.Errors) == 0 || len(env.Errors) != len(want.Errors) || env.Errors[0].Code != want.Errors[0].Code || env.Result != nil {
			return []string{"the failure envelope does not decode (errors, result null)"}
		}
	}
	var out []string
	for _, p := range pairs {
		out = append(out, checkToken(p.tok, p.raw)...)
	}
	return out
}

// The fields of an instance, a job and a namespace sameFields compares.
var (
	instanceFields = []string{"id", "type", "source", "token_id", "namespace", "status", "created_at", "modified_at", "last_activity",
		"cache", "cache_ttl", "chunk_size", "max_num_results", "score_threshold", "index_method", "public_endpoint_params", "paused", "enable", "engine_version"}
	jobFields       = []string{"id", "source", "description", "started_at", "ended_at", "last_seen_at", "end_reason"}
	namespaceFields = []string{"name", "description", "created_at", "public_endpoint_id", "public_endpoint_params"}
)

// apiTokenFields are the fields of a Cloudflare API token sameFields
// compares; "policies" is compared by effect and permission group ids.
var apiTokenFields = []string{"id", "name", "status", "value", "issued_on", "modified_on", "last_used_on", "expires_on", "not_before", "condition", "policies"}

// sameFields reports the fields of the recorded JSON object raw that
// typed (a decoded value) does not hold as recorded: timestamps compared
// as instants, policies by effect and permission group ids, the rest by
// JSON value. where prefixes the field names in the problems.
func sameFields(where string, typed any, raw json.RawMessage, fields ...string) []string {
	b, err := json.Marshal(typed)
	if err != nil {
		return []string{where + " does not encode: " + err.Error()}
	}
	var got, want map[string]any
	if json.Unmarshal(b, &got) != nil || json.Unmarshal(raw, &want) != nil {
		return []string{where + " is not a JSON object"}
	}
	var out []string
	for _, f := range fields {
		g, w := got[f], want[f]
		ok := reflect.DeepEqual(g, w)
		switch {
		case f == "policies":
			ok = reflect.DeepEqual(policySummary(g), policySummary(w))
		case isTime(w):
			gt, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(g))
			wt, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(w))
			ok = gt.Equal(wt)
		}
		if !ok {
			out = append(out, where+"."+f+" does not decode to the recorded value")
		}
	}
	return out
}

// sameItems is sameFields for each item of a list.
func sameItems[T any](typed []T, raw json.RawMessage, fields ...string) []string {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || len(items) != len(typed) {
		return []string{"result list does not decode item for item"}
	}
	var out []string
	for i := range items {
		out = append(out, sameFields("result."+strconv.Itoa(i), typed[i], items[i], fields...)...)
	}
	return out
}

func isTime(v any) bool {
	s, ok := v.(string)
	_, err := time.Parse(time.RFC3339Nano, s)
	return ok && err == nil
}

// policySummary is "effect: group ids" per policy of a decoded policies
// array: what a client reads back from them.
func policySummary(v any) []string {
	var out []string
	for _, p := range asSlice(v) {
		m, _ := p.(map[string]any)
		line := fmt.Sprint(m["effect"], ":")
		for _, g := range asSlice(m["permission_groups"]) {
			gm, _ := g.(map[string]any)
			line += fmt.Sprint(" ", gm["id"])
		}
		out = append(out, line)
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func checkToken(tok generated.Token, raw json.RawMessage) []string {
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	var out []string
	if _, err := uuid.Parse(tok.ID); err != nil || tok.ID != m["id"] {
		out = append(out, "result.id does not decode to the recorded uuid")
	}
	for name, got := range map[string]time.Time{"created_at": tok.CreatedAt, "modified_at": tok.ModifiedAt} {
		want, err := time.Parse(time.RFC3339Nano, fmt.Sprint(m[name]))
		if err != nil || !got.Equal(want) {
			out = append(out, "result."+name+" does not decode to the recorded time")
		}
	}
	for name, got := range map[string]*string{"created_by": tok.CreatedBy, "modified_by": tok.ModifiedBy} {
		want, present := m[name]
		switch {
		case (!present || want == nil) && got != nil:
			out = append(out, "result."+name+" is null or absent but decoded as a string")
		case present && want != nil && (got == nil || *got != want):
			out = append(out, "result."+name+" does not decode to the recorded string")
		}
	}
	for name, got := range map[string]*bool{"enabled": tok.Enabled, "legacy": tok.Legacy} {
		want, present := m[name]
		if present != (got != nil) || (got != nil && *got != want) {
			out = append(out, "result."+name+" does not decode to the recorded value")
		}
	}
	if tok.Name != m["name"] || tok.CfAPIID != m["cf_api_id"] {
		out = append(out, "result.name or cf_api_id does not decode to the recorded string")
	}
	return out
}
