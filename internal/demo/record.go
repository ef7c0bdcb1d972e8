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
	r.seen = append(r.seen, exchange{method: ix.Method, target: target, result: res})
	r.mu.Unlock()
}

// last returns the latest exchange.
func (r *recorder) last() exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen) == 0 {
		return exchange{}
	}
	return r.seen[len(r.seen)-1]
}

func (r *recorder) all() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.seen...)
}
