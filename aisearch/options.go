package aisearch

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is Cloudflare's API v4.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// defaultUserAgent names this package in every request.
const defaultUserAgent = "go-aisearch-tokens/1"

// Option configures New and FromEnv. Each one checks its argument and
// returns an error for a bad one, so New fails early instead of on the first
// request.
type Option func(*config) error

type credentials struct {
	token Secret // Authorization: Bearer
	email string // X-Auth-Email, with key
	key   Secret // X-Auth-Key
}

type config struct {
	accountID  string
	baseURL    *url.URL
	httpClient *http.Client
	userAgent  string
	retry      RetryPolicy
	hooks      []func(*http.Request)
	creds      credentials
	// now is replaced by in-package tests (WithClock in export_test.go).
	now func() time.Time
}

// WithAPIToken authenticates with a Cloudflare API token (Authorization:
// Bearer), the preferred scheme. The last credential option wins.
func WithAPIToken(token string) Option {
	return func(c *config) error {
		if err := checkHeaderValue("API token", token); err != nil {
			return err
		}
		c.creds = credentials{token: Secret(token)}
		return nil
	}
}

// WithAPIKey authenticates with an account e-mail and a Global API key
// (X-Auth-Email and X-Auth-Key), the legacy scheme. The last credential
// option wins.
func WithAPIKey(email, key string) Option {
	return func(c *config) error {
		if err := checkHeaderValue("e-mail", email); err != nil {
			return err
		}
		if !strings.Contains(email, "@") {
			// Not quoted: a key passed as the e-mail (arguments swapped) is a secret.
			return errors.New("aisearch: e-mail is not an e-mail address (no @; are the e-mail and the key swapped?)")
		}
		if err := checkHeaderValue("API key", key); err != nil {
			return err
		}
		c.creds = credentials{email: email, key: Secret(key)}
		return nil
	}
}

// WithBaseURL sets the API root, e.g. an emulator's
// "http://127.0.0.1:8080/client/v4". It must be an absolute http(s) URL
// without credentials, query or fragment, whose path ends in /client/v4
// (the API's root, behind any proxy prefix): without it every call would
// get 404 "no route". Default: DefaultBaseURL.
func WithBaseURL(raw string) Option {
	return func(c *config) error {
		u, err := parseBaseURL(raw)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient makes requests through a copy of hc (its Transport,
// Timeout, Jar and CheckRedirect), wrapped with retries and authentication.
// hc itself is not changed. Note that hc.Timeout bounds a whole call,
// retries included. A failed create is retried only when it provably sent
// nothing: net/http's client trace shows that the attempt never got a
// connection, or the error is a failed dial. A RoundTripper that fires no
// trace events (one that does not wrap an *http.Transport) leaves every
// other failed create unretried, which is safe: it may have been applied.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("aisearch: WithHTTPClient: nil *http.Client")
		}
		cp := *hc
		c.httpClient = &cp
		return nil
	}
}

// WithUserAgent puts product (e.g. "my-tool/1.2") before this package's own
// User-Agent.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if err := checkHeaderValue("user agent", product); err != nil {
			return err
		}
		c.userAgent = product + " " + defaultUserAgent
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy. RetryPolicy{MaxAttempts: 1}
// turns retries off; WithRetryPolicy(NoWaitRetryPolicy()) keeps them but
// never waits, for tests.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithRequestHook calls hook on every request before it is sent (once per
// call, before any retry), e.g. to add a header or to log. The hook runs
// before authentication and the User-Agent are added, so it never sees the
// credentials; a User-Agent it sets is sent as it is. Calls made
// concurrently run their hooks concurrently.
func WithRequestHook(hook func(*http.Request)) Option {
	return func(c *config) error {
		if hook == nil {
			return errors.New("aisearch: WithRequestHook: nil hook")
		}
		c.hooks = append(c.hooks, hook)
		return nil
	}
}

// WithAccountID overrides the account: it lets FromEnv's caller choose
// another account than CLOUDFLARE_ACCOUNT_ID.
func WithAccountID(id string) Option {
	return func(c *config) error {
		if err := checkAccountID(id); err != nil {
			return err
		}
		c.accountID = id
		return nil
	}
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// *url.Error quotes the whole URL, credentials included: keep only
		// its reason.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("aisearch: base URL: %w", err)
	}
	switch {
	case u.User != nil:
		// Checked first, as the other messages quote the URL. Credentials
		// in a URL end up in logs and errors; use the options.
		return nil, errors.New("aisearch: base URL must not contain credentials")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("aisearch: base URL %q: scheme must be http or https", raw)
	case u.Host == "":
		return nil, fmt.Errorf("aisearch: base URL %q: no host", raw)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, errors.New("aisearch: base URL: no query or fragment allowed") // not quoted: a query may hold a token
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if !strings.HasSuffix(u.Path, apiRoot) {
		root := *u
		if i := strings.Index(u.Path, apiRoot+"/"); i >= 0 {
			root.Path = u.Path[:i+len(apiRoot)]
			return nil, fmt.Errorf("aisearch: base URL %q goes past %s: the API root is %s", raw, apiRoot, &root)
		}
		root.Path = u.Path + apiRoot
		return nil, fmt.Errorf("aisearch: base URL %q has no %s: the API root is %s", raw, apiRoot, &root)
	}
	return u, nil
}

// apiRoot is the path every API root ends in, Cloudflare's and the
// emulator's alike.
const apiRoot = "/client/v4"

// checkHeaderValue refuses empty values and ones that cannot be a header
// (control characters would let a value inject headers). The error never
// quotes the value: it may be a secret.
func checkHeaderValue(what, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("aisearch: empty %s", what)
	}
	if v != strings.TrimSpace(v) {
		return fmt.Errorf("aisearch: %s has leading or trailing whitespace", what)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("aisearch: %s contains a control character", what)
		}
	}
	return nil
}

// checkAccountID refuses ids that would change the request path.
func checkAccountID(id string) error {
	if err := checkPathSegment("account ID", id); err != nil {
		return err
	}
	if strings.ContainsAny(id, " \t") {
		return fmt.Errorf("aisearch: account ID %q contains whitespace", id)
	}
	return nil
}

// checkPathSegment refuses values that cannot be one path segment. Other
// characters are escaped by the generated client; "." and ".." would be
// resolved away by URL parsing and address another resource.
func checkPathSegment(what, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("aisearch: empty %s", what)
	case v == "." || v == "..":
		return fmt.Errorf("aisearch: %s %q is not a valid identifier", what, v)
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("aisearch: %s contains a control character", what)
	}
	return nil
}
