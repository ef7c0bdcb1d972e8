package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// The scenarios of the Cloudflare API token operations. Both owners take
// the same requests below their own path prefix, so they are sent as plain
// requests on the recording client: the replay test (contract_test) sends
// every one again through the generated client and requires it to match.

// userTokens is the path prefix of the user's API tokens.
const userTokens = "/user/tokens"

// accountTokens is the path prefix of the account's API tokens.
func (r *session) accountTokens() string { return "/accounts/" + r.opts.AccountID + "/tokens" }

// Made-up identifiers the failure scenarios name: Cloudflare's documented
// example token id (no caller owns it) and an account id of the wrong length.
const (
	unknownAPITokenID = "ed17574386854bf78a67040be0a770b0"
	malformedAccount  = "not-an-account-id"
)

// aiSearchPolicies grant what an AI Search service token needs on the
// account (see the README): the "AI Search Index Engine" group, or
// groupID instead.
func (r *session) aiSearchPolicies(groupID string) []generated.Policy {
	return []generated.Policy{{
		Effect:           "allow",
		PermissionGroups: []generated.PolicyPermissionGroup{{ID: groupID}},
		Resources:        generated.APITokenResources{"com.cloudflare.api.account." + r.opts.AccountID: "*"},
	}}
}

// aiSearchIndexEngine is the permission group id of "AI Search Index Engine".
const aiSearchIndexEngine = "9e9b428a0bcd46fd80e580b46a69963c"

func (r *session) createBody(name string) generated.APITokenCreate {
	return generated.APITokenCreate{Name: name, Policies: r.aiSearchPolicies(aiSearchIndexEngine)}
}

// asBearer authenticates a request with value alone.
func asBearer(value string) generated.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		cfauth.Credentials{Token: value}.Set(req.Header)
		return nil
	}
}

