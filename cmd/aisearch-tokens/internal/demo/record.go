package demo

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/go-aisearch/tokens/contract"
)

// exchange is one request/response the demo made, with what the contract
// validator found.
type exchange struct {
	method, target string // target: path below the base URL, with query
	userAgent      string
	status         int
	result         contract.Result
}

// recorder keeps every exchange of the demo client, validated against
// openapi.yaml by the contract.Transport it feeds.
type recorder struct {
	base string // path prefix trimmed from targets, e.g. /client/v4

	mu   sync.Mutex
	seen []exchange
}

// transport returns the demo client's transport: each exchange is sent on,
// validated both sides, and recorded.
func (r *recorder) transport(v *contract.Validator) http.RoundTripper {
	return &contract.Transport{Validator: v, OnExchange: r.add}
}

func (r *recorder) add(ix contract.Interaction, res contract.Result) {
	target := ix.URL
	if u, err := url.Parse(ix.URL); err == nil {
		target = strings.TrimPrefix(u.RequestURI(), r.base)
	}
	r.mu.Lock()
	r.seen = append(r.seen, exchange{method: ix.Method, target: target, userAgent: ix.RequestHeader.Get("User-Agent"), status: ix.Status, result: res})
	r.mu.Unlock()
}

// count is how many exchanges were made so far.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

// since returns the exchanges made after the first n.
func (r *recorder) since(n int) []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.seen[min(n, len(r.seen)):]...)
}

func (r *recorder) all() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.seen...)
}
