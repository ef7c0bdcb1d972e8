package emulator

import (
	"iter"
	"strings"

	"github.com/go-aisearch/tokens/generated"
)

// pageRule is how one list reads page and per_page: openapi.yaml's
// defaults and bounds, applied here too so that the handlers answer the
// same with validation off.
type pageRule struct {
	perPage    int // when per_page is absent
	minPerPage int
	maxPerPage int // a larger per_page gets this
	underMin   int // a smaller per_page gets this
}

var (
	// AI Search registrations, instances and namespaces: a per_page below 1
	// falls back to the default.
	aiSearchPages = pageRule{perPage: 20, minPerPage: 1, maxPerPage: 100, underMin: 20}
	// Cloudflare API tokens: per_page is clamped to 5..50.
	apiTokenPages = pageRule{perPage: 20, minPerPage: 5, maxPerPage: 50, underMin: 5}
)

// paginate returns one page of rows (an empty slice, not nil, past the
// end) and its result_info: it keeps the rows of the page and counts the
// others. A page below 1 is page 1.
func paginate[T any](rule pageRule, page, perPage *int, rows iter.Seq[T]) ([]T, generated.ResultInfo) {
	pageNo, size := 1, rule.perPage
	if page != nil && *page >= 1 {
		pageNo = *page
	}
	if perPage != nil {
		switch p := *perPage; {
		case p < rule.minPerPage:
			size = rule.underMin
		case p > rule.maxPerPage:
			size = rule.maxPerPage
		default:
			size = p
		}
	}
	skip, total, out := offset(pageNo, size), 0, make([]T, 0, size) // size is at most maxPerPage
	for r := range rows {
		if total >= skip && len(out) < size {
			out = append(out, r)
		}
		total++
	}
	return out, generated.ResultInfo{Page: pageNo, PerPage: size, Count: len(out), TotalCount: total}
}

// offset is (page-1)*perPage, saturating instead of overflowing when
// validation is off and a client sends a huge page number.
func offset(pageNo, perPage int) int {
	if pageNo-1 > (1<<31)/perPage {
		return 1 << 31
	}
	return (pageNo - 1) * perPage
}

// searchNeedle is a list's search parameter, lowercased: the AI Search
// lists match it case-insensitively, anywhere in the field, and "" (no
// search) matches every row.
func searchNeedle(search *string) string {
	if search == nil {
		return ""
	}
	return strings.ToLower(*search)
}

// containsFold reports whether field contains needle (from searchNeedle),
// ignoring case.
func containsFold(field, needle string) bool {
	return strings.Contains(strings.ToLower(field), needle)
}

// where iterates over the rows (a table's, in order) that keep accepts.
func where[R any](rows iter.Seq2[string, R], keep func(R) bool) iter.Seq[R] {
	return func(yield func(R) bool) {
		for _, r := range rows {
			if keep(r) && !yield(r) {
				return
			}
		}
	}
}
