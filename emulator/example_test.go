package emulator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

// The bare handler under httptest, driven by the generated client. In a
// test, emulator.NewTestServer(t) does the same in one line and also hands
// out credentials.
func Example() {
	srv, err := emulator.New(emulator.WithAPITokens("example-token"))
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	c, _ := generated.NewClientWithResponses(hs.URL+emulator.BasePath,
		generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer example-token")
			return nil
		}))
	ctx := context.Background()

	// Only a live Cloudflare API token registers: mint the service token
	// first (POST /user/tokens), then register its id and value.
	minted, _ := c.CreateUserAPITokenWithResponse(ctx, generated.APITokenCreate{Name: "ai-search-service", Policies: []generated.Policy{{
		Effect:           generated.Allow,
		PermissionGroups: []generated.PolicyPermissionGroup{{ID: emulator.AISearchIndexEngineGroupID}},
		Resources:        generated.APITokenResources{"com.cloudflare.api.account." + emulator.DefaultAccountID: "*"},
	}}})
	svc := minted.JSON200.Result
	created, _ := c.CreateTokenWithResponse(ctx, emulator.DefaultAccountID, generated.TokenInput{
		Name: "docs-search", CfAPIID: svc.ID, CfAPIKey: svc.Value,
	})
	fmt.Println(created.StatusCode(), created.JSON201.Result.Name)

	// A key that is not the token's value is refused, as Cloudflare does.
	refused, _ := c.CreateTokenWithResponse(ctx, emulator.DefaultAccountID, generated.TokenInput{
		Name: "docs-search", CfAPIID: svc.ID, CfAPIKey: "not-the-value",
	})
	fmt.Println(refused.StatusCode(), refused.JSON400.Errors[0].Message)

	_ = srv.MarkInUse(emulator.DefaultAccountID, created.JSON201.Result.ID, "docs-instance")
	del, _ := c.DeleteTokenWithResponse(ctx, emulator.DefaultAccountID, created.JSON201.Result.ID)
	fmt.Println(del.StatusCode(), del.JSON409.Errors[0].Message)
	// Output:
	// 201 docs-search
	// 400 ai_search_instance_invalid_token
	// 409 token_in_use_by_instances
}
