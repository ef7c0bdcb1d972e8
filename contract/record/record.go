// Package record runs scripted scenarios against a tokens API (Cloudflare's,
// or an emulator) with the generated client and saves what it sees as
// go-vcr cassettes, redacted by package contract as each interaction is
// captured; package contract checks them afterwards.
package record

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/cfauth"
	"github.com/go-aisearch/tokens/internal/permgroups"
)

// Options configure Record.
type Options struct {
	BaseURL     string // ends in /client/v4: https://api.cloudflare.com/client/v4 or an emulator's
	AccountID   string
	Credentials Credentials
	OutDir      string // cassettes are written here, one per scenario
	Prefix      string // prepended to each cassette name; default "recorded-"
	// Overwrite replaces cassettes that exist. Without it, Record refuses
	// to start when one of the files it would write exists (fs.ErrExist).
	Overwrite bool

	// Transport sends the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper

	// ServiceTokenID and ServiceTokenKey are the cf_api_id and cf_api_key
	// the lifecycle registers: AI Search (and the emulator) registers only
	// the current value of a live Cloudflare API token (400, code 7012,
	// otherwise). When they are empty, Record mints one with the API token
	// credential (POST /user/tokens, "AI Search Index Engine" on the
	// account), outside the recordings, and deletes it at the end; with
	// the legacy credentials, which cannot mint, they are required. The key
	// is a secret: it is redacted like the credentials.
	ServiceTokenID, ServiceTokenKey string

	// MarkInUse, when set, lets Record provoke a 409: it marks a token as
	// used by an instance (an emulator hook; the real API needs a real
	// instance).
	MarkInUse func(tokenID string) error

	// RateLimit, when set, edits a request so that the server answers 429
	// (an emulator's fault header).
	RateLimit generated.RequestEditorFn

	// Limits, when set, are the server's limits on an account's instances
	// and namespaces, small enough for the instances-limits scenario to
	// reach them (an emulator's WithMaxInstances and WithMaxNamespaces).
	// The instance scenarios record a job cancel that succeeds only when
	// the job still runs: the registration must hold a working service
	// token (ServiceTokenID, ServiceTokenKey), and jobs must run longer
	// than a scenario takes (an emulator's WithJobDuration); otherwise the
	// cancel is recorded refused (400).
	Limits *Limits

	// Only restricts the run to these scenarios (see Scenarios); empty
	// means all.
	Only []string
}

// Limits are an account's limits on AI Search instances and namespaces
// (besides "default").
type Limits struct{ Instances, Namespaces int }

// Scenarios are the names of the scenarios Record can run, in order: the
// AI Search tokens API's lifecycle, pagination, invalid-input,
// no-credentials, forbidden (the service token, which may manage neither
// registrations nor API tokens, on every operation), in-use (needs
// MarkInUse) and rate-limited (needs RateLimit); the AI Search instance,
// job and namespace operations' instances (the lifecycle in both route
// families), instances-not-found, instances-refused,
// instances-invalid-input, instances-no-credentials, instances-forbidden,
// instances-rate-limited (needs RateLimit) and instances-limits (needs
// Limits); then the Cloudflare API token operations', which need an API
// token (Credentials.APIToken: they take no other credential):
// api-tokens-user and api-tokens-account (the lifecycle of a token of each
// owner), api-tokens-invalid-input, api-tokens-no-credentials and
// api-tokens-rate-limited (needs RateLimit).
var Scenarios = func() []string {
	names := make([]string, len(allScenarios))
	for i, sc := range allScenarios {
		names[i] = sc.name
	}
	return names
}()

