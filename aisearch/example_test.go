package aisearch_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// In these examples newFakeAPI stands in for https://api.cloudflare.com:
// an in-memory tokens API on a local port.

// Register a service API token, then read it back.
func Example() {
	api := newFakeAPI()
	defer api.Close()

	client, err := aisearch.New(fakeAccount,
		aisearch.WithAPIToken(fakeAPIToken),
		aisearch.WithBaseURL(api.baseURL()), // omit for the real API
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tok, err := client.Create(ctx, aisearch.TokenParams{
		Name:     "ai-search-service",
		CfAPIID:  "a1b2c3d4e5f6",                     // the id from POST /user/tokens
		CfAPIKey: aisearch.Secret("the-token-value"), // its value; never printed
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Get(ctx, tok.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.ID, got.Name, got.CfAPIID, got.Enabled, got.Legacy)
	// Output: 00000000-0000-4000-8000-000000000001 ai-search-service a1b2c3d4e5f6 true true
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
func ExampleClient_All() {
	api := newFakeAPI()
	defer api.Close()
	api.add("prod", 150)
	api.add("staging", 2)
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(api.baseURL()))
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for tok, err := range client.All(context.Background(), aisearch.ListOptions{Search: "prod"}) {
		if err != nil {
			log.Fatal(err)
		}
		if n == 0 {
			fmt.Println("first:", tok.Name)
		}
		n++
	}
	fmt.Println("tokens:", n, "requests:", api.hitCount("GET /collection"))
	// Output:
	// first: prod-1
	// tokens: 150 requests: 2
}

// EnsureRegistered is safe to run on every deploy: it registers the service
// token only when its cf_api_id is not registered yet.
func ExampleClient_EnsureRegistered() {
	api := newFakeAPI()
	defer api.Close()
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(api.baseURL()))
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		tok, created, err := client.EnsureRegistered(context.Background(), aisearch.TokenParams{Name: "ai-search-service", CfAPIID: "a1b2c3d4e5f6", CfAPIKey: aisearch.Secret("the-token-value")})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(tok.ID, "created:", created)
	}
	// Output:
	// 00000000-0000-4000-8000-000000000001 created: true
	// 00000000-0000-4000-8000-000000000001 created: false
}

// Errors are *APIError values; errors.Is tells the kinds apart.
func ExampleAPIError() {
	api := newFakeAPI()
	defer api.Close()
	client, err := aisearch.New(fakeAccount, aisearch.WithAPIToken(fakeAPIToken), aisearch.WithBaseURL(api.baseURL()))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.Get(context.Background(), "62af0db3-c410-40b2-9ee3-0e93f6dd1de0")
	fmt.Println(errors.Is(err, aisearch.ErrNotFound))
	var apiErr *aisearch.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Errors[0].Code, apiErr.Errors[0].Message)
	}
	fmt.Println(err)
	// Output:
	// true
	// 404 7003 Token not found
	// aisearch: GET /accounts/c3dc5f0b34a14ff8e1b3ec04895e1b22/ai-search/tokens/62af0db3-c410-40b2-9ee3-0e93f6dd1de0: 404 Not Found: Token not found (code 7003)
}

// A Secret never prints its value; Reveal is the only way to it.
func ExampleSecret() {
	key := aisearch.Secret("the-token-value")
	fmt.Println(key)
	fmt.Printf("%v %q %x %#v\n", key, key, key, key)
	fmt.Printf("%+v\n", aisearch.TokenParams{Name: "svc", CfAPIKey: key})
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
