package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/bench"
	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
)

const (
	emuToken = "fuzz-emulator-token-0b1c"
	emuEmail = "fuzz@example.com"
	emuKey   = "fuzz-emulator-global-key-9d8e"
	seededID = "62af0db3-c410-40b2-9ee3-0e93f6dd1de0"
)

// fuzzEnv is shared by every input of one fuzzing process: building the
// emulators and the validator per input would leave no time for fuzzing.
var fuzzEnv = sync.OnceValues(func() (*fuzzTargets, error) {
	e := &fuzzTargets{}
	for i, validation := range []bool{true, false} {
		srv, err := emulator.New(emulator.WithAPITokens(emuToken), emulator.WithAPIKey(emuEmail, emuKey), emulator.WithValidation(validation))
		if err != nil {
			return nil, err
		}
		err = srv.Seed(emulator.DefaultAccountID, emulator.SeedToken{ID: seededID, Name: "seeded", CfAPIID: "cfid", CfAPIKey: "fuzz-seeded-key"})
		if err != nil {
			return nil, err
		}
		e.handlers[i] = srv.Handler()
	}
	v, err := contract.NewValidator()
	e.validator = v
	return e, err
})

type fuzzTargets struct {
	handlers  [2]http.Handler // validation on, off
	validator *contract.Validator
}

// pathTemplates steer most inputs to real routes; the last one leaves the
// path entirely to the fuzzer.
var pathTemplates = []string{
	"/accounts/%[1]s/ai-search/tokens",
	"/accounts/%[1]s/ai-search/tokens/%[2]s",
	"/accounts/%[1]s/ai-search/tokens/" + seededID,
	"%[2]s",
}

// FuzzEmulatorHandler sends arbitrary methods, paths, queries, headers and
// bodies to the emulator's handler, with validation on and off. Every
// answer must be a JSON envelope below 500; with validation on, every answer
// to a route of the spec must satisfy the contract (contract.Check: a
// documented status and body, the 4xx that reports a bad request, no
// echoed secret); with validation off, its response must still validate.
func FuzzEmulatorHandler(f *testing.F) {
	for _, ix := range fuzzSeedInteractions() {
		u, err := url.Parse(ix.URL)
		if err != nil {
			continue
		}
		f.Add(false, ix.Method, uint8(3), strings.TrimPrefix(u.Path, "/client/v4"), u.RawQuery, headerText(ix.RequestHeader), uint8(0), ix.RequestBody)
	}
	body := []byte(`{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123","legacy":false}`)
	for auth := range uint8(4) {
		f.Add(false, "GET", uint8(0), "c3dc5f0b34a14ff8e1b3ec04895e1b22", "page=2&per_page=5&search=se", "", auth, []byte(nil))
		f.Add(false, "POST", uint8(0), "acct", "", "Content-Type: application/json", auth, body)
		f.Add(true, "PUT", uint8(2), "c3dc5f0b34a14ff8e1b3ec04895e1b22", "", "Content-Type: application/json", auth, body)
	}
	f.Add(false, "DELETE", uint8(1), "acct", "", "", uint8(1), []byte(nil))
	f.Add(false, "GET", uint8(1), "acct", "per_page=0&page=101&search="+strings.Repeat("x", 300), "", uint8(1), []byte(nil))
	f.Add(false, "PATCH", uint8(0), "acct", "", "", uint8(1), []byte(nil))
	f.Add(true, "POST", uint8(0), "acct", "", "Content-Type: text/plain", uint8(2), []byte(`{"name":1}`))
	f.Add(false, "POST", uint8(0), "acct", "", "Content-Type: application/json", uint8(1), []byte(`{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123","extra":{"a":[1,2]}}`))
	f.Add(false, "GET", uint8(3), "/../../etc/passwd", "", "", uint8(1), []byte(nil))

	f.Fuzz(func(t *testing.T, validationOff bool, method string, tmpl uint8, seg, query, headers string, auth uint8, body []byte) {
		e, err := fuzzEnv()
		if err != nil {
			t.Fatal(err)
		}
		req := buildRequest(method, tmpl, seg, query, headers, auth, body)
		if req == nil {
			return // not something an HTTP server would hand to a handler
		}
		reqBody := append([]byte(nil), body...)
		rec := httptest.NewRecorder()
		h := e.handlers[0]
		if validationOff {
			h = e.handlers[1]
		}
		h.ServeHTTP(rec, req)
		checkAnswer(t, e.validator, !validationOff, req, reqBody, rec)
	})
}