// Record runs a scripted lifecycle against opts.BaseURL with the generated
// client and writes what it sees as go-vcr cassettes, one per scenario. Every
// interaction is redacted (see contract.Redact) as soon as it is captured, so no
// credential reaches memory that is saved, nor disk: the API token values
// that create and roll answer become contract.RedactedAPITokenValue there and
// wherever they appear afterwards (a verify's bearer, an echo). It returns
// the files written. Tokens it creates are deleted before it returns, even
// on error, except one left in use by the 409 scenario.
func Record(ctx context.Context, opts Options) ([]string, error) {
	if opts.BaseURL == "" || opts.AccountID == "" || opts.OutDir == "" {
		return nil, errors.New("record: base URL, account id and output directory are required")
	}
	if !strings.HasSuffix(strings.TrimRight(opts.BaseURL, "/"), "/client/v4") {
		return nil, fmt.Errorf("record: base URL %q must end in /client/v4", opts.BaseURL)
	}
	if opts.Credentials == (Credentials{}) {
		return nil, errors.New("record: no credentials")
	}
	if opts.Prefix == "" {
		opts.Prefix = "recorded-"
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	run := randomHex(3)
	if (opts.ServiceTokenID == "") != (opts.ServiceTokenKey == "") {
		return nil, errors.New("record: give both the service token's id and its value, or neither (then one is minted)")
	}
	if opts.ServiceTokenID == "" && opts.Credentials.APIToken == "" {
		return nil, errors.New("record: no service token: give its id and value, or an API token credential to mint one (AI Search registers only a live Cloudflare API token)")
	}
	// Chosen, and their files checked, before anything is minted or
	// recorded, so a refusal leaves no partial run.
	var todo []scenario
	for _, name := range opts.Only {
		if !slices.ContainsFunc(allScenarios, func(sc scenario) bool { return sc.name == name && sc.runnable(opts) }) {
			return nil, fmt.Errorf("record: scenario %q is unknown or needs what is not set (MarkInUse, RateLimit, an API token for api-tokens-*)", name)
		}
	}
	for _, sc := range allScenarios {
		if !sc.runnable(opts) || len(opts.Only) > 0 && !slices.Contains(opts.Only, sc.name) {
			continue
		}
		if _, err := os.Lstat(cassetteFile(opts, sc)); err == nil && !opts.Overwrite {
			return nil, fmt.Errorf("record: %s: %w; refusing to overwrite it", cassetteFile(opts, sc), fs.ErrExist)
		}
		todo = append(todo, sc)
	}
	if opts.ServiceTokenID == "" {
		id, value, err := mintServiceToken(ctx, opts, "contract-"+run+"-service")
		if err != nil {
			return nil, err
		}
		defer deleteServiceToken(opts, id)
		opts.ServiceTokenID, opts.ServiceTokenKey = id, value
	}
	r := &session{opts: opts, prefix: "contract-" + run, known: knownSecrets(opts)}
	var files []string
	for _, sc := range todo {
		file, err := r.record(ctx, sc)
		if file != "" {
			files = append(files, file)
		}
		if err != nil {
			return files, fmt.Errorf("record %s: %w", sc.name, err)
		}
	}
	return files, nil
}

// scenario is one cassette's script; needs, when set, says whether the
// options allow it (MarkInUse, RateLimit, Limits, an API token).
type scenario struct {
	name  string
	needs func(Options) bool
	run   func(*session, context.Context, *generated.ClientWithResponses) error
}

// session holds one Record call's state.
type session struct {
	opts       Options
	prefix     string        // unique token-name prefix of this run
	created    []string      // ids to delete at the end of a scenario
	createdAPI []apiTokenRef // API tokens to delete at the end of a scenario
	createdAIS [][2]string   // instances (namespace, id) and namespaces (name, "") to delete first
	known      *strings.Replacer

	mu     sync.Mutex
	issued []string // API token values servers answered in this run
}

// apiTokenRef names an API token: its owner ("user" or "account") and id.
type apiTokenRef struct{ owner, id string }

// remember keeps an API token value a server answered, to redact it
// wherever it appears in what is recorded after.
func (r *session) remember(value string) {
	if len(value) < cfauth.MinSecretLen || value == contract.RedactedAPITokenValue {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.issued, value) {
		r.issued = append(r.issued, value)
	}
}

// lastIssued is the value the server answered last (by create or roll).
func (r *session) lastIssued() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.issued) == 0 {
		return ""
	}
	return r.issued[len(r.issued)-1]
}

