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

// All iterates over every registration that filter selects (filter.Search;
// Page and PerPage default to 1 and 100), fetching pages as the loop needs
// them. It stops after the last page as result_info tells it (total_count,
// else a short page) without asking for an empty page past the end. On an
// error it yields the error once and stops; breaking out of the loop stops
// fetching.
//
//	for reg, err := range client.Registrations.All(ctx, aisearch.RegistrationListOptions{Search: "prod"}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(reg.ID, reg.Name)
//	}
func (r *Registrations) All(ctx context.Context, filter RegistrationListOptions) iter.Seq2[Registration, error] {
	if filter.PerPage == 0 {
		filter.PerPage = allPerPage
	}
	return walk(filter.Page, filter.PerPage, "registration list", func(page int) ([]Registration, ResultInfo, error) {
		o := filter
		o.Page = page
		p, err := r.List(ctx, o)
		if err != nil {
			return nil, ResultInfo{}, err
		}
		return p.Registrations, p.Info, nil
	})
}

// pageParams checks the page a List asks for (what names its options in
// the error) and returns its query parameters: nil, the API's default, for
// a zero field.
func pageParams(what string, page, perPage int) (*int, *int, error) {
	if page < 0 || perPage < 0 {
		return nil, nil, fmt.Errorf("aisearch: %s: negative Page (%d) or PerPage (%d)", what, page, perPage)
	}
	both := &[2]int{page, perPage} // one allocation for the two, on every page of All
	var p, pp *int
	if page != 0 {
		p = &both[0]
	}
	if perPage != 0 {
		pp = &both[1]
	}
	return p, pp, nil
}

// walk iterates over the elements of a paged list, from page number page
// (0: 1) of perPage on, fetching each page with list as the loop needs it
// and stopping after the last one (isLastPage). On an error it yields the
// error once and stops; what names the list in the error of a list that
// does not end after maxPages pages.
func walk[T any](page, perPage int, what string, list func(page int) ([]T, ResultInfo, error)) iter.Seq2[T, error] {
	if page == 0 {
		page = 1
	}
	return func(yield func(T, error) bool) {
		var zero T
		for n := page; n < page+maxPages; n++ {
			items, info, err := list(n)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if isLastPage(n, perPage, len(items), info) {
				return
			}
		}
		yield(zero, fmt.Errorf("aisearch: %s did not end after %d pages", what, maxPages))
	}
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
