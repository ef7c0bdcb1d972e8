package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// LoadCassette reads a go-vcr v4 cassette file (path ends in .yaml) and
// returns its interactions in recorded order.
func LoadCassette(path string) ([]Interaction, error) {
	name, ok := strings.CutSuffix(path, ".yaml")
	if !ok {
		return nil, fmt.Errorf("%s: a cassette file name must end in .yaml", path)
	}
	c, err := cassette.Load(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]Interaction, 0, len(c.Interactions))
	for i, ci := range c.Interactions {
		if ci == nil { // "- null" in the file
			return nil, fmt.Errorf("%s: interaction %d is empty", path, i)
		}
		out = append(out, FromCassette(ci))
	}
	return out, nil
}

// FromCassette converts one recorded go-vcr interaction.
func FromCassette(ci *cassette.Interaction) Interaction {
	return Interaction{
		Method:         ci.Request.Method,
		URL:            ci.Request.URL,
		RequestHeader:  ci.Request.Headers.Clone(),
		RequestBody:    []byte(ci.Request.Body),
		Status:         ci.Response.Code,
		ResponseHeader: ci.Response.Headers.Clone(),
		ResponseBody:   []byte(ci.Response.Body),
	}
}

// ToCassette converts an interaction into go-vcr's form, with the lengths
// and status line that go-vcr would have recorded.
func ToCassette(ix Interaction) *cassette.Interaction {
	host := ""
	if u, err := url.Parse(ix.URL); err == nil {
		host = u.Host
	}
	return &cassette.Interaction{
		Request: cassette.Request{
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			ContentLength: int64(len(ix.RequestBody)),
			Host:          host,
			Body:          string(ix.RequestBody),
			Headers:       ix.RequestHeader.Clone(),
			URL:           ix.URL,
			Method:        ix.Method,
		},
		Response: cassette.Response{
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			ContentLength: int64(len(ix.ResponseBody)),
			Body:          string(ix.ResponseBody),
			Headers:       ix.ResponseHeader.Clone(),
			Status:        fmt.Sprintf("%d %s", ix.Status, http.StatusText(ix.Status)),
			Code:          ix.Status,
		},
	}
}

// Matcher is a go-vcr matcher for replaying recordings: method, path, query
// (order-insensitive) and body, JSON bodies compared by value. Unlike go-vcr's
// default it ignores host and headers, so a recording replays against any
// base URL and redacted credentials do not prevent a match.
func Matcher(r *http.Request, rec cassette.Request) bool {
	if r.Method != rec.Method {
		return false
	}
	u, err := url.Parse(rec.URL)
	if err != nil || r.URL.Path != u.Path {
		return false
	}
	if !reflect.DeepEqual(normQuery(r.URL.Query()), normQuery(u.Query())) {
		return false
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		b, err := readAndRestore(r)
		if err != nil {
			return false
		}
		body = b
	}
	return SameBody(body, []byte(rec.Body))
}

// SameBody reports whether two bodies are equal, as JSON values when both
// are JSON and byte for byte otherwise.
func SameBody(a, b []byte) bool {
	a, b = bytes.TrimSpace(a), bytes.TrimSpace(b)
	var va, vb any
	if json.Unmarshal(a, &va) == nil && json.Unmarshal(b, &vb) == nil {
		return reflect.DeepEqual(va, vb)
	}
	return bytes.Equal(a, b)
}

func normQuery(q url.Values) url.Values {
	if len(q) == 0 {
		return nil
	}
	return q
}

// readAndRestore reads r's body and puts an identical one back, so the
// request can still be sent or matched again.
func readAndRestore(r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return nil, err
	}
	_ = r.Body.Close()
	b := buf.Bytes()
	r.Body = readCloser{bytes.NewReader(b)}
	return b, nil
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// WriteCassette writes interactions as a go-vcr v4 cassette at path (which
// ends in .yaml), creating its directory. It sends them through go-vcr's own
// recorder, so a written cassette is exactly what a recording would be.
func WriteCassette(path string, ixs []Interaction) error {
	name, ok := strings.CutSuffix(path, ".yaml")
	if !ok {
		return fmt.Errorf("%s: a cassette file name must end in .yaml", path)
	}
	next := 0
	answer := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		ix := ixs[next]
		next++
		if req.Body != nil {
			// go-vcr captures the request body as the transport reads it.
			if _, err := io.Copy(io.Discard, req.Body); err != nil {
				return nil, err
			}
		}
		return &http.Response{
			Status: fmt.Sprintf("%d %s", ix.Status, http.StatusText(ix.Status)), StatusCode: ix.Status,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: ix.ResponseHeader.Clone(), ContentLength: int64(len(ix.ResponseBody)),
			Body: io.NopCloser(bytes.NewReader(ix.ResponseBody)), Request: req,
		}, nil
	})
	rec, err := recorder.New(name,
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(answer),
		recorder.WithSkipRequestLatency(true),
		recorder.WithHook(func(i *cassette.Interaction) error {
			i.Response.Duration = 0 // deterministic files
			i.Request.Form = nil
			return nil
		}, recorder.AfterCaptureHook),
	)
	if err != nil {
		return err
	}
	for i, ix := range ixs {
		req, err := http.NewRequest(ix.Method, ix.URL, bytes.NewReader(ix.RequestBody))
		if err != nil {
			return fmt.Errorf("%s: interaction %d: %w", path, i, err)
		}
		if ix.RequestHeader != nil {
			req.Header = ix.RequestHeader.Clone()
		}
		resp, err := rec.RoundTrip(req)
		if err != nil {
			return fmt.Errorf("%s: interaction %d: %w", path, i, err)
		}
		resp.Body.Close()
	}
	return rec.Stop()
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
