package aisearch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// echoBody answers with the request's own body and headers inside the
// response, the worst a server could do: the client must scrub them.
func echoBody(code int, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		echo := string(b) + " " + r.Header.Get("Authorization") + " " + r.Header.Get("X-Auth-Key") + " " + r.Header.Get("X-Auth-Email")
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(code)
		if contentType == "application/json" {
			msg, _ := json.Marshal(echo)
			fmt.Fprintf(w, `{"success":false,"errors":[{"code":7001,"message":%s,"path":[%s]}],"messages":[{"code":1,"message":%s}]}`, msg, msg, msg)
			return
		}
		fmt.Fprintf(w, "<html><body><h1>Bad Gateway</h1><pre>%s</pre></body></html>", echo)
	}
}

// TestNothingPrintedOrReturnedHoldsASecret drives the client through the
// misbehaving-server scenarios with both credential kinds and scans every
// error, its printed and logged forms, and the returned values.
func TestNothingPrintedOrReturnedHoldsASecret(t *testing.T) {
	t.Parallel()
	scenarios := map[string][]http.HandlerFunc{
		"echoed in a JSON error":    {echoBody(400, "application/json")},
		"echoed in an HTML 502":     {echoBody(502, "text/html")},
		"echoed in a 200 non-JSON":  {echoBody(200, "text/plain")},
		"429 then success":          {status(429, envelopeError(971, "slow"), "Retry-After", "1"), okToken},
		"503 storm":                 {status(503, "")},
		"connection reset":          {hangup},
		"truncated JSON":            {status(200, `{"success":true,"result":{"id":"x`)},
		"401 undeclared":            {status(401, envelopeError(10000, "Authentication error"))},
		"409 in use":                {status(409, envelopeError(7006, "Token in use by instances"))},
		"unknown fields":            {status(200, `{"success":true,"result":`+tokenJSON[:len(tokenJSON)-1]+`,"x":{"y":1}}}`)},
		"slow past the deadline":    {func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }},
		"echo then reset on create": {echoBody(500, "application/json"), hangup},
	}
	creds := map[string]aisearch.Option{
		"token": aisearch.WithAPIToken(fakeAPIToken),
		"key":   aisearch.WithAPIKey(fakeEmail, fakeAPIKey),
	}
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for name, steps := range scenarios {
		for credName, cred := range creds {
			srv := newScripted(t, steps...)
			c, _ := newTestClient(t, srv.baseURL(), cred, aisearch.WithRequestHook(func(r *http.Request) {
				logger.Debug("request", "method", r.Method, "url", r.URL.String(), "headers", r.Header)
			}))
			timeout := 10 * time.Second // a bound: only the slow scenario meets it
			if name == "slow past the deadline" {
				timeout = 50 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			record := func(op string, v any, err error) {
				logger.Info(op, "scenario", name, "creds", credName, "result", v, "err", err)
				fmt.Fprintf(&out, "%v\n%+v\n%#v\n%s\n", v, v, v, err)
				if err != nil {
					fmt.Fprintf(&out, "%+v\n%#v\n", err, err)
				}
			}
			tok, err := c.Registrations.Get(ctx, tokenID)
			record("get", tok, err)
			tok, err = c.Registrations.Create(ctx, createParams)
			record("create", tok, err)
			tok, err = c.Registrations.Update(ctx, tokenID, createParams)
			record("update", tok, err)
			err = c.Registrations.Delete(ctx, tokenID)
			record("delete", nil, err)
			tok, created, err := c.Registrations.Ensure(ctx, aisearch.RegistrationParams{Name: "svc", CfAPIID: "cf-1", CfAPIKey: fakeCfAPIKey})
			record("register", fmt.Sprint(tok, created), err)
			cancel()
		}
	}
	if !strings.Contains(out.String(), "[REDACTED]") {
		t.Error("no echoed secret was scrubbed: the scenarios did not exercise scrubbing")
	}
	assertNoSecrets(t, out.String())
}

// A throwaway credential (an open emulator accepts "x") is too short to
// scrub: doing so would garble every message that contains the letter.
func TestShortCredentialDoesNotGarbleErrors(t *testing.T) {
	t.Parallel()
	srv := newScripted(t, status(400, envelopeError(10001, "expected x to be a uuid")))
	c, _ := newTestClient(t, srv.baseURL(), aisearch.WithAPIToken("x"))
	_, err := c.Registrations.Get(context.Background(), tokenID)
	if err == nil || !strings.Contains(err.Error(), "expected x to be a uuid") {
		t.Errorf("err = %v, want the server's message intact", err)
	}
}
