package aisearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// The environment variables FromEnv reads, the ones Cloudflare's tools use.
const (
	EnvAPIToken  = cfauth.EnvAPIToken  // CLOUDFLARE_API_TOKEN
	EnvAPIKey    = cfauth.EnvAPIKey    // CLOUDFLARE_API_KEY, with CLOUDFLARE_EMAIL
	EnvEmail     = cfauth.EnvEmail     // CLOUDFLARE_EMAIL
	EnvAccountID = cfauth.EnvAccountID // CLOUDFLARE_ACCOUNT_ID
	// EnvBaseURL (CLOUDFLARE_API_BASE_URL, wrangler's name) and
	// EnvSDKBaseURL (CLOUDFLARE_BASE_URL, the official SDKs') both set the
	// API root; EnvBaseURL wins when both are set.
	EnvBaseURL    = cfauth.EnvBaseURL
	EnvSDKBaseURL = cfauth.EnvSDKBaseURL
)

// Client calls the AI Search tokens API of one account. It is safe for
// concurrent use. Printing a Client shows its account and base URL only.
type Client struct {
	// Registrations are the account's registered service credentials: the
	// AI Search tokens API.
	Registrations *Registrations
	// Namespaces lists the account's AI Search namespaces; c.Instances(name)
	// calls the instances and jobs of one.
	Namespaces *Namespaces

	accountID string
	base      *url.URL
	gen       *generated.Client
	secrets   []Secret // credentials (e-mail too): scrubbed from anything copied out of a response
	apiToken  bool     // the credential is an API token, not an e-mail and key
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error // the retry policy's Wait
	scrub     func(string) string
}

// New returns a client for accountID. A credential option (WithAPIToken or
// WithAPIKey) is required; everything else has defaults: DefaultBaseURL,
// DefaultRetryPolicy, and an http.Client whose transport waits at most 60s
// for response headers.
func New(accountID string, opts ...Option) (*Client, error) {
	cfg := &config{
		accountID: accountID,
		userAgent: defaultUserAgent,
		retry:     DefaultRetryPolicy(),
		now:       time.Now,
	}
	cfg.baseURL, _ = parseBaseURL(DefaultBaseURL)
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("aisearch: nil Option")
		}
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	return newClient(cfg)
}

// FromEnv returns a client configured from CLOUDFLARE_ACCOUNT_ID, the API
// root (optional: CLOUDFLARE_API_BASE_URL, else CLOUDFLARE_BASE_URL as the
// official SDKs read it) and either CLOUDFLARE_API_TOKEN or
// CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL (the token wins when both are
// set). opts apply after the environment and override it; when they carry a
// credential (WithAPIToken, WithAPIKey) the credential variables are not
// read at all, so a stray or incomplete one cannot get in the way.
func FromEnv(opts ...Option) (*Client, error) {
	return fromEnv(os.Getenv, opts...)
}

func fromEnv(getenv func(string) string, opts ...Option) (*Client, error) {
	var env []Option
	for _, name := range []string{EnvBaseURL, EnvSDKBaseURL} { // the first set wins
		if v := getenv(name); v != "" {
			env = append(env, fromVar(name, WithBaseURL(v)))
			break
		}
	}
	if !setsCredentials(opts) {
		creds, err := cfauth.FromEnv(getenv)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%w: %v", ErrNoCredential, err)
		case creds.Token != "":
			env = append(env, fromVar(EnvAPIToken, WithAPIToken(creds.Token)))
		case creds.Key != "":
			env = append(env, fromVar(EnvAPIKey+"/"+EnvEmail, WithAPIKey(creds.Email, creds.Key)))
		}
	}
	return New(getenv(EnvAccountID), append(env, opts...)...)
}

// setsCredentials reports whether opts choose a credential themselves.
// Options only fill a config, so trying them on a scratch one is harmless;
// New reports any error they return.
func setsCredentials(opts []Option) bool {
	var c config
	for _, o := range opts {
		if o != nil && o(&c) == nil && (!c.creds.token.IsZero() || !c.creds.key.IsZero()) {
			return true
		}
	}
	return false
}

