package demo

import (
	"bytes"
	"io"
	"net/http"
	"sync"

	"github.com/go-aisearch/tokens/contract"
)

// exchange is one request/response the demo made, with what the contract
// validator found.
type exchange struct {
	method, target string // target: path below the base URL, with query
	status         int
	result         contract.Result
}

// recorder is the demo client's transport: it passes each request on and
// validates the exchange, both sides, against openapi.yaml.
type recorder struct {
	next      http.RoundTripper
	validator *contract.Validator
	base      string // path prefix trimmed from targets, e.g. /client/v4

	mu   sync.Mutex
	seen []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		reqBody, err = io.ReadAll(body)
		if err != nil {
			return nil, err
		}
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	res := r.validator.Validate(req.Context(), contract.Interaction{
		Method: req.Method, URL: req.URL.String(),
		RequestHeader: req.Header, RequestBody: reqBody,
		Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: respBody,
	})
	target := req.URL.RequestURI()
	if len(target) >= len(r.base) && target[:len(r.base)] == r.base {
		target = target[len(r.base):]
	}
	r.mu.Lock()
	r.seen = append(r.seen, exchange{method: req.Method, target: target, status: resp.StatusCode, result: res})
	r.mu.Unlock()
	return resp, nil
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