// apiRequest sends method on the API root + path through hc, with a JSON
// body unless body is nil, and returns the answer's status and body.
func (r *session) apiRequest(ctx context.Context, hc *http.Client, method, path string, body any, editors ...generated.RequestEditorFn) (*apiAnswer, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(r.opts.BaseURL, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, ed := range editors {
		if ed == nil { // a step without credentials
			continue
		}
		if err := ed(ctx, req); err != nil {
			return nil, err
		}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &apiAnswer{status: resp.StatusCode, body: data}, nil
}

// apiAnswer is an answer to apiRequest; it is a statusCoder for expect.
type apiAnswer struct {
	status int
	body   []byte
}

func (a *apiAnswer) StatusCode() int { return a.status }

// call is one recorded request of a scenario that must get status want.
func (r *session) call(ctx context.Context, step string, want int, method, path string, body any, editors ...generated.RequestEditorFn) (*apiAnswer, error) {
	ans, err := r.apiRequest(ctx, r.http, method, path, body, editors...)
	if err := expect(step, want, ans, err); err != nil {
		return nil, err
	}
	return ans, nil
}

// createAPIToken creates a token below prefix and returns its id and value
// (the real one: the recorded answer holds the placeholder).
func (r *session) createAPIToken(ctx context.Context, prefix, name string) (id, value string, err error) {
	ans, err := r.call(ctx, "create "+name, 200, http.MethodPost, prefix, r.createBody(name), r.opts.Credentials.Apply)
	if err != nil {
		return "", "", err
	}
	var env struct {
		Result struct {
			ID string `json:"id"`
		} `json:"result"`
	}
	if err := json.Unmarshal(ans.body, &env); err != nil || env.Result.ID == "" {
		return "", "", fmt.Errorf("create %s: 200 without a token id", name)
	}
	r.createdAPI = append(r.createdAPI, apiTokenRef{prefix, env.Result.ID})
	value = r.lastIssued()
	if value == "" {
		return "", "", fmt.Errorf("create %s: 200 without a token value", name)
	}
	return env.Result.ID, value, nil
}

func (r *session) forgetAPIToken(id string) {
	for i, t := range r.createdAPI {
		if t.id == id {
			r.createdAPI = append(r.createdAPI[:i], r.createdAPI[i+1:]...)
			return
		}
	}
}

// apiStep is one recorded request of a scenario and the status it must get.
type apiStep struct {
	apiOperation
	status int
	auth   generated.RequestEditorFn
}

func (r *session) steps(ctx context.Context, steps ...apiStep) error {
	for _, s := range steps {
		if _, err := r.call(ctx, s.step, s.status, s.method, s.path, s.body, s.auth); err != nil {
			return err
		}
	}
	return nil
}

// apiTokenLifecycle: create a token, verify it with its own value, get it,
// list two pages (five more tokens), update it, roll its value, verify the
// new value and refuse the old one, delete it, get it (404), and read the
// permission group catalogue.
func (r *session) apiTokenLifecycle(ctx context.Context, prefix string) error {
	auth := r.opts.Credentials.Apply
	name := r.prefix + "-svc"
	id, value, err := r.createAPIToken(ctx, prefix, name)
	if err != nil {
		return err
	}
	err = r.steps(ctx,
		apiStep{apiOperation{"verify with the new value", http.MethodGet, prefix + "/verify", nil}, 200, asBearer(value)},
		apiStep{apiOperation{"get", http.MethodGet, prefix + "/" + id, nil}, 200, auth})
	if err != nil {
		return err
	}
	for _, suffix := range []string{"a", "b", "c", "d", "e"} {
		if _, _, err := r.createAPIToken(ctx, prefix, r.prefix+"-page-"+suffix); err != nil {
			return err
		}
	}
	update := generated.APITokenUpdate{Name: name + "-renamed", Policies: r.aiSearchPolicies(aiSearchIndexEngine)}
	err = r.steps(ctx,
		apiStep{apiOperation{"list page 1", http.MethodGet, prefix + "?page=1&per_page=5", nil}, 200, auth},
		apiStep{apiOperation{"list page 2", http.MethodGet, prefix + "?page=2&per_page=5", nil}, 200, auth},
		apiStep{apiOperation{"update", http.MethodPut, prefix + "/" + id, update}, 200, auth},
		apiStep{apiOperation{"roll", http.MethodPut, prefix + "/" + id + "/value", map[string]any{}}, 200, auth})
	if err != nil {
		return err
	}
	rolled := r.lastIssued()
	if rolled == value || rolled == "" {
		return fmt.Errorf("roll: 200 without a new value")
	}
	err = r.steps(ctx,
		apiStep{apiOperation{"verify with the rolled value", http.MethodGet, prefix + "/verify", nil}, 200, asBearer(rolled)},
		apiStep{apiOperation{"verify with the value before the roll", http.MethodGet, prefix + "/verify", nil}, 403, asBearer(value)},
		apiStep{apiOperation{"delete", http.MethodDelete, prefix + "/" + id, nil}, 200, auth})
	if err != nil {
		return err
	}
	r.forgetAPIToken(id)
	return r.steps(ctx,
		apiStep{apiOperation{"get deleted", http.MethodGet, prefix + "/" + id, nil}, 404, auth},
		apiStep{apiOperation{"permission groups", http.MethodGet, prefix + "/permission_groups", nil}, 200, auth})
}

// apiOperations are the eight API token requests below prefix, each well
// formed, on a token id that need not exist.
func (r *session) apiOperations(prefix, id string) []apiOperation {
	body := r.createBody(r.prefix + "-svc")
	return []apiOperation{
		{"list", http.MethodGet, prefix, nil},
		{"create", http.MethodPost, prefix, body},
		{"get", http.MethodGet, prefix + "/" + id, nil},
		{"update", http.MethodPut, prefix + "/" + id, generated.APITokenUpdate{Name: body.Name, Policies: body.Policies}},
		{"delete", http.MethodDelete, prefix + "/" + id, nil},
		{"roll", http.MethodPut, prefix + "/" + id + "/value", map[string]any{}},
		{"verify", http.MethodGet, prefix + "/verify", nil},
		{"permission groups", http.MethodGet, prefix + "/permission_groups", nil},
	}
}

type apiOperation struct {
	step, method, path string
	body               any
}

// apiTokenInvalidInput: for each owner, what the server refuses with a 4xx
// other than 403 and 429: an unknown permission group (400), a per_page
// over 50 (400), an unknown token id (404); and an account id of the wrong
// length (400) on the account's list, verify and permission groups. (The
// user's verify and permission groups take no input to get wrong: their
// 4XX fixtures are written by hand.)
func (r *session) apiTokenInvalidInput(ctx context.Context, _ *generated.ClientWithResponses) error {
	auth := r.opts.Credentials.Apply
	for _, prefix := range []string{userTokens, r.accountTokens()} {
		unknownGroup := r.createBody(r.prefix + "-invalid")
		unknownGroup.Policies = r.aiSearchPolicies("00000000000000000000000000000000")
		err := r.steps(ctx,
			apiStep{apiOperation{"create with an unknown permission group", http.MethodPost, prefix, unknownGroup}, 400, auth},
			apiStep{apiOperation{"list per_page=100", http.MethodGet, prefix + "?per_page=100", nil}, 400, auth})
		if err != nil {
			return err
		}
		for _, op := range r.apiOperations(prefix, unknownAPITokenID)[2:6] { // get, update, delete, roll
			op.step += " an unknown token"
			if err := r.steps(ctx, apiStep{op, 404, auth}); err != nil {
				return err
			}
		}
	}
	bad := "/accounts/" + malformedAccount + "/tokens"
	return r.steps(ctx,
		apiStep{apiOperation{"list with a malformed account id", http.MethodGet, bad, nil}, 400, auth},
		apiStep{apiOperation{"verify with a malformed account id", http.MethodGet, bad + "/verify", nil}, 400, auth},
		apiStep{apiOperation{"permission groups with a malformed account id", http.MethodGet, bad + "/permission_groups", nil}, 400, auth})
}

// apiTokenNoCredentials: every operation of both owners without
// credentials gets 403, code 10000; so does the legacy X-Auth-Email and
// X-Auth-Key pair, which these operations do not take (made-up values:
// the server refuses any).
func (r *session) apiTokenNoCredentials(ctx context.Context, _ *generated.ClientWithResponses) error {
	for _, prefix := range []string{userTokens, r.accountTokens()} {
		for _, op := range r.apiOperations(prefix, unknownAPITokenID) {
			op.step += " without credentials"
			if err := r.steps(ctx, apiStep{op, 403, nil}); err != nil {
				return err
			}
		}
	}
	legacy := Credentials{Email: "recorder@example.com", APIKey: "refused-" + randomHex(8)}.Apply
	return r.steps(ctx, apiStep{apiOperation{"list with X-Auth-Email and X-Auth-Key", http.MethodGet, userTokens, nil}, 403, legacy})
}

// apiTokenRateLimited: every operation of both owners answered 429 with
// Retry-After.
func (r *session) apiTokenRateLimited(ctx context.Context, _ *generated.ClientWithResponses) error {
	for _, prefix := range []string{userTokens, r.accountTokens()} {
		for _, op := range r.apiOperations(prefix, unknownAPITokenID) {
			op.step += " rate limited"
			if _, err := r.call(ctx, op.step, 429, op.method, op.path, op.body, r.opts.Credentials.Apply, r.opts.RateLimit); err != nil {
				return err
			}
		}
	}
	return nil
}