// fromVar names the variable in an option's error.
func fromVar(name string, o Option) Option {
	return func(c *config) error {
		if err := o(c); err != nil {
			return fmt.Errorf("aisearch: %s: %s", name, strings.TrimPrefix(err.Error(), "aisearch: "))
		}
		return nil
	}
}

func newClient(cfg *config) (*Client, error) {
	if cfg.accountID == "" {
		return nil, fmt.Errorf("%w (pass one to New, or set %s for FromEnv)", ErrNoAccountID, EnvAccountID)
	}
	if err := checkAccountID(cfg.accountID); err != nil {
		return nil, err
	}
	if cfg.creds.token.IsZero() && cfg.creds.key.IsZero() {
		return nil, fmt.Errorf("%w: use WithAPIToken or WithAPIKey (FromEnv: set %s, or %s and %s)", ErrNoCredential, EnvAPIToken, EnvAPIKey, EnvEmail)
	}
	hc := cfg.httpClient
	if hc == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = 60 * time.Second
		hc = &http.Client{Transport: t}
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = &retryTransport{
		next: &authTransport{next: next, scheme: cfg.baseURL.Scheme, host: cfg.baseURL.Host, creds: cfg.creds,
			bearer: "Bearer " + cfg.creds.token.Reveal(), userAgent: cfg.userAgent},
		policy: cfg.retry,
		now:    cfg.now,
	}
	hooks := cfg.hooks
	gen, err := generated.NewClient(cfg.baseURL.String(),
		generated.WithHTTPClient(hc),
		generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			for _, h := range hooks {
				h(r)
			}
			return nil
		}))
	if err != nil {
		return nil, fmt.Errorf("aisearch: %w", err)
	}
	secrets := []Secret{cfg.creds.token, cfg.creds.key, Secret(cfg.creds.email)}
	c := &Client{
		accountID: cfg.accountID,
		base:      cfg.baseURL,
		gen:       gen,
		secrets:   secrets,
		apiToken:  !cfg.creds.token.IsZero(),
		scrub:     scrubberOf(secrets),
		now:       cfg.now,
		sleep:     cfg.retry.Wait,
	}
	c.Registrations = &Registrations{c: c}
	c.Namespaces = &Namespaces{c: c}
	return c, nil
}

// AccountID returns the account the client works on.
func (c *Client) AccountID() string { return c.accountID }

// BaseURL returns the API root the client calls.
func (c *Client) BaseURL() string { return c.base.String() }

// UsesAPIToken reports whether the client authenticates with an API token
// (WithAPIToken), not with an e-mail and Global API key (WithAPIKey). The
// API token operations (APITokens) take an API token only.
func (c *Client) UsesAPIToken() bool { return c.apiToken }

// String shows no credentials: fmt and slog print a *Client through it.
func (c *Client) String() string {
	return fmt.Sprintf("aisearch.Client{account: %s, base: %s}", c.accountID, c.base)
}

// GoString keeps %#v from printing the unexported fields.
func (c *Client) GoString() string { return c.String() }

// call sends one operation through the generated client. rec must be passed
// to the generated method: it records the method and path for errors.
type call func(ctx context.Context, rec generated.RequestEditorFn) (*http.Response, error)

// op names a request in errors: its method and API path.
type op struct{ method, path string }

// errorf builds an error that starts with the operation.
func (o op) errorf(format string, args ...any) error {
	return fmt.Errorf("aisearch: %s %s: "+format, append([]any{o.method, o.path}, args...)...)
}

