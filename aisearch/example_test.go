package aisearch_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/emulator"
)

// In these examples the project's emulator stands in for
// https://api.cloudflare.com, on a local port.

// exampleAPI starts an emulator that accepts fakeAPIToken and hands out
// deterministic ids; it returns the base URL to give the client. It holds
// the service token the examples register, as if POST /user/tokens had
// made it (id a1b2c3d4e5f6, value the-token-value): AI Search registers
// only a live token.
func exampleAPI(seed ...emulator.SeedToken) (baseURL string, stop func()) {
	srv, err := emulator.New(emulator.WithAPITokens(fakeAPIToken), emulator.WithDeterministicIDs(1))
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: "a1b2c3d4e5f6", Name: "ai-search-service", Value: "the-token-value"}); err != nil {
		log.Fatal(err)
	}
	if err := srv.Seed(fakeAccount, seed...); err != nil {
		log.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	return hs.URL + emulator.BasePath, func() { hs.Close(); srv.Close() }
}

// Register a service API token, then read it back.
func Example() {
	baseURL, stop := exampleAPI()
	defer stop()

	client, err := aisearch.New(fakeAccount,
		aisearch.WithAPIToken(fakeAPIToken),
		aisearch.WithBaseURL(baseURL), // omit for the real API
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tok, err := client.Registrations.Create(ctx, aisearch.RegistrationParams{
		Name:     "ai-search-service",
		CfAPIID:  "a1b2c3d4e5f6",                     // the id from POST /user/tokens
		CfAPIKey: aisearch.Secret("the-token-value"), // its value; never printed
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Registrations.Get(ctx, tok.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.ID, got.Name, got.CfAPIID, got.Enabled, got.Legacy)
	// Output: 6ae6783f-4fbd-491b-aeb8-8b73a48ed247 ai-search-service a1b2c3d4e5f6 true true
}

// FromEnv reads CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN (or
// CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL) and CLOUDFLARE_API_BASE_URL;
// options given to it override the environment.
func ExampleFromEnv() {
	client, err := aisearch.FromEnv(aisearch.WithUserAgent("my-tool/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.AccountID())
}

// All walks every page (100 tokens per request) and stops after the last.
func ExampleRegistrations_All() {
	baseURL, stop := exampleAPI(append(namedTokens("prod", 150), namedTokens("staging", 2)...)...)
	defer stop()
	requests := 0
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(baseURL),
		aisearch.WithRequestHook(func(*http.Request) { requests++ }))
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for tok, err := range client.Registrations.All(context.Background(), aisearch.RegistrationListOptions{Search: "prod"}) {
		if err != nil {
			log.Fatal(err)
		}
		if n == 0 {
			fmt.Println("first:", tok.Name)
		}
		n++
	}
	fmt.Println("tokens:", n, "requests:", requests)
	// Output:
	// first: prod-1
	// tokens: 150 requests: 2
}

// Ensure is safe to run on every deploy: it registers the service
// token only when its cf_api_id is not registered yet.
func ExampleRegistrations_Ensure() {
	baseURL, stop := exampleAPI()
	defer stop()
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(baseURL))
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		tok, created, err := client.Registrations.Ensure(context.Background(), aisearch.RegistrationParams{Name: "ai-search-service", CfAPIID: "a1b2c3d4e5f6", CfAPIKey: aisearch.Secret("the-token-value")})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tok.ID, "created:", created)
	}
	// Output:
	// 6ae6783f-4fbd-491b-aeb8-8b73a48ed247 created: true
	// 6ae6783f-4fbd-491b-aeb8-8b73a48ed247 created: false
}

// Errors are *APIError values; errors.Is tells the kinds apart.
func ExampleAPIError() {
	baseURL, stop := exampleAPI()
	defer stop()
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(baseURL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Registrations.Get(context.Background(), "62af0db3-c410-40b2-9ee3-0e93f6dd1de0")
	fmt.Println(errors.Is(err, aisearch.ErrNotFound))
	var apiErr *aisearch.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Errors[0].Code, apiErr.Errors[0].Message)
	}
	fmt.Println(err)
	// Output:
	// true
	// 404 7075 token_not_found
	// aisearch: GET /accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens/62af0db3-c410-40b2-9ee3-0e93f6dd1de0: 404 Not Found: token_not_found (code 7075)
}

