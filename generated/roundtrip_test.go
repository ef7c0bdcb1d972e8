package generated_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// The documented create example from Cloudflare's API reference.
var exampleToken = generated.Token{
	ID:         "182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e",
	CfAPIID:    "cf_api_id",
	Name:       "name",
	CreatedAt:  time.Date(2019, 12, 27, 18, 11, 19, 117e6, time.UTC),
	ModifiedAt: time.Date(2019, 12, 27, 18, 11, 19, 117e6, time.UTC),
	CreatedBy:  ptr("created_by"),
	ModifiedBy: nil, // must travel as null
	Enabled:    ptr(true),
	Legacy:     ptr(true),
}

func ptr[T any](v T) *T { return &v }

func errEnv(code int, msg string) generated.ErrorEnvelope {
	return generated.ErrorEnvelope{Errors: generated.Errors{{Code: code, Message: msg}}}
}

func validationEnv() generated.ValidationErrorEnvelope {
	var env generated.ValidationErrorEnvelope
	if err := env.FromInputValidationFailure(generated.InputValidationFailure{Errors: []generated.ValidationError{
		{Code: 10001, Message: "per_page: number must be at most 100", Path: []string{"query", "per_page"}},
	}}); err != nil {
		panic(err)
	}
	return env
}

// server answers every operation with the status the test asks for next.
type server struct{ status int }

var _ generated.StrictServerInterface = (*server)(nil)

func (s *server) ListTokens(_ context.Context, req generated.ListTokensRequestObject) (generated.ListTokensResponseObject, error) {
	switch s.status {
	case 200:
		return generated.ListTokens200JSONResponse{Success: true, Result: []generated.Token{exampleToken},
			ResultInfo: generated.ResultInfo{Page: 1, PerPage: 20, Count: 1, TotalCount: 1}}, nil
	case 400:
		return generated.ListTokens400JSONResponse(validationEnv()), nil
	case 403:
		return generated.ListTokens403JSONResponse{AuthenticationErrorJSONResponse: generated.AuthenticationErrorJSONResponse(errEnv(10000, "Authentication error"))}, nil
	default:
		return generated.ListTokens429JSONResponse{RateLimitedJSONResponse: generated.RateLimitedJSONResponse{
			Body: errEnv(971, "Please wait"), Headers: generated.RateLimitedResponseHeaders{RetryAfter: 7}}}, nil
	}
}

func (s *server) CreateToken(_ context.Context, req generated.CreateTokenRequestObject) (generated.CreateTokenResponseObject, error) {
	switch s.status {
	case 201:
		tok := exampleToken
		tok.Name, tok.CfAPIID = req.Body.Name, req.Body.CfAPIID
		return generated.CreateToken201JSONResponse{Success: true, Result: tok}, nil
	case 400:
		return generated.CreateToken400JSONResponse(errEnv(7003, "Ai search instance invalid token.")), nil
	case 403:
		return generated.CreateToken403JSONResponse{AuthenticationErrorJSONResponse: generated.AuthenticationErrorJSONResponse(errEnv(10000, "Authentication error"))}, nil
	default:
		return generated.CreateToken429JSONResponse{RateLimitedJSONResponse: generated.RateLimitedJSONResponse{
			Body: errEnv(971, "Please wait"), Headers: generated.RateLimitedResponseHeaders{RetryAfter: 7}}}, nil
	}
}

func (s *server) GetToken(_ context.Context, req generated.GetTokenRequestObject) (generated.GetTokenResponseObject, error) {
	switch s.status {
	case 200:
		return generated.GetToken200JSONResponse{Success: true, Result: exampleToken}, nil
	case 400:
		return generated.GetToken400JSONResponse(validationEnv()), nil
	case 403:
		return generated.GetToken403JSONResponse{AuthenticationErrorJSONResponse: generated.AuthenticationErrorJSONResponse(errEnv(10000, "Authentication error"))}, nil
	case 404:
		return generated.GetToken404JSONResponse(errEnv(7002, "Token not found.")), nil
	default:
		return generated.GetToken429JSONResponse{RateLimitedJSONResponse: generated.RateLimitedJSONResponse{
			Body: errEnv(971, "Please wait"), Headers: generated.RateLimitedResponseHeaders{RetryAfter: 7}}}, nil
	}
}