// scrub replaces every credential of the run (see knownSecrets) and every
// API token value issued so far wherever it appears in i: URL, headers and
// bodies. contract.Redact then does the structural part.
func (r *session) scrub(i *cassette.Interaction) {
	r.mu.Lock()
	pairs := make([]string, 0, 2*len(r.issued))
	for _, v := range r.issued {
		pairs = append(pairs, v, contract.RedactedAPITokenValue)
	}
	r.mu.Unlock()
	issued := strings.NewReplacer(pairs...)
	replace := func(s string) string { return issued.Replace(r.known.Replace(s)) }
	i.Request.URL, i.Request.RequestURI = replace(i.Request.URL), replace(i.Request.RequestURI)
	i.Request.Body, i.Response.Body = replace(i.Request.Body), replace(i.Response.Body)
	for _, h := range []*http.Header{&i.Request.Headers, &i.Response.Headers} {
		clean := http.Header{}
		for k, vals := range *h {
			for _, v := range vals {
				clean[k] = append(clean[k], replace(v))
			}
		}
		*h = clean
	}
}

// leftIssued reports whether an issued value is still in i after scrub.
func (r *session) leftIssued(i *cassette.Interaction) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range r.issued {
		for _, s := range []string{i.Request.URL, i.Request.Body, i.Response.Body, fmt.Sprint(i.Request.Headers), fmt.Sprint(i.Response.Headers)} {
			if strings.Contains(s, v) {
				return true
			}
		}
	}
	return false
}

// valueCatcher passes requests on and remembers every API token value an
// answer carries (see contract.APITokenValues) before the recorder redacts it: the
// client gets the redacted answer, and a scenario that authenticates with
// a new value reads it with lastIssued.
type valueCatcher struct {
	next http.RoundTripper
	r    *session
}

func (vc valueCatcher) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := vc.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body)) // for the recorder and the client
	for _, v := range contract.APITokenValues(body) {
		vc.r.remember(v)
	}
	return resp, nil
}

// knownSecrets replaces the values of this run's credentials with their
// placeholders wherever they appear. Values shorter than cfauth.MinSecretLen (an
// open emulator's "x") are left alone: they would match ordinary text.
func knownSecrets(opts Options) *strings.Replacer {
	var pairs []string
	for _, kv := range [][2]string{
		{opts.Credentials.APIToken, contract.RedactedAPIKey},
		{opts.Credentials.APIKey, contract.RedactedAPIKey},
		{opts.Credentials.Email, contract.RedactedEmail},
		{opts.ServiceTokenKey, contract.RedactedCFAPIKey},
	} {
		if len(kv[0]) >= cfauth.MinSecretLen {
			pairs = append(pairs, kv[0], kv[1])
		}
	}
	return strings.NewReplacer(pairs...)
}

// cassetteFile is where the cassette of sc goes.
func cassetteFile(opts Options, sc scenario) string {
	return filepath.Join(opts.OutDir, opts.Prefix+sc.name) + ".yaml"
}

func (r *session) record(ctx context.Context, sc scenario) (string, error) {
	name := strings.TrimSuffix(cassetteFile(r.opts, sc), ".yaml") // go-vcr adds it
	rec, err := recorder.New(name,
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(valueCatcher{r.opts.Transport, r}),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(contract.Matcher),
		recorder.WithHook(func(i *cassette.Interaction) error {
			// A body may echo a credential (the e-mail as created_by, a key
			// in an error message); Redact then fixes the lengths.
			r.scrub(i)
			contract.Redact(i, r.opts.AccountID)
			i.Response.Duration = 0 // keeps re-recordings diffable
			return nil
		}, recorder.AfterCaptureHook),
		// Fail closed: refuse to save a cassette the scan still finds a
		// credential in (a header or field Redact does not know about).
		recorder.WithHook(func(i *cassette.Interaction) error {
			if found := contract.ScanInteraction(contract.FromCassette(i)); len(found) > 0 {
				return fmt.Errorf("interaction %d: %s after redaction; not saving", i.ID, found[0])
			}
			if r.leftIssued(i) {
				return fmt.Errorf("interaction %d: an API token value is left after redaction; not saving", i.ID)
			}
			return nil
		}, recorder.BeforeSaveHook),
	)
	if err != nil {
		return "", err
	}
	c, err := generated.NewClientWithResponses(r.opts.BaseURL, generated.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		return "", err
	}
	r.created, r.createdAPI, r.createdAIS = nil, nil, nil
	runErr := sc.run(r, ctx, c)
	r.cleanup(ctx)
	if err := rec.Stop(); err != nil {
		return "", errors.Join(runErr, err)
	}
	return name + ".yaml", runErr
}