// A Secret never prints its value; Reveal is the only way to it.
func ExampleSecret() {
	key := aisearch.Secret("the-token-value")
	fmt.Println(key)
	fmt.Printf("%v %q %x %#v\n", key, key, key, key)
	fmt.Printf("%+v\n", aisearch.RegistrationParams{Name: "svc", CfAPIKey: key})
	// Output:
	// [REDACTED]
	// [REDACTED] "[REDACTED]" [REDACTED] aisearch.Secret("[REDACTED]")
	// {Name:svc CfAPIID: CfAPIKey:[REDACTED] Legacy:<nil>}
}

// Tune retries: more attempts and a longer waiting budget for a batch job.
func ExampleWithRetryPolicy() {
	policy := aisearch.DefaultRetryPolicy()
	policy.MaxAttempts = 6
	policy.MaxWait = 2 * time.Minute
	_, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithRetryPolicy(policy))
	fmt.Println(err)
	// Output: <nil>
}

// Give AI Search a working service credential, keep it working: Provision
// creates the Cloudflare token and registers it (once: a second run finds
// it healthy), Check says whether it still works, and Rotate replaces it
// without changing the registration's ID, the instances' token_id.
func ExampleClient_Provision() {
	baseURL, stop := exampleAPI()
	defer stop()
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(baseURL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for range 2 {
		p, err := client.Provision(ctx, aisearch.ServiceTokenOptions{})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("token_id:", p.Registration.ID, "created:", p.Created)
	}
	report, err := client.Check(ctx, aisearch.CheckOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("healthy:", report[0].Healthy())

	r, err := client.Rotate(ctx, report[0].Registration.ID, aisearch.ServiceTokenOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token_id:", r.Registration.ID, "new token:", r.APIToken.ID != r.OldCfAPIID, "old deleted:", r.OldDeleted)
	// Output:
	// token_id: 0cd87274-d670-44ca-af0e-0d36c8496db7 created: true
	// token_id: 0cd87274-d670-44ca-af0e-0d36c8496db7 created: false
	// healthy: true
	// token_id: 0cd87274-d670-44ca-af0e-0d36c8496db7 new token: true old deleted: true
}

// Give an instance the registration as its token_id, run an indexing job,
// and let Check name the instance behind the registration. Jobs run in
// the emulator for 2 s of its clock; here they take none.
func ExampleClient_Instances() {
	srv, err := emulator.New(emulator.WithAPITokens(fakeAPIToken), emulator.WithJobDuration(0))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(hs.URL+emulator.BasePath))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	p, err := client.Provision(ctx, aisearch.ServiceTokenOptions{})
	if err != nil {
		log.Fatal(err)
	}
	docs := client.Instances("") // the namespace "default"
	if _, err := docs.Create(ctx, aisearch.InstanceParams{ID: "docs", Type: "r2", Source: "docs-bucket", TokenID: p.Registration.ID}); err != nil {
		log.Fatal(err)
	}
	job, err := docs.StartJob(ctx, "docs", "first sync")
	if err == nil {
		job, err = docs.WaitJob(ctx, "docs", job.ID, time.Minute)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("job ended well:", job.EndedWell())

	report, err := client.Check(ctx, aisearch.CheckOptions{LastJobs: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range report {
		fmt.Println("healthy:", h.Healthy(), "instances:", h.InstanceNames())
	}
	// Output:
	// job ended well: true
	// healthy: true instances: [docs]
}
