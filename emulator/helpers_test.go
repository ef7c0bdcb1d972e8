package emulator_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/generated"
)

const (
	account = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	other   = "0123456789abcdef0123456789abcdef"
	token   = "test-api-token"
	email   = "user@example.com"
	key     = "test-global-key"
	// svcID and svcKey are the service token tests register (the example
	// credentials cloudflare-go's tests send): start seeds it as a live
	// API token of the user, since only those register (code 7012 else).
	svcID  = "a1b2c3d4e5f6"
	svcKey = "abc123"
	// svc2ID and svc2Key: a second one, to update a registration to.
	svc2ID  = "b2c3d4e5f6a1"
	svc2Key = "def456"
)

// seedService makes svcID/svcKey and svc2ID/svc2Key live API tokens of
// the user's.
func seedService(t testing.TB, srv *emulator.Server) {
	t.Helper()
	if err := srv.SeedAPITokens(emulator.UserOwner, emulator.SeedAPIToken{ID: svcID, Name: "service", Value: svcKey},
		emulator.SeedAPIToken{ID: svc2ID, Name: "service 2", Value: svc2Key}); err != nil {
		t.Fatal(err)
	}
}

var (
	validatorOnce sync.Once
	validator     *contract.Validator
	validatorErr  error
)

func sharedValidator(t testing.TB) *contract.Validator {
	t.Helper()
	validatorOnce.Do(func() { validator, validatorErr = contract.NewValidator() })
	if validatorErr != nil {
		t.Fatal(validatorErr)
	}
	return validator
}

// exchange is one request/response the checking middleware saw.
type exchange struct {
	method, path string
	status       int
	result       contract.Result
}

// checked serves an emulator through a middleware that validates every
// response against openapi.yaml (a violation fails the test) and records
// request-side findings for the test to assert.
type checked struct {
	t   testing.TB
	URL string // base URL, .../client/v4
	srv *emulator.Server

	mu        sync.Mutex
	exchanges []exchange
}

// start serves an emulator with the configured token and key, and the
// service token svcID/svcKey seeded (startEmpty: without it).
func start(t testing.TB, opts ...emulator.Option) *checked {
	t.Helper()
	c := startEmpty(t, opts...)
	seedService(t, c.srv)
	return c
}

func startEmpty(t testing.TB, opts ...emulator.Option) *checked {
	t.Helper()
	srv, err := emulator.New(append([]emulator.Option{emulator.WithAPITokens(token), emulator.WithAPIKey(email, key)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	c := &checked{t: t, srv: srv}
	hs := httptest.NewServer(c.middleware(sharedValidator(t), srv.Handler()))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	c.URL = hs.URL + emulator.BasePath
	return c
}

func (c *checked) middleware(v *contract.Validator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var reqBody []byte
		if r.Body != nil {
			reqBody, _ = io.ReadAll(io.LimitReader(r.Body, 1<<20))
			r.Body = io.NopCloser(bytes.NewReader(reqBody))
		}
		reqHeader := r.Header.Clone()
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())

		res := v.Validate(context.Background(), contract.Interaction{
			Method: r.Method, URL: "http://" + r.Host + r.URL.RequestURI(),
			RequestHeader: reqHeader, RequestBody: reqBody,
			Status: rec.Code, ResponseHeader: rec.Header(), ResponseBody: rec.Body.Bytes(),
		})
		// Injected 5xx are undocumented on purpose; their bodies must still be envelopes.
		injected := rec.Header().Get(emulator.FaultHeader) == "injected"
		if injected && rec.Code >= 500 && !bytes.HasPrefix(rec.Body.Bytes(), []byte(`{"errors":[{"code":10005,`)) {
			c.t.Errorf("injected %d is not an envelope: %s", rec.Code, rec.Body.Bytes())
		}
		if res.OperationID != "" && len(res.Response) > 0 && !(injected && rec.Code >= 500) {
			c.t.Errorf("%s %s → %d: response breaks the spec: %v\nbody: %s", r.Method, r.URL.Path, rec.Code, res.Response, rec.Body.Bytes())
		}
		if rec.Code >= 500 && !injected {
			c.t.Errorf("%s %s → %d (no fault asked for): %s", r.Method, r.URL.Path, rec.Code, rec.Body.Bytes())
		}
		for _, secret := range []string{token, key} {
			if bytes.Contains(rec.Body.Bytes(), []byte(secret)) {
				c.t.Errorf("%s %s: response leaks a credential", r.Method, r.URL.Path)
			}
		}
		c.mu.Lock()
		c.exchanges = append(c.exchanges, exchange{method: r.Method, path: r.URL.Path, status: rec.Code, result: res})
		c.mu.Unlock()
	})
}

func (c *checked) seen() []exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]exchange(nil), c.exchanges...)
}

// client returns a generated client sending the given auth headers.
func (c *checked) client(t testing.TB, headers map[string]string) *generated.ClientWithResponses {
	t.Helper()
	cl, err := generated.NewClientWithResponses(c.URL, generated.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		for k, v := range headers {
			r.Header.Set(k, v)
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// do sends a raw request and returns status and body.
func (c *checked) do(t testing.TB, method, path, body string, headers map[string]string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func input(name string) generated.TokenInput {
	return generated.TokenInput{Name: name, CfAPIID: svcID, CfAPIKey: svcKey}
}

func ptr[T any](v T) *T { return &v }

// httpServer serves h on a loopback port until the test ends; it returns
// the server's root URL.
func httpServer(t testing.TB, h http.Handler) string {
	t.Helper()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs.URL
}

// serveDirect sends one request straight to h, with the test's bearer
// token and, when there is a body, a JSON Content-Type.
func serveDirect(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
