package generated_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The Cloudflare API token operations through the same round trip: every
// operation, each documented status (200, 403, 429, and 400 and 404 as the
// 4XX range), decodes into the typed field for that status and only it.

const (
	apiTokenID   = "ed17574386854bf78a67040be0a770b0"
	exampleValue = "8M7wS6hCpXVc-DoRnPPY_UCWPgy8aea4Wy6kCe5T"
)

var exampleAPIToken = generated.APIToken{
	ID: apiTokenID, Name: "ai-search-service", Status: generated.Active,
	IssuedOn:   time.Date(2018, 7, 1, 5, 20, 0, 0, time.UTC),
	ModifiedOn: time.Date(2018, 7, 2, 5, 20, 0, 0, time.UTC),
	Policies: []generated.Policy{{
		ID: "f267e341f3dd4697bd3b9f71dd96247f", Effect: generated.Allow,
		PermissionGroups: []generated.PolicyPermissionGroup{{ID: "9e9b428a0bcd46fd80e580b46a69963c", Name: ptr("AI Search Index Engine")}},
		Resources:        generated.APITokenResources{"com.cloudflare.api.account.c3dc5f0b34a14ff8e1b3ec04895e1b22": "*"},
	}},
}

func exampleList() generated.APITokenListEnvelope {
	return generated.APITokenListEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{},
		Result: []generated.APIToken{exampleAPIToken}, ResultInfo: generated.ResultInfo{Page: 1, PerPage: 20, Count: 1, TotalCount: 1}}
}

func exampleOne() generated.APITokenEnvelope {
	return generated.APITokenEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: exampleAPIToken}
}

func exampleCreated() generated.APITokenCreateEnvelope {
	a := exampleAPIToken
	return generated.APITokenCreateEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{},
		Result: generated.APITokenWithValue{ID: a.ID, Name: a.Name, Status: a.Status, IssuedOn: a.IssuedOn, ModifiedOn: a.ModifiedOn, Policies: a.Policies, Value: exampleValue}}
}

func exampleDeleted() generated.APITokenDeleteEnvelope {
	e := generated.APITokenDeleteEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}}
	e.Result = &struct {
		ID string `json:"id"`
	}{ID: apiTokenID}
	return e
}

func exampleRolled() generated.APITokenValueEnvelope {
	return generated.APITokenValueEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}, Result: exampleValue}
}

func exampleVerified() generated.APITokenVerifyEnvelope {
	e := generated.APITokenVerifyEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{}}
	e.Result.ID, e.Result.Status = apiTokenID, generated.Active
	return e
}

func exampleGroups() generated.PermissionGroupListEnvelope {
	return generated.PermissionGroupListEnvelope{Success: true, Errors: generated.Errors{}, Messages: generated.Messages{},
		Result: []generated.PermissionGroup{{ID: "9e9b428a0bcd46fd80e580b46a69963c", Name: "AI Search Index Engine"}}}
}

func authErr() generated.APITokenForbiddenJSONResponse {
	return generated.APITokenForbiddenJSONResponse(failure(403))
}

func rateLimited() generated.APITokenRateLimitedJSONResponse {
	return generated.APITokenRateLimitedJSONResponse{Body: failure(429), Headers: generated.APITokenRateLimitedResponseHeaders{RetryAfter: 7}}
}

// failure is the 4XX body: Cloudflare's failure envelope, result null.
func failure(status int) generated.FailureEnvelope {
	return generated.FailureEnvelope{Errors: []generated.Error{{Code: 10000 + status, Message: "failed"}}, Messages: generated.Messages{}}
}

