package aisearch

import (
	"context"
	"fmt"
	"iter"
)

// allPerPage is the API's largest page.
const allPerPage = 100

// maxPages bounds All against a server that never says it is done; the API
// itself allows page numbers up to 100.
const maxPages = 1000

// All iterates over every token that filter selects (filter.Search; Page and
// PerPage default to 1 and 100), fetching pages as the loop needs them. It
// stops after the last page as result_info tells it (total_count, else a
// short page) without asking for an empty page past the end. On an error it
// yields the error once and stops; breaking out of the loop stops fetching.
//
//	for t, err := range client.All(ctx, aisearch.ListOptions{Search: "prod"}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(t.ID, t.Name)
//	}
func (c *Client) All(ctx context.Context, filter ListOptions) iter.Seq2[Token, error] {
	start := filter // a copy: the caller may change theirs while iterating
	if start.PerPage == 0 {
		start.PerPage = allPerPage
	}
	if start.Page == 0 {
		start.Page = 1
	}
	return func(yield func(Token, error) bool) {
		opts := start
		for range maxPages {
			page, err := c.List(ctx, opts)
			if err != nil {
				yield(Token{}, err)
				return
			}
			for _, t := range page.Tokens {
				if !yield(t, nil) {
					return
				}
			}
			if lastPage(opts, page) {
				return
			}
			opts.Page++
		}
		yield(Token{}, fmt.Errorf("aisearch: list did not end after %d pages", maxPages))
	}
}

// lastPage reports whether page, fetched with opts, is the end of the list.
func lastPage(opts ListOptions, page *Page) bool {
	return isLastPage(opts.Page, opts.PerPage, len(page.Tokens), page.Info)
}

// isLastPage reports whether page number pageNo, asked for with perPage and
// holding n results described by info, is the end of a list. The page size
// is the server's (result_info.per_page) when it says one: a server that
// serves fewer per page than asked must not end the walk early.
func isLastPage(pageNo, perPage, n int, info ResultInfo) bool {
	if info.PerPage > 0 {
		perPage = info.PerPage
	}
	switch {
	case n == 0:
		return true
	case info.TotalCount > 0:
		return (pageNo-1)*perPage+n >= info.TotalCount
	default: // no total: a short page is the last one
		return n < perPage
	}
}
