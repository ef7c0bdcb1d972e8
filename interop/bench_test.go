package interop_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/ai_search"
	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/bench"
	"github.com/go-aisearch/tokens/emulator"
)

const (
	benchToken     = "interop-bench-token"
	benchListSize  = 20 // tokens seeded, all on the first (default) page
	serverEnv      = "INTEROP_BENCH_SERVER"
	serverLifetime = 30 * time.Minute // the child stops by itself after this
)

// TestBenchServer is not a test: BenchmarkVsSDK runs this test binary again
// with INTEROP_BENCH_SERVER=1, and this function then serves an emulator
// holding benchListSize tokens on 127.0.0.1, prints its base URL and serves
// until its stdin closes (the benchmark ended) or serverLifetime passes.
func TestBenchServer(t *testing.T) {
	if os.Getenv(serverEnv) != "1" {
		t.Skip("the benchmark's server process; runs only under BenchmarkVsSDK")
	}
	ts := emulator.NewTestServer(t, emulator.WithAPITokens(benchToken))
	seed := make([]emulator.SeedToken, benchListSize)
	for i := range seed {
		tok := bench.CannedToken(i)
		seed[i] = emulator.SeedToken{ID: tok.ID, Name: tok.Name, CfAPIID: tok.CfAPIID, CfAPIKey: fmt.Sprintf("bench-key-%d", i)}
	}
	ts.Seed(ts.AccountID, seed...)
	fmt.Println(ts.BaseURL)
	done := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(done) }()
	select {
	case <-done:
	case <-time.After(serverLifetime):
	}
}

// benchServer starts the emulator in a child process, so that the
// benchmarks' allocs/op and B/op are the client's alone, and returns its
// base URL.
func benchServer(b *testing.B) string {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchServer$")
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "http://127.0.0.1:") {
		b.Fatalf("benchmark server: %q, %v", line, err)
	}
	go io.Copy(io.Discard, stdout) // the child's closing PASS line
	return strings.TrimSpace(line)
}

// keepAlive is a fresh transport per client, with connection reuse.
func keepAlive() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// BenchmarkVsSDK compares the aisearch client with the official
// cloudflare-go v6 SDK (ai_search.TokenService), each with its defaults,
// one call at a time against the same emulator: a get and a list of the
// default page (20 tokens). The emulator runs in a child process, so B/op
// and allocs/op count the client side only.
func BenchmarkVsSDK(b *testing.B) {
	base := benchServer(b)
	ctx := context.Background()
	id := bench.CannedToken(3).ID
	account := emulator.DefaultAccountID

	b.Run("get/aisearch", func(b *testing.B) {
		c := newAISearch(b, base)
		b.ReportAllocs()
		for b.Loop() {
			if tok, err := c.Registrations.Get(ctx, id); err != nil || tok.ID != id {
				b.Fatal(tok, err)
			}
		}
	})
	b.Run("get/cloudflare-go", func(b *testing.B) {
		c := newCloudflare(base)
		params := ai_search.TokenReadParams{AccountID: str(account)} // made once: str is not the SDK's cost
		b.ReportAllocs()
		for b.Loop() {
			if tok, err := c.AISearch.Tokens.Read(ctx, id, params); err != nil || tok.ID != id {
				b.Fatal(tok, err)
			}
		}
	})
	b.Run("list/aisearch", func(b *testing.B) {
		c := newAISearch(b, base)
		b.ReportAllocs()
		for b.Loop() {
			if p, err := c.Registrations.List(ctx, aisearch.RegistrationListOptions{}); err != nil || len(p.Registrations) != benchListSize {
				b.Fatal(p, err)
			}
		}
	})
	b.Run("list/cloudflare-go", func(b *testing.B) {
		c := newCloudflare(base)
		params := ai_search.TokenListParams{AccountID: str(account)}
		b.ReportAllocs()
		for b.Loop() {
			if p, err := c.AISearch.Tokens.List(ctx, params); err != nil || len(p.Result) != benchListSize {
				b.Fatal(p, err)
			}
		}
	})
}

func newAISearch(b *testing.B, base string) *aisearch.Client {
	c, err := aisearch.New(emulator.DefaultAccountID, aisearch.WithAPIToken(benchToken),
		aisearch.WithBaseURL(base), aisearch.WithHTTPClient(keepAlive()))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func newCloudflare(base string) *client {
	return newClient(option.WithBaseURL(base), option.WithAPIToken(benchToken), option.WithHTTPClient(keepAlive()))
}