func (s *server) UpdateToken(_ context.Context, req generated.UpdateTokenRequestObject) (generated.UpdateTokenResponseObject, error) {
	switch s.status {
	case 200:
		tok := exampleToken
		tok.Name = req.Body.Name
		return generated.UpdateToken200JSONResponse{Success: true, Result: tok}, nil
	case 400:
		return generated.UpdateToken400JSONResponse(errEnv(7003, "Ai search instance invalid token.")), nil
	case 403:
		return generated.UpdateToken403JSONResponse{AuthenticationErrorJSONResponse: generated.AuthenticationErrorJSONResponse(errEnv(10000, "Authentication error"))}, nil
	case 404:
		return generated.UpdateToken404JSONResponse(errEnv(7002, "Token not found.")), nil
	default:
		return generated.UpdateToken429JSONResponse{RateLimitedJSONResponse: generated.RateLimitedJSONResponse{
			Body: errEnv(971, "Please wait"), Headers: generated.RateLimitedResponseHeaders{RetryAfter: 7}}}, nil
	}
}

func (s *server) DeleteToken(_ context.Context, req generated.DeleteTokenRequestObject) (generated.DeleteTokenResponseObject, error) {
	switch s.status {
	case 200:
		return generated.DeleteToken200JSONResponse{Success: true}, nil
	case 400:
		return generated.DeleteToken400JSONResponse(validationEnv()), nil
	case 403:
		return generated.DeleteToken403JSONResponse{AuthenticationErrorJSONResponse: generated.AuthenticationErrorJSONResponse(errEnv(10000, "Authentication error"))}, nil
	case 404:
		return generated.DeleteToken404JSONResponse(errEnv(7002, "Token not found.")), nil
	case 409:
		return generated.DeleteToken409JSONResponse(errEnv(7004, "Token in use by instances")), nil
	default:
		return generated.DeleteToken429JSONResponse{RateLimitedJSONResponse: generated.RateLimitedJSONResponse{
			Body: errEnv(971, "Please wait"), Headers: generated.RateLimitedResponseHeaders{RetryAfter: 7}}}, nil
	}
}