func (s *server) ListUserAPITokens(context.Context, generated.ListUserAPITokensRequestObject) (generated.ListUserAPITokensResponseObject, error) {
	return answer[generated.ListUserAPITokensResponseObject](s.status, generated.ListUserAPITokens200JSONResponse(exampleList()),
		generated.ListUserAPITokens403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.ListUserAPITokens429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.ListUserAPITokens4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) ListAccountAPITokens(context.Context, generated.ListAccountAPITokensRequestObject) (generated.ListAccountAPITokensResponseObject, error) {
	return answer[generated.ListAccountAPITokensResponseObject](s.status, generated.ListAccountAPITokens200JSONResponse(exampleList()),
		generated.ListAccountAPITokens403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.ListAccountAPITokens429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.ListAccountAPITokens4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) CreateUserAPIToken(context.Context, generated.CreateUserAPITokenRequestObject) (generated.CreateUserAPITokenResponseObject, error) {
	return answer[generated.CreateUserAPITokenResponseObject](s.status, generated.CreateUserAPIToken200JSONResponse(exampleCreated()),
		generated.CreateUserAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.CreateUserAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.CreateUserAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) CreateAccountAPIToken(context.Context, generated.CreateAccountAPITokenRequestObject) (generated.CreateAccountAPITokenResponseObject, error) {
	return answer[generated.CreateAccountAPITokenResponseObject](s.status, generated.CreateAccountAPIToken200JSONResponse(exampleCreated()),
		generated.CreateAccountAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.CreateAccountAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.CreateAccountAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) GetUserAPIToken(context.Context, generated.GetUserAPITokenRequestObject) (generated.GetUserAPITokenResponseObject, error) {
	return answer[generated.GetUserAPITokenResponseObject](s.status, generated.GetUserAPIToken200JSONResponse(exampleOne()),
		generated.GetUserAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.GetUserAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.GetUserAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) GetAccountAPIToken(context.Context, generated.GetAccountAPITokenRequestObject) (generated.GetAccountAPITokenResponseObject, error) {
	return answer[generated.GetAccountAPITokenResponseObject](s.status, generated.GetAccountAPIToken200JSONResponse(exampleOne()),
		generated.GetAccountAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.GetAccountAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.GetAccountAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) UpdateUserAPIToken(context.Context, generated.UpdateUserAPITokenRequestObject) (generated.UpdateUserAPITokenResponseObject, error) {
	return answer[generated.UpdateUserAPITokenResponseObject](s.status, generated.UpdateUserAPIToken200JSONResponse(exampleOne()),
		generated.UpdateUserAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.UpdateUserAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.UpdateUserAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) UpdateAccountAPIToken(context.Context, generated.UpdateAccountAPITokenRequestObject) (generated.UpdateAccountAPITokenResponseObject, error) {
	return answer[generated.UpdateAccountAPITokenResponseObject](s.status, generated.UpdateAccountAPIToken200JSONResponse(exampleOne()),
		generated.UpdateAccountAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.UpdateAccountAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.UpdateAccountAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) DeleteUserAPIToken(context.Context, generated.DeleteUserAPITokenRequestObject) (generated.DeleteUserAPITokenResponseObject, error) {
	return answer[generated.DeleteUserAPITokenResponseObject](s.status, generated.DeleteUserAPIToken200JSONResponse(exampleDeleted()),
		generated.DeleteUserAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.DeleteUserAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.DeleteUserAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) DeleteAccountAPIToken(context.Context, generated.DeleteAccountAPITokenRequestObject) (generated.DeleteAccountAPITokenResponseObject, error) {
	return answer[generated.DeleteAccountAPITokenResponseObject](s.status, generated.DeleteAccountAPIToken200JSONResponse(exampleDeleted()),
		generated.DeleteAccountAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.DeleteAccountAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.DeleteAccountAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) RollUserAPIToken(context.Context, generated.RollUserAPITokenRequestObject) (generated.RollUserAPITokenResponseObject, error) {
	return answer[generated.RollUserAPITokenResponseObject](s.status, generated.RollUserAPIToken200JSONResponse(exampleRolled()),
		generated.RollUserAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.RollUserAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.RollUserAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) RollAccountAPIToken(context.Context, generated.RollAccountAPITokenRequestObject) (generated.RollAccountAPITokenResponseObject, error) {
	return answer[generated.RollAccountAPITokenResponseObject](s.status, generated.RollAccountAPIToken200JSONResponse(exampleRolled()),
		generated.RollAccountAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.RollAccountAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.RollAccountAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) VerifyUserAPIToken(context.Context, generated.VerifyUserAPITokenRequestObject) (generated.VerifyUserAPITokenResponseObject, error) {
	return answer[generated.VerifyUserAPITokenResponseObject](s.status, generated.VerifyUserAPIToken200JSONResponse(exampleVerified()),
		generated.VerifyUserAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.VerifyUserAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.VerifyUserAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) VerifyAccountAPIToken(context.Context, generated.VerifyAccountAPITokenRequestObject) (generated.VerifyAccountAPITokenResponseObject, error) {
	return answer[generated.VerifyAccountAPITokenResponseObject](s.status, generated.VerifyAccountAPIToken200JSONResponse(exampleVerified()),
		generated.VerifyAccountAPIToken403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.VerifyAccountAPIToken429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.VerifyAccountAPIToken4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) ListUserPermissionGroups(context.Context, generated.ListUserPermissionGroupsRequestObject) (generated.ListUserPermissionGroupsResponseObject, error) {
	return answer[generated.ListUserPermissionGroupsResponseObject](s.status, generated.ListUserPermissionGroups200JSONResponse(exampleGroups()),
		generated.ListUserPermissionGroups403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.ListUserPermissionGroups429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.ListUserPermissionGroups4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

func (s *server) ListAccountPermissionGroups(context.Context, generated.ListAccountPermissionGroupsRequestObject) (generated.ListAccountPermissionGroupsResponseObject, error) {
	return answer[generated.ListAccountPermissionGroupsResponseObject](s.status, generated.ListAccountPermissionGroups200JSONResponse(exampleGroups()),
		generated.ListAccountPermissionGroups403JSONResponse{APITokenForbiddenJSONResponse: authErr()},
		generated.ListAccountPermissionGroups429JSONResponse{APITokenRateLimitedJSONResponse: rateLimited()},
		generated.ListAccountPermissionGroups4XXJSONResponse{Body: failure(s.status), StatusCode: s.status}), nil
}

// answer picks the response for the status the test asks for.
func answer[R any](status int, ok, auth, limited, fail R) R {
	switch status {
	case 200:
		return ok
	case 403:
		return auth
	case 429:
		return limited
	}
	return fail
}

// apiOutcome is what the client decoded: which typed fields are set, the
// 200's key fields, whether a 429's Retry-After was decoded, the 4XX's
// first code (0 when its result is not null).
type apiOutcome struct {
	status    int
	set       map[string]bool // "200", "403", "429", "4XX"
	got, want string
	retried   bool
	code4XX   int
}

// decoded is what every API token operation's response shares.
type decoded interface {
	StatusCode() int
	GetJSON403() *generated.APITokenForbidden
	GetJSON429() *generated.APITokenRateLimited
	GetJSON4XX() *generated.FailureEnvelope
}

func outcome(r decoded, has200, retried bool, got func() string, want string) apiOutcome {
	o := apiOutcome{status: r.StatusCode(), want: want, retried: retried,
		set: map[string]bool{"200": has200, "403": r.GetJSON403() != nil, "429": r.GetJSON429() != nil, "4XX": r.GetJSON4XX() != nil}}
	if has200 {
		o.got = got()
	}
	if f := r.GetJSON4XX(); f != nil && len(f.Errors) > 0 && f.Result == nil {
		o.code4XX = f.Errors[0].Code
	}
	return o
}

func TestRoundTripAPITokens(t *testing.T) {
	srv, c := roundTrip(t)
	ctx := context.Background()
	const acct = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	createBody := generated.APITokenCreate{Name: "ai-search-service", Policies: exampleAPIToken.Policies}
	updateBody := generated.APITokenUpdate{Name: "renamed", Policies: exampleAPIToken.Policies, Status: ptr(generated.Disabled)}
	ops := map[string]func() apiOutcome{
		"ListUserAPITokens": func() apiOutcome {
			r, err := c.ListUserAPITokensWithResponse(ctx, &generated.ListUserAPITokensParams{PerPage: ptr(20)})
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string {
				return r.JSON200.Result[0].ID + " " + *r.JSON200.Result[0].Policies[0].PermissionGroups[0].Name
			}, apiTokenID+" AI Search Index Engine")
		},
		"ListAccountAPITokens": func() apiOutcome {
			r, err := c.ListAccountAPITokensWithResponse(ctx, acct, &generated.ListAccountAPITokensParams{Direction: ptr(generated.ListAccountAPITokensParamsDirection("desc"))})
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string {
				return r.JSON200.Result[0].ID + " " + *r.JSON200.Result[0].Policies[0].PermissionGroups[0].Name
			}, apiTokenID+" AI Search Index Engine")
		},
		"CreateUserAPIToken": func() apiOutcome {
			r, err := c.CreateUserAPITokenWithResponse(ctx, createBody)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + r.JSON200.Result.Value }, apiTokenID+" "+exampleValue)
		},
		"CreateAccountAPIToken": func() apiOutcome {
			r, err := c.CreateAccountAPITokenWithResponse(ctx, acct, createBody)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + r.JSON200.Result.Value }, apiTokenID+" "+exampleValue)
		},
		"GetUserAPIToken": func() apiOutcome {
			r, err := c.GetUserAPITokenWithResponse(ctx, apiTokenID)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + string(r.JSON200.Result.Status) }, apiTokenID+" active")
		},
		"GetAccountAPIToken": func() apiOutcome {
			r, err := c.GetAccountAPITokenWithResponse(ctx, acct, apiTokenID)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + string(r.JSON200.Result.Status) }, apiTokenID+" active")
		},
		"UpdateUserAPIToken": func() apiOutcome {
			r, err := c.UpdateUserAPITokenWithResponse(ctx, apiTokenID, updateBody)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + string(r.JSON200.Result.Status) }, apiTokenID+" active")
		},
		"UpdateAccountAPIToken": func() apiOutcome {
			r, err := c.UpdateAccountAPITokenWithResponse(ctx, acct, apiTokenID, updateBody)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + string(r.JSON200.Result.Status) }, apiTokenID+" active")
		},
		"DeleteUserAPIToken": func() apiOutcome {
			r, err := c.DeleteUserAPITokenWithResponse(ctx, apiTokenID)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID }, apiTokenID)
		},
		"DeleteAccountAPIToken": func() apiOutcome {
			r, err := c.DeleteAccountAPITokenWithResponse(ctx, acct, apiTokenID)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID }, apiTokenID)
		},
		"RollUserAPIToken": func() apiOutcome {
			r, err := c.RollUserAPITokenWithResponse(ctx, apiTokenID, generated.RollUserAPITokenJSONRequestBody{})
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result }, exampleValue)
		},
		"RollAccountAPIToken": func() apiOutcome {
			r, err := c.RollAccountAPITokenWithResponse(ctx, acct, apiTokenID, generated.RollAccountAPITokenJSONRequestBody{})
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result }, exampleValue)
		},
		"VerifyUserAPIToken": func() apiOutcome {
			r, err := c.VerifyUserAPITokenWithResponse(ctx)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + string(r.JSON200.Result.Status) }, apiTokenID+" active")
		},
		"VerifyAccountAPIToken": func() apiOutcome {
			r, err := c.VerifyAccountAPITokenWithResponse(ctx, acct)
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result.ID + " " + string(r.JSON200.Result.Status) }, apiTokenID+" active")
		},
		"ListUserPermissionGroups": func() apiOutcome {
			r, err := c.ListUserPermissionGroupsWithResponse(ctx, &generated.ListUserPermissionGroupsParams{Name: ptr("AI Search Index Engine")})
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result[0].ID + " " + r.JSON200.Result[0].Name }, "9e9b428a0bcd46fd80e580b46a69963c AI Search Index Engine")
		},
		"ListAccountPermissionGroups": func() apiOutcome {
			r, err := c.ListAccountPermissionGroupsWithResponse(ctx, acct, &generated.ListAccountPermissionGroupsParams{Scope: ptr("com.cloudflare.api.account")})
			must(t, err)
			return outcome(r, r.JSON200 != nil, r.Headers429 != nil && r.Headers429.RetryAfter == 7, func() string { return r.JSON200.Result[0].ID + " " + r.JSON200.Result[0].Name }, "9e9b428a0bcd46fd80e580b46a69963c AI Search Index Engine")
		},
	}
	field := map[int]string{200: "200", 400: "4XX", 403: "403", 404: "4XX", 429: "429"}
	for name, do := range ops {
		for _, want := range []int{200, 400, 403, 404, 429} {
			srv.status = want
			o := do()
			if o.status != want {
				t.Errorf("%s: status %d, want %d", name, o.status, want)
			}
			for f, ok := range o.set {
				if ok != (f == field[want]) {
					t.Errorf("%s %d: JSON%s set = %v", name, want, f, ok)
				}
			}
			switch want {
			case 200:
				if o.got != o.want {
					t.Errorf("%s 200: decoded %q, want %q", name, o.got, o.want)
				}
			case 429:
				if !o.retried {
					t.Errorf("%s 429: Retry-After 7 not decoded", name)
				}
			case 400, 404:
				if o.code4XX != 10000+want {
					t.Errorf("%s %d: 4XX envelope decoded code %d (a non-null result reads as 0)", name, want, o.code4XX)
				}
			}
		}
	}
	if len(ops) != 16 {
		t.Errorf("%d API token operations, want 16", len(ops))
	}
}
