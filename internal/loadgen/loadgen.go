// Package loadgen drives mixed, bounded traffic at a tokens API on loopback
// (normally the emulator) and reports throughput, latency percentiles and
// statuses. It speaks plain net/http so that what it measures is the server,
// not a client library.
//
// Each worker owns the tokens it creates: gets, updates and deletes go only
// to its own tokens, so the final state of every token follows from the
// acknowledged operations alone, whatever the interleaving. Lists are global.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-aisearch/tokens/internal/cfauth"
	"github.com/go-aisearch/tokens/internal/permgroups"
)

// Limits keep a mistyped flag from running away with the machine.
const (
	MaxConcurrency = 1024
	MaxRequests    = 10_000_000
	MaxDuration    = 10 * time.Minute
)

// Config says where to send traffic, how much and of which kind.
type Config struct {
	BaseURL     string        // ends in /client/v4; its host must be loopback
	AccountID   string        // account whose tokens are exercised
	APIToken    string        // sent as Authorization: Bearer
	Concurrency int           // workers; default 1
	Requests    int           // total bound; 0 means only Duration bounds the run
	Duration    time.Duration // time bound; 0 means only Requests bounds the run
	Mix         Mix           // default DefaultMix
	Seed        uint64        // makes the operation sequence of each worker reproducible
	// Record keeps the expected final state of every token the run touched
	// (Result.Final), for checking the server's store afterwards.
	Record bool
	// HTTPClient overrides the default client (one keep-alive connection per worker).
	HTTPClient *http.Client
	// ServiceTokenID and ServiceTokenKey are the credential creates and
	// updates register, which must be a live Cloudflare API token (AI Search
	// answers 400, code 7012, to any other). When they are empty, Run mints
	// one first (POST /user/tokens, with APIToken) and registers it.
	ServiceTokenID, ServiceTokenKey string
}

// CheckLoopback refuses base URLs whose host is not a loopback address, so
// the generator can never be pointed at the real API or anybody's server.
func CheckLoopback(baseURL string) error {
	u, err := url.Parse(baseURL)
	if err != nil {
		return fmt.Errorf("base URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("base URL must be http or https, not %q", u.Scheme)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing to send load to %q: only loopback hosts (127.0.0.1, ::1, localhost) are allowed", host)
	}
	return nil
}

func (c *Config) validate() error {
	if err := CheckLoopback(c.BaseURL); err != nil {
		return err
	}
	switch {
	case c.AccountID == "" || strings.ContainsAny(c.AccountID, "/?#"):
		return errors.New("account ID must be non-empty and contain no '/', '?' or '#'")
	case c.Concurrency < 0 || c.Concurrency > MaxConcurrency:
		return fmt.Errorf("concurrency must be from 1 to %d", MaxConcurrency)
	case c.Requests < 0 || c.Requests > MaxRequests:
		return fmt.Errorf("requests must be from 0 to %d", MaxRequests)
	case c.Duration < 0 || c.Duration > MaxDuration:
		return fmt.Errorf("duration must be from 0 to %s", MaxDuration)
	case c.Requests == 0 && c.Duration == 0:
		return errors.New("set a request count, a duration, or both: an unbounded run is refused")
	}
	if c.Mix != nil && c.Mix.total() == 0 {
		return errors.New("mix: no operation has a positive weight")
	}
	return nil
}

// ErrServiceToken is Run's error when the service token it must mint first
// cannot be (the Config was fine).
var ErrServiceToken = errors.New("mint the service token")

// Run sends the traffic and waits for every worker. It returns an error
// for a bad Config, or ErrServiceToken when the service token it must mint
// first cannot be; failed requests are counted in the Result.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 1
	}
	if cfg.Mix == nil {
		cfg.Mix = DefaultMix
	}
	hc := cfg.HTTPClient
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = cfg.Concurrency
		tr.MaxConnsPerHost = cfg.Concurrency
		// A redirect could lead off loopback: answer with the 3xx instead
		// (counted as an unexpected status).
		hc = &http.Client{Transport: tr, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		defer tr.CloseIdleConnections()
	}
	tokensURL := strings.TrimSuffix(cfg.BaseURL, "/") + "/accounts/" + url.PathEscape(cfg.AccountID) + "/ai-search/tokens"
	if cfg.ServiceTokenID == "" || cfg.ServiceTokenKey == "" {
		var err error
		if cfg.ServiceTokenID, cfg.ServiceTokenKey, err = mintServiceToken(ctx, hc, &cfg); err != nil {
			return nil, err
		}
	}

	// The duration stops new requests but lets those in flight finish, so
	// that every sent write has a known outcome.
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	var claimed atomic.Int64
	claim := func() bool {
		if ctx.Err() != nil || (cfg.Duration > 0 && !time.Now().Before(deadline)) {
			return false
		}
		return cfg.Requests == 0 || claimed.Add(1) <= int64(cfg.Requests)
	}
	workers := make([]*worker, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{
			id: i, cfg: &cfg, hc: hc, url: tokensURL,
			rng:   rand.New(rand.NewPCG(cfg.Seed, uint64(i))),
			stats: newStats(),
		}
		if cfg.Record {
			w.final = map[string]Expected{}
		}
		workers[i] = w
		wg.Go(func() { w.run(ctx, claim) })
	}
	wg.Wait()
	res := merge(workers, time.Since(start), cfg.Concurrency, cfg.Record)
	return res, nil
}

// mintServiceToken creates the Cloudflare API token the run registers: a
// user token granting, on the account, the groups AI Search needs
// ("AI Search Index Engine" and "Workers R2 Storage Write"), so that what
// the run leaves registered passes check.
func mintServiceToken(ctx context.Context, hc *http.Client, cfg *Config) (id, value string, err error) {
	var groups []map[string]string
	for _, id := range permgroups.ServiceToken() {
		groups = append(groups, map[string]string{"id": id})
	}
	body, err := json.Marshal(map[string]any{
		"name": "loadgen-service-token",
		"policies": []any{map[string]any{
			"effect":            "allow",
			"permission_groups": groups,
			"resources":         map[string]string{"com.cloudflare.api.account." + cfg.AccountID: "*"},
		}},
	})
	if err != nil {
		return "", "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(cfg.BaseURL, "/")+"/user/tokens", bytes.NewReader(body))
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrServiceToken, err)
	}
	req.Header.Set("Content-Type", "application/json")
	cfauth.Credentials{Token: cfg.APIToken}.Set(req.Header)
	resp, err := hc.Do(req)
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrServiceToken, err)
	}
	defer resp.Body.Close()
	var env struct {
		Result struct {
			ID    string `json:"id"`
			Value string `json:"value"`
		} `json:"result"`
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(data, &env)
	}
	if resp.StatusCode != http.StatusOK || err != nil || env.Result.ID == "" || env.Result.Value == "" {
		return "", "", fmt.Errorf("%w: POST /user/tokens answered %d (the API token needs \"API Tokens Write\")", ErrServiceToken, resp.StatusCode)
	}
	return env.Result.ID, env.Result.Value, nil
}