func checkAnswer(t *testing.T, v *contract.Validator, validation bool, req *http.Request, reqBody []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	status := rec.Code
	if status >= 500 {
		t.Fatalf("%s %s: status %d: %s", req.Method, req.URL, status, rec.Body.Bytes())
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: status %d with Content-Type %q", req.Method, req.URL, status, ct)
	}
	var envl struct {
		Success *bool `json:"success"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &envl); err != nil || envl.Success == nil || *envl.Success != (status < 300) {
		t.Fatalf("%s %s: status %d: body is not a Cloudflare envelope: %q", req.Method, req.URL, status, rec.Body.Bytes())
	}
	ix := contract.Interaction{
		Method: req.Method, URL: "http://127.0.0.1" + req.URL.RequestURI(),
		RequestHeader: req.Header, RequestBody: reqBody,
		Status: status, ResponseHeader: rec.Header(), ResponseBody: rec.Body.Bytes(),
	}
	var res contract.Result
	if validation {
		res = v.Check(context.Background(), ix).Result
	} else {
		res = v.Validate(context.Background(), ix)
	}
	if res.OperationID == "" {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s: no operation in the spec, yet status %d", req.Method, req.URL, status)
		}
		return
	}
	res.Response = slices.DeleteFunc(res.Response, func(vl contract.Violation) bool { return innocentEcho(vl, ix) })
	if leaksKey(rec.Body.Bytes()) {
		t.Fatalf("%s %s: the response carries a cf_api_key field: %s", req.Method, req.URL, rec.Body.Bytes())
	}
	if len(res.Response) > 0 {
		t.Fatalf("%s %s (request violations %v): status %d breaks the contract: %v\nbody: %s", req.Method, req.URL, res.Request, status, res.Response, rec.Body.Bytes())
	}
}

// innocentEcho reports whether vl is contract.Check's "echoes the
// request's secret" for a secret that is also part of what the response
// legitimately repeats (the name, cf_api_id, or account in the URL): the
// fuzzer sends cf_api_key "00000000" with name "0000000000", and Check's
// substring search cannot tell those apart. leaksKey below still catches a
// real echo of the key field.
func innocentEcho(vl contract.Violation, ix contract.Interaction) bool {
	if !strings.HasPrefix(vl.Message, "echoes the request's ") {
		return false
	}
	var in struct {
		Name    string `json:"name"`
		CfAPIID string `json:"cf_api_id"`
		Key     string `json:"cf_api_key"`
	}
	_ = json.Unmarshal(ix.RequestBody, &in)
	secret := in.Key
	switch strings.TrimSuffix(strings.TrimPrefix(vl.Message, "echoes the request's "), " (a secret)") {
	case "Authorization":
		_, secret, _ = strings.Cut(ix.RequestHeader.Get("Authorization"), " ")
		secret = strings.TrimSpace(secret)
	case "X-Auth-Key":
		secret = ix.RequestHeader.Get("X-Auth-Key")
	}
	return secret != "" && (strings.Contains(in.Name, secret) || strings.Contains(in.CfAPIID, secret) || strings.Contains(ix.URL, secret))
}

// leaksKey reports whether a JSON body has a cf_api_key member anywhere.
func leaksKey(body []byte) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["cf_api_key"]; ok {
				return true
			}
			for _, c := range v {
				if walk(c) {
					return true
				}
			}
		case []any:
			return slices.ContainsFunc(v, walk)
		}
		return false
	}
	return walk(v)
}

// buildRequest turns fuzz input into the request net/http would deliver, or
// nil when net/http would refuse it before any handler.
func buildRequest(method string, tmpl uint8, seg, query, headers string, auth uint8, body []byte) *http.Request {
	if !isToken(method) {
		return nil
	}
	t := pathTemplates[int(tmpl)%len(pathTemplates)]
	rawPath := "/client/v4" + fmt.Sprintf(t, seg, seg)
	if !strings.HasPrefix(rawPath, "/") {
		return nil
	}
	u, err := url.ParseRequestURI(rawPath + "?" + query)
	if err != nil || strings.ContainsAny(rawPath+query, " \x00\r\n#") {
		return nil
	}
	req := &http.Request{
		Method: method, URL: u, RequestURI: u.RequestURI(), Host: "127.0.0.1",
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	for line := range strings.SplitSeq(headers, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) || strings.ContainsAny(value, "\r\n\x00") {
			continue
		}
		req.Header.Add(name, strings.TrimSpace(value))
	}
	// Fault injection is asked for, not found: a 5xx or a delay on request
	// is the emulator doing its job.
	req.Header.Del(emulator.FaultHeader)
	switch auth % 4 {
	case 1:
		req.Header.Set("Authorization", "Bearer "+emuToken)
	case 2:
		req.Header.Del("Authorization")
		req.Header.Set("X-Auth-Email", emuEmail)
		req.Header.Set("X-Auth-Key", emuKey)
	case 3:
		req.Header.Set("Authorization", "Bearer wrong")
	}
	return req.WithContext(context.Background())
}

// isToken reports whether s is an RFC 9110 token (methods, header names).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func headerText(h http.Header) string {
	var b strings.Builder
	for k, vs := range h {
		for _, v := range vs {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	return b.String()
}

// fuzzSeedInteractions are the contract suite's recorded interactions, the
// seed corpus (none until the suite has recorded them).
func fuzzSeedInteractions() []contract.Interaction {
	ixs, _, err := bench.FixtureInteractions()
	if err != nil {
		return nil
	}
	return ixs
}
