package contract

import (
	"bytes"
	"errors"
	"io"
	"net/http"
)

// Transport is an http.RoundTripper that passes each request on and
// validates the exchange, both sides, against the contract. Put it under
// any client in a test to check the traffic it really sends and gets:
//
//	v, _ := contract.NewValidator()
//	hc := &http.Client{Transport: &contract.Transport{Validator: v,
//		OnExchange: func(ix contract.Interaction, res contract.Result) { ... }}}
type Transport struct {
	Next      http.RoundTripper // nil means http.DefaultTransport
	Validator *Validator
	// OnExchange receives every completed exchange with what Validate
	// found. It may be called from several goroutines at once.
	OnExchange func(ix Interaction, res Result)
}

// RoundTrip sends req and validates the exchange. The response body is
// buffered so that both the validator and the caller can read it.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Validator == nil {
		return nil, errors.New("contract.Transport: no Validator (use contract.NewValidator)")
	}
	var reqBody []byte
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		reqBody, err = io.ReadAll(body)
		body.Close()
		if err != nil {
			return nil, err
		}
	}
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := bufferBody(resp)
	if err != nil {
		return nil, err
	}
	ix := Interaction{
		Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header, RequestBody: reqBody,
		Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: respBody,
	}
	res := t.Validator.Validate(req.Context(), ix)
	if t.OnExchange != nil {
		t.OnExchange(ix, res)
	}
	return resp, nil
}

// bufferBody reads resp's body and puts an identical one back, so that
// both the caller and whoever looks at the answer on the way can read it.
func bufferBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}