// cleanup deletes what a scenario left behind, without recording.
func (r *session) cleanup(ctx context.Context) {
	if len(r.created) == 0 && len(r.createdAPI) == 0 && len(r.createdAIS) == 0 {
		return
	}
	c, err := plainClient(r.opts)
	if err != nil {
		return
	}
	r.cleanupAIS(ctx, c) // instances first: they keep registrations in use
	for _, id := range r.created {
		_, _ = c.DeleteTokenWithResponse(ctx, r.opts.AccountID, id, r.opts.Credentials.Apply)
	}
	for _, t := range r.createdAPI {
		_, _ = r.tokens(c, t.owner).delete(ctx, t.id, r.opts.Credentials.Apply)
	}
	r.created, r.createdAPI = nil, nil
}

func (r *session) forget(id string) {
	for i, c := range r.created {
		if c == id {
			r.created = append(r.created[:i], r.created[i+1:]...)
			return
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusCoder is every generated *Response.
type statusCoder interface{ StatusCode() int }

// expect turns an unexpected answer into an error naming the step.
func expect(step string, want int, resp statusCoder, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	return expectStatus(step, want, resp.StatusCode(), nil)
}

// expectStatus is expect for an answer reduced to its status.
func expectStatus(step string, want, got int, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	if got != want {
		return fmt.Errorf("%s: status %d, want %d", step, got, want)
	}
	return nil
}

// mintServiceToken creates the Cloudflare API token the scenarios
// register, with the API token credential, outside any recording.
func mintServiceToken(ctx context.Context, opts Options, name string) (id, value string, err error) {
	c, err := plainClient(opts)
	if err != nil {
		return "", "", err
	}
	// What an R2 instance's indexing jobs need, so that the instance
	// scenarios' jobs run (the service token AI Search's docs describe).
	var groups []generated.PolicyPermissionGroup
	for _, id := range permgroups.ServiceToken() {
		groups = append(groups, generated.PolicyPermissionGroup{ID: id})
	}
	body := generated.APITokenCreate{Name: name, Policies: []generated.Policy{{
		Effect:           generated.Allow,
		PermissionGroups: groups,
		Resources:        generated.APITokenResources{"com.cloudflare.api.account." + opts.AccountID: "*"},
	}}}
	resp, err := c.CreateUserAPITokenWithResponse(ctx, body, opts.Credentials.Apply)
	if err != nil {
		return "", "", fmt.Errorf("record: mint the service token: %w", err)
	}
	if resp.JSON200 == nil {
		return "", "", fmt.Errorf("record: mint the service token: POST /user/tokens answered %d (the API token needs \"API Tokens Write\"; or give a service token)", resp.StatusCode())
	}
	return resp.JSON200.Result.ID, resp.JSON200.Result.Value, nil
}

// deleteServiceToken deletes the token mintServiceToken made; a failure
// leaves it behind, which is harmless for a recording, so it is ignored.
func deleteServiceToken(opts Options, id string) {
	c, err := plainClient(opts)
	if err != nil {
		return
	}
	_, _ = c.DeleteUserAPITokenWithResponse(context.Background(), id, opts.Credentials.Apply)
}

// plainClient talks to the API outside any recording.
func plainClient(opts Options) (*generated.ClientWithResponses, error) {
	return generated.NewClientWithResponses(opts.BaseURL, generated.WithHTTPClient(&http.Client{Transport: opts.Transport}))
}
