package aisearch_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
	"github.com/go-aisearch/tokens/generated"
)

// Credentials the fuzzed server may echo back: they must never show up in
// an error the client returns.
const (
	fuzzToken  = "fuzz-api-token-7f3a9c"
	fuzzCfKey  = "fuzz-cf-api-key-51d2e8"
	fuzzTokID  = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
	fuzzAcctID = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
)

// canned answers every request with one fuzzed response, without a network.
type canned struct {
	status int
	header http.Header
	body   []byte
}

func (c canned) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: c.status, Status: http.StatusText(c.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: c.header.Clone(), Body: io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)), Request: req,
	}, nil
}

func fuzzStatus(s uint16) int { return 100 + int(s)%500 } // 100..599

// FuzzClientDecode feeds arbitrary statuses, content types, Retry-After
// values and bodies to the generated Parse<Op>Response functions and to
// every aisearch client operation: each must return an error or a value,
// never panic, and no error may carry a credential of the request.
func FuzzClientDecode(f *testing.F) {
	for _, ix := range fixtureInteractions() {
		f.Add(uint16(ix.Status-100), ix.ResponseHeader.Get("Content-Type"), ix.ResponseHeader.Get("Retry-After"), ix.ResponseBody)
	}
	for _, st := range []int{200, 201, 400, 403, 404, 409, 429, 500, 502} {
		for _, b := range cannedBodies {
			f.Add(uint16(st-100), "application/json", "3", []byte(b))
		}
	}
	f.Add(uint16(400-100), "application/json; charset=utf-8", "", []byte(`{"success":false,"errors":[{"code":1,"message":"echo `+fuzzCfKey+` and `+fuzzToken+`"}]}`))
	f.Add(uint16(200-100), "application/json", "", []byte(`{"success":true,"result":"`+fuzzCfKey+`"}`))
	f.Add(uint16(429-100), "application/json", "-1", []byte(`{"success":false,"errors":[]}`))
	f.Add(uint16(429-100), "application/json", "99999999999999999999", []byte(`{}`))

	f.Fuzz(func(t *testing.T, st uint16, ctype, retryAfter string, body []byte) {
		status := fuzzStatus(st)
		h := http.Header{}
		if ctype != "" {
			h.Set("Content-Type", ctype)
		}
		if retryAfter != "" {
			h.Set("Retry-After", retryAfter)
		}
		resp := canned{status: status, header: h, body: body}
		parseGenerated(t, resp)

		hc := &http.Client{Transport: resp}
		c, err := aisearch.New(fuzzAcctID,
			aisearch.WithAPIToken(fuzzToken),
			aisearch.WithBaseURL("http://127.0.0.1:1/client/v4"),
			aisearch.WithHTTPClient(hc),
			aisearch.WithRetryPolicy(aisearch.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		params := aisearch.RegistrationParams{Name: "n", CfAPIID: "c", CfAPIKey: aisearch.Secret(fuzzCfKey)}
		// secrets are the credentials each request carried: the client can
		// scrub only what it sent (list, get and delete carry no cf_api_key).
		check := func(op string, err error, secrets ...string) {
			t.Helper()
			ok := status >= 200 && status <= 299
			if err == nil && !ok {
				t.Errorf("%s: status %d accepted as success", op, status)
			}
			for _, s := range append(secrets, fuzzToken) {
				if err != nil && strings.Contains(err.Error(), s) {
					t.Errorf("%s: error leaks a credential it sent: %v", op, err)
				}
			}
		}
		page, err := c.Registrations.List(ctx, aisearch.RegistrationListOptions{})
		check("list", err)
		if err == nil && page.Registrations == nil {
			t.Error("list: nil Tokens on success")
		}
		_, err = c.Registrations.Get(ctx, fuzzTokID)
		check("get", err)
		_, err = c.Registrations.Create(ctx, params)
		check("create", err, fuzzCfKey)
		_, err = c.Registrations.Update(ctx, fuzzTokID, params)
		check("update", err, fuzzCfKey)
		check("delete", c.Registrations.Delete(ctx, fuzzTokID))
	})
}

// parseGenerated runs the generated decoders; they may fail, not panic.
func parseGenerated(t *testing.T, c canned) {
	t.Helper()
	mk := func() *http.Response {
		r, _ := c.RoundTrip(&http.Request{})
		return r
	}
	_, _ = generated.ParseListTokensResponse(mk())
	_, _ = generated.ParseGetTokenResponse(mk())
	_, _ = generated.ParseCreateTokenResponse(mk())
	_, _ = generated.ParseUpdateTokenResponse(mk())
	_, _ = generated.ParseDeleteTokenResponse(mk())
}
