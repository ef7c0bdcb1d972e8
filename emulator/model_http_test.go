package emulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/go-aisearch/tokens/contract"
	"github.com/go-aisearch/tokens/emulator"
	"github.com/go-aisearch/tokens/internal/testsupport"
)

const (
	apiToken = "modeltest-api-token-4e1f"
	apiEmail = "modeltest@example.com"
	apiKey   = "modeltest-global-key-77ab"
)

// authScheme is how a request authenticates.
type authScheme string

const (
	authBearer           authScheme = "bearer"
	authBearerWithBadKey authScheme = "bearer+bad-key" // the bearer decides
	authKey              authScheme = "key"            // legacy pair, valid: accepted
	authBadBearer        authScheme = "bad-bearer"
	authBadBearerGoodKey authScheme = "bad-bearer+good-key" // the bearer decides: refused
	authEmailOnly        authScheme = "email-only"
	authNone             authScheme = "none"
)

// asValue authenticates with an API token value: "value:<the value>".
func asValue(v string) authScheme { return authScheme("value:" + v) }

// String never shows a value.
func (s authScheme) String() string {
	if strings.HasPrefix(string(s), "value:") {
		return "value:REDACTED"
	}
	return string(s)
}

var authSchemes = []authScheme{authBearer, authBearerWithBadKey, authKey, authBadBearer, authBadBearerGoodKey, authEmailOnly, authNone}

// Valid schemes are drawn far more often, so sequences get somewhere.
func drawAuth(t *rapid.T) authScheme {
	if rapid.IntRange(0, 9).Draw(t, "auth-ok") < 8 {
		return rapid.SampledFrom([]authScheme{authBearer, authKey, authBearerWithBadKey}).Draw(t, "auth")
	}
	return rapid.SampledFrom(authSchemes).Draw(t, "auth")
}

// env is shared by the sequences of a test: the validator, and the
// emulator of the sequence running (a fresh one per sequence: the user's
// API tokens are the emulator's, so sequences must not share one). The
// requests are made with net/http's client and served in process (see
// inProcess): what the network adds is other tests' business, and under
// -race it would be most of this test's time.
type env struct {
	t         *testing.T
	srv       *emulator.Server
	clock     *testsupport.Clock // the sequence's, moved by its advance action
	url       string
	hc        *http.Client
	validator *contract.Validator
}

func newEnv(t *testing.T) *env {
	t.Helper()
	v, err := contract.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, validator: v}
}

// fresh starts a sequence on a new emulator. Its ids are deterministic:
// actions draw from the ids the emulator handed out, so with random ids
// the same seed (or fail file) would replay a different sequence, and
// rapid could neither shrink a failure nor replay it.
func (e *env) fresh() {
	e.clock = newSetClock()
	srv, err := emulator.New(emulator.WithAPITokens(apiToken), emulator.WithAPIKey(apiEmail, apiKey),
		emulator.WithClock(e.clock.Now), emulator.WithDeterministicIDs(1))
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv = srv
	e.url, e.hc = "http://emulator.test"+emulator.BasePath, &http.Client{Transport: inProcess{srv.Handler()}}
}

// inProcess serves a client's requests with a handler, as a server would
// receive them.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	var body io.Reader
	if req.Body != nil {
		data, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(data)
	}
	in := httptest.NewRequestWithContext(req.Context(), req.Method, req.URL.RequestURI(), body)
	in.Header = req.Header.Clone()
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, in)
	return rec.Result(), nil
}

// reply is one answered request.
type reply struct {
	status int
	header http.Header
	body   []byte
	// checked is the contract's verdict on the interaction.
	checked contract.CheckResult
}

// send makes one request and validates the exchange against the contract.
func (e *env) send(t *rapid.T, method, path, rawQuery string, auth authScheme, contentType string, body []byte) reply {
	t.Helper()
	u := e.url + path
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatalf("build %s %s: %v", method, u, err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	switch auth {
	case authBearer:
		req.Header.Set("Authorization", "Bearer "+apiToken)
	case authBearerWithBadKey:
		req.Header.Set("Authorization", "Bearer "+apiToken)
		req.Header.Set("X-Auth-Email", apiEmail)
		req.Header.Set("X-Auth-Key", "wrong-key")
	case authKey:
		req.Header.Set("X-Auth-Email", apiEmail)
		req.Header.Set("X-Auth-Key", apiKey)
	case authBadBearer:
		req.Header.Set("Authorization", "Bearer not-the-token")
	case authBadBearerGoodKey:
		req.Header.Set("Authorization", "Bearer not-the-token")
		req.Header.Set("X-Auth-Email", apiEmail)
		req.Header.Set("X-Auth-Key", apiKey)
	case authEmailOnly:
		req.Header.Set("X-Auth-Email", apiEmail)
	default:
		if v, ok := strings.CutPrefix(string(auth), "value:"); ok {
			req.Header.Set("Authorization", "Bearer "+v)
		}
	}
	reqHeader := req.Header.Clone()
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, body: data}
	r.checked = e.validator.Check(context.Background(), contract.Interaction{
		Method: method, URL: u, RequestHeader: reqHeader, RequestBody: body,
		Status: resp.StatusCode, ResponseHeader: resp.Header, ResponseBody: data,
	})
	if len(r.checked.Response) > 0 {
		t.Fatalf("%s %s (auth %s) -> %d breaks the contract: %v\nrequest body: %s\nresponse: %s", method, u, auth, r.status, r.checked.Response, body, data)
	}
	return r
}

// wireToken is the wire form of a token.
type wireToken struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	CfAPIID    string  `json:"cf_api_id"`
	CreatedAt  string  `json:"created_at"`
	ModifiedAt string  `json:"modified_at"`
	CreatedBy  *string `json:"created_by"`
	ModifiedBy *string `json:"modified_by"`
	Enabled    *bool   `json:"enabled"`
	Legacy     *bool   `json:"legacy"`
}

type wireError struct {
	Code    int      `json:"code"`
	Message string   `json:"message"`
	Path    []string `json:"path"`
}

type wireEnvelope struct {
	Success    *bool           `json:"success"`
	Errors     []wireError     `json:"errors"`
	Messages   []any           `json:"messages"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
	} `json:"result_info"`
}

func decode(t *rapid.T, r reply) wireEnvelope {
	t.Helper()
	var env wireEnvelope
	if err := json.Unmarshal(r.body, &env); err != nil || env.Success == nil {
		t.Fatalf("status %d: not an envelope: %s", r.status, r.body)
	}
	if *env.Success != (r.status < 300) {
		t.Fatalf("status %d with success %v", r.status, *env.Success)
	}
	return env
}