// roundTrip serves a *server through the generated strict server on
// loopback and returns it with a generated client for it.
func roundTrip(t *testing.T) (*server, *generated.ClientWithResponses) {
	t.Helper()
	srv := &server{}
	ts := httptest.NewServer(generated.HandlerWithOptions(generated.NewStrictHandler(srv, nil),
		generated.StdHTTPServerOptions{BaseURL: "/client/v4"}))
	t.Cleanup(ts.Close)
	c, err := generated.NewClientWithResponses(ts.URL + "/client/v4")
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestRoundTrip sends every operation through the generated client to the
// generated strict server, once per documented status, and checks that the
// typed field for that status, and only it, is decoded.
func TestRoundTrip(t *testing.T) {
	srv, c := roundTrip(t)
	ctx := context.Background()
	const acct, id = "c3dc5f0b34a14ff8e1b3ec04895e1b22", "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
	body := generated.TokenInput{Name: "my-token", CfAPIID: "a1b2c3d4e5f6", CfAPIKey: "abc123"}

	// decoded reports, per status, whether the typed field was set; all maps
	// must hold exactly one true entry: the status asked for.
	type call func() (status int, set map[int]bool, retryAfter *int, tok *generated.Token)
	ops := map[string]struct {
		statuses []int
		do       call
	}{
		"ListTokens": {[]int{200, 400, 403, 429}, func() (int, map[int]bool, *int, *generated.Token) {
			r, err := c.ListTokensWithResponse(ctx, acct, &generated.ListTokensParams{PerPage: ptr(20)})
			must(t, err)
			var tok *generated.Token
			if r.JSON200 != nil && len(r.JSON200.Result) == 1 {
				tok = &r.JSON200.Result[0]
			}
			return r.StatusCode(), map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}, retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter }), tok
		}},
		"CreateToken": {[]int{201, 400, 403, 429}, func() (int, map[int]bool, *int, *generated.Token) {
			r, err := c.CreateTokenWithResponse(ctx, acct, body)
			must(t, err)
			var tok *generated.Token
			if r.JSON201 != nil {
				tok = &r.JSON201.Result
			}
			return r.StatusCode(), map[int]bool{201: r.JSON201 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 429: r.JSON429 != nil}, retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter }), tok
		}},
		"GetToken": {[]int{200, 400, 403, 404, 429}, func() (int, map[int]bool, *int, *generated.Token) {
			r, err := c.GetTokenWithResponse(ctx, acct, id)
			must(t, err)
			var tok *generated.Token
			if r.JSON200 != nil {
				tok = &r.JSON200.Result
			}
			return r.StatusCode(), map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}, retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter }), tok
		}},
		"UpdateToken": {[]int{200, 400, 403, 404, 429}, func() (int, map[int]bool, *int, *generated.Token) {
			r, err := c.UpdateTokenWithResponse(ctx, acct, id, body)
			must(t, err)
			var tok *generated.Token
			if r.JSON200 != nil {
				tok = &r.JSON200.Result
			}
			return r.StatusCode(), map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 429: r.JSON429 != nil}, retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter }), tok
		}},
		"DeleteToken": {[]int{200, 400, 403, 404, 409, 429}, func() (int, map[int]bool, *int, *generated.Token) {
			r, err := c.DeleteTokenWithResponse(ctx, acct, id)
			must(t, err)
			return r.StatusCode(), map[int]bool{200: r.JSON200 != nil, 400: r.JSON400 != nil, 403: r.JSON403 != nil, 404: r.JSON404 != nil, 409: r.JSON409 != nil, 429: r.JSON429 != nil}, retry(r.Headers429 != nil, func() int { return r.Headers429.RetryAfter }), nil
		}},
	}
	for name, op := range ops {
		for _, want := range op.statuses {
			srv.status = want
			got, set, retryAfter, tok := op.do()
			if got != want {
				t.Errorf("%s: status %d, want %d", name, got, want)
			}
			for st, ok := range set {
				if ok != (st == want) {
					t.Errorf("%s %d: JSON%d set = %v", name, want, st, ok)
				}
			}
			if want == 429 && (retryAfter == nil || *retryAfter != 7) {
				t.Errorf("%s 429: Retry-After not decoded: %v", name, retryAfter)
			}
			if tok != nil {
				checkToken(t, name, *tok)
			}
		}
	}
}

func checkToken(t *testing.T, op string, tok generated.Token) {
	t.Helper()
	if tok.ID != exampleToken.ID || !tok.CreatedAt.Equal(exampleToken.CreatedAt) || !tok.ModifiedAt.Equal(exampleToken.ModifiedAt) {
		t.Errorf("%s: token fields lost: %+v", op, tok)
	}
	if tok.CreatedBy == nil || *tok.CreatedBy != "created_by" || tok.ModifiedBy != nil {
		t.Errorf("%s: nullable fields lost: created_by=%v modified_by=%v", op, tok.CreatedBy, tok.ModifiedBy)
	}
	if tok.Enabled == nil || !*tok.Enabled {
		t.Errorf("%s: enabled lost", op)
	}
}

func retry(ok bool, get func() int) *int {
	if !ok {
		return nil
	}
	v := get()
	return &v
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestNullRoundTrip pins the JSON shape of the nullable fields: an unset
// created_by is sent as null, not dropped, and null decodes back to nil.
func TestNullRoundTrip(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"errors":[],"messages":[],"unknown_field":{"x":1},"result":{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"c","created_at":"2024-01-02T03:04:05Z","modified_at":"2024-01-02T03:04:05Z","created_by":null,"extra":true}}`))
	}))
	defer ts.Close()
	c, err := generated.NewClientWithResponses(ts.URL)
	must(t, err)
	r, err := c.GetTokenWithResponse(context.Background(), "a", "62af0db3-c410-40b2-9ee3-0e93f6dd1de0")
	must(t, err)
	if r.JSON200 == nil || r.JSON200.Result.CreatedBy != nil || r.JSON200.Result.Enabled != nil {
		t.Fatalf("decoded %+v", r.JSON200)
	}
}