// do runs one operation: send (retries happen in the transport), then turn
// the response into into (a generated envelope) or an error. extra are
// secrets of this request, scrubbed from anything copied from the response.
func (c *Client) do(ctx context.Context, into any, send call, extra ...Secret) (op, error) {
	o := op{"request", "(not built)"}
	if ctx == nil {
		return o, errors.New("aisearch: nil context")
	}
	st := newCallState(ctx)
	ctx, attempts := st, &st.attempts
	resp, err := send(ctx, recordRequest)
	if st.url != nil {
		o = op{st.method, c.apiPath(st.url)}
	}
	if err != nil {
		return o, transportError(o, err, attempts)
	}
	body, err := readBody(resp.Body) // already buffered by retryTransport
	resp.Body.Close()
	if err != nil {
		return o, transportError(o, err, attempts)
	}
	scrub := c.scrubber(extra)
	quote := scrub // what a malformed success body is shown through
	if holdsSecret(into) {
		// A body that should have held a new token's value is never quoted.
		quote = func(string) string { return "(not shown: it may hold a secret)" }
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return o, newAPIError(o, resp, body, int(attempts.Load()), scrub, c.now())
	}
	if into == nil && len(strings.TrimSpace(string(body))) == 0 {
		return o, nil // a delete answered with an empty body
	}
	var intoErr error
	if into != nil {
		// The common case decodes once: a 2xx whose envelope says success.
		if intoErr = json.Unmarshal(body, into); intoErr == nil && succeeded(into) {
			return o, nil
		}
	}
	// A failure envelope behind a 2xx, no success field, or a body that does
	// not fit into: the generic envelope tells which.
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return o, o.malformed(resp.StatusCode, err, body, quote)
	}
	if env.Success != nil && !*env.Success {
		return o, newAPIError(o, resp, body, int(attempts.Load()), scrub, c.now())
	}
	if intoErr != nil {
		return o, o.malformed(resp.StatusCode, intoErr, body, quote)
	}
	if into != nil && env.Success == nil {
		// `{}` or `null` is no answer: read as an empty list it would make
		// Ensure register a duplicate.
		return o, o.malformed(resp.StatusCode, errors.New("no success field in the envelope"), body, quote)
	}
	return o, nil
}

// succeeded reports the success field of a decoded generated envelope
// (false also when it was absent). Every generated envelope has a plain
// bool Success, so one reflective read serves them all.
func succeeded(into any) bool {
	v := reflect.ValueOf(into)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return false
	}
	f := v.Elem().FieldByName("Success")
	return f.IsValid() && f.Kind() == reflect.Bool && f.Bool()
}

// holdsSecret reports whether a success body of this kind carries a secret
// (a new API token value), so that no excerpt of it may reach an error.
func holdsSecret(into any) bool {
	switch into.(type) {
	case *generated.APITokenCreateEnvelope, *generated.APITokenValueEnvelope:
		return true
	}
	return false
}

// apiPath is the request path below the base URL, without the query: what
// errors show.
func (c *Client) apiPath(u *url.URL) string {
	return strings.TrimPrefix(u.EscapedPath(), c.base.EscapedPath())
}

func (c *Client) scrubber(extra []Secret) func(string) string {
	if len(extra) == 0 {
		return c.scrub // made once: most calls have no secret of their own
	}
	return scrubberOf(append(append([]Secret(nil), c.secrets...), extra...))
}

func scrubberOf(secrets []Secret) func(string) string {
	return func(s string) string {
		for _, sec := range secrets {
			// A throwaway credential (an open emulator's "x") would turn
			// every "x" of a message into [REDACTED].
			if len(sec) >= cfauth.MinSecretLen {
				s = strings.ReplaceAll(s, sec.Reveal(), redacted)
			}
		}
		return s
	}
}

// transportError reports a request that got no usable response. It keeps
// the cause for errors.Is (context.DeadlineExceeded, syscall errors) but
// drops *url.Error's full URL: errors show the method and API path only.
func transportError(o op, err error, attempts *atomic.Int32) error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if n := attempts.Load(); n > 1 {
		return o.errorf("%w (after %d attempts)", err, n)
	}
	return o.errorf("%w", err)
}

func (o op) malformed(status int, err error, body []byte, scrub func(string) string) error {
	return o.errorf("%d response: %w: %v (body: %q)", status, ErrMalformedResponse, err, scrub(excerpt(body)))
}
