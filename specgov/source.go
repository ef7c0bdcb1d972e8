package specgov

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/go-aisearch/tokens/internal/safefile"
)

// MaxUpstreamSize bounds an upstream schema, file or download. Cloudflare's
// whole published openapi.json (cloudflare/api-schemas) is several MiB
// (over 4 in 2026); the bound leaves it room to grow many times over.
const MaxUpstreamSize = 64 << 20

// UpstreamTimeout bounds a download of the upstream schema, from the
// request to the last byte.
const UpstreamTimeout = 2 * time.Minute

// ReadUpstream returns the upstream schema src names: an https URL (plain
// http only for a loopback host: tests, a local mirror), fetched within
// UpstreamTimeout and until ctx ends, or a file, which must be a regular
// one. Either is refused past MaxUpstreamSize. A scheduled drift check can
// so read Cloudflare's schema straight from its repository:
//
//	aisearch-tokens spec-diff --upstream https://raw.githubusercontent.com/cloudflare/api-schemas/main/openapi.json
func ReadUpstream(ctx context.Context, src string) ([]byte, error) {
	return readUpstream(ctx, src, MaxUpstreamSize, UpstreamTimeout)
}

func readUpstream(ctx context.Context, src string, limit int64, timeout time.Duration) ([]byte, error) {
	u, err := url.Parse(src)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return safefile.ReadFile(src, limit) // not a URL: a file
	}
	if err := checkUpstreamURL(u); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.5")
	client := &http.Client{CheckRedirect: func(r *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return fmt.Errorf("more than %d redirects", len(via))
		}
		return checkUpstreamURL(r.URL) // no way back to plain http
	}}
	name := UpstreamName(src)
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded && context.Cause(ctx) == context.DeadlineExceeded {
			return nil, fmt.Errorf("GET %s: no complete answer within %s", name, timeout)
		}
		return nil, fmt.Errorf("GET %s: %w", name, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", name, resp.Status)
	}
	if resp.ContentLength > limit {
		return nil, &safefile.TooLargeError{Path: name, Size: resp.ContentLength, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		if ctx.Err() != nil && context.Cause(ctx) == context.DeadlineExceeded {
			return nil, fmt.Errorf("GET %s: no complete answer within %s", name, timeout)
		}
		return nil, fmt.Errorf("GET %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, &safefile.TooLargeError{Path: name, Size: -1, Limit: limit}
	}
	return data, nil
}

// checkUpstreamURL allows https, and http to a loopback host only: a
// drift check must not be fooled by a network in the middle.
func checkUpstreamURL(u *url.URL) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return fmt.Errorf("%s: plain http is only for a loopback host; use https", UpstreamName(u.String()))
	}
	return fmt.Errorf("%s: want an https URL or a file", UpstreamName(u.String()))
}

// UpstreamName is src fit to print: a URL without its user information,
// query or fragment (where a token could hide), or the file name as given.
func UpstreamName(src string) string {
	u, err := url.Parse(src)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return src
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// unwrapURLError drops *url.Error's copy of the URL, which may hold a query.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
