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
	created, _ := c.CreateTokenWithResponse(ctx, emulator.DefaultAccountID, generated.TokenInput{
		Name: "docs-search", CfAPIID: "a1b2c3", CfAPIKey: "never-returned",
	})
	fmt.Println(created.StatusCode(), created.JSON201.Result.Name)

	_ = srv.MarkInUse(emulator.DefaultAccountID, created.JSON201.Result.ID, "docs-instance")
	del, _ := c.DeleteTokenWithResponse(ctx, emulator.DefaultAccountID, created.JSON201.Result.ID)
	fmt.Println(del.StatusCode(), del.JSON409.Errors[0].Message)
	// Output:
	// 201 docs-search
	// 409 token in use by instances: docs-instance
}
