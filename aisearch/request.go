package aisearch

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-aisearch/tokens/generated"
)

// List and Get, the calls made most, build their GET requests here rather
// than through the generated builders, which parse the base URL, format
// the path and parse the result again on every call. The requests are the
// same (TestGetRequestsMatchGenerated holds them to it) and go through the
// generated client's request editors and HTTP client, as every call does.

// tokensURL is the URL of the account's token collection.
func tokensURL(gen *generated.Client, accountID string) string {
	// gen.Server always ends in "/" (generated.NewClient sees to it).
	return gen.Server + "accounts/" + url.PathEscape(accountID) + "/ai-search/tokens"
}

// listQuery is the query of a list, in the generated builder's order.
func listQuery(p *generated.ListTokensParams) string {
	var b []byte
	add := func(name, value string) {
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(append(append(b, name...), '='), value...)
	}
	if p.Page != nil {
		add("page", strconv.Itoa(*p.Page))
	}
	if p.PerPage != nil {
		add("per_page", strconv.Itoa(*p.PerPage))
	}
	if p.Search != nil {
		add("search", url.QueryEscape(*p.Search))
	}
	return string(b)
}

// get sends a GET of rawURL as the generated client's methods send theirs:
// its request editors (User-Agent, hooks) first, then rec, then its doer.
func (c *Client) get(ctx context.Context, rawURL string, rec generated.RequestEditorFn) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	for _, edit := range c.gen.RequestEditors {
		if err := edit(ctx, req); err != nil {
			return nil, err
		}
	}
	if err := rec(ctx, req); err != nil {
		return nil, err
	}
	return c.gen.Client.Do(req)
}
