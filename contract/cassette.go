package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/go-aisearch/tokens/internal/safefile"
)

// DefaultMaxCassetteSize bounds a cassette file, and what the YAML aliases
// in it expand to. Recordings are kilobytes; the bound only stops a hostile
// or broken file from exhausting memory (see VerifyOptions.MaxFileSize).
const DefaultMaxCassetteSize = 16 << 20

// LoadCassette reads a go-vcr v4 cassette file (path ends in .yaml, a
// regular file of at most DefaultMaxCassetteSize) and returns its
// interactions in recorded order.
func LoadCassette(path string) ([]Interaction, error) {
	_, ixs, err := readCassette(path, DefaultMaxCassetteSize)
	return ixs, err
}

// readCassette reads a cassette file once: its bytes, for the secret scan,
// and its interactions.
func readCassette(path string, limit int64) ([]byte, []Interaction, error) {
	if !strings.HasSuffix(path, ".yaml") {
		return nil, nil, fmt.Errorf("%s: a cassette file name must end in .yaml", path)
	}
	raw, err := safefile.ReadFile(path, limit)
	if err != nil {
		return nil, nil, err
	}
	ixs, err := ParseCassette(raw, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return raw, ixs, nil
}

// ParseCassette decodes the contents of a go-vcr v4 cassette file. Its YAML
// aliases may not expand it past limit bytes: a small file that repeats one
// large value through aliases costs as much to check as the large file it
// stands for.
func ParseCassette(data []byte, limit int64) ([]Interaction, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	if err := checkExpansion(&root, limit); err != nil {
		return nil, err
	}
	var c cassette.Cassette
	if err := root.Decode(&c); err != nil {
		return nil, err
	}
	if c.Version != cassette.CassetteFormatVersion {
		return nil, fmt.Errorf("%w: %d, want %d", cassette.ErrUnsupportedCassetteFormat, c.Version, cassette.CassetteFormatVersion)
	}
	out := make([]Interaction, 0, len(c.Interactions))
	for i, ci := range c.Interactions {
		if ci == nil { // "- null" in the file
			return nil, fmt.Errorf("interaction %d is empty", i)
		}
		out = append(out, FromCassette(ci))
	}
	return out, nil
}

// checkExpansion fails when decoding root would produce more than limit
// bytes of scalars (each node counts one byte more), aliases expanded. Each
// node's size is computed once, so the check is linear in the file.
func checkExpansion(root *yaml.Node, limit int64) error {
	sizes := map[*yaml.Node]int64{}
	var size func(n *yaml.Node) (int64, error)
	size = func(n *yaml.Node) (int64, error) {
		if s, ok := sizes[n]; ok {
			if s < 0 {
				return 0, errors.New("a YAML alias refers to the node that contains it")
			}
			return s, nil
		}
		sizes[n] = -1 // in progress
		total := int64(len(n.Value)) + 1
		kids := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			kids = []*yaml.Node{n.Alias}
		}
		for _, k := range kids {
			s, err := size(k)
			if err != nil {
				return 0, err
			}
			total = min(total+s, limit+1) // saturate: no overflow, no need to go on counting
		}
		sizes[n] = total
		return total, nil
	}
	total, err := size(root)
	if err != nil {
		return err
	}
	if total > limit {
		return expansionError{limit}
	}
	return nil
}

// expansionError reports a cassette whose aliases expand past the limit.
type expansionError struct{ limit int64 }

func (e expansionError) Error() string {
	return "its YAML aliases expand it to more than " + safefile.FormatSize(e.limit)
}

// Is makes errors.Is(err, safefile.ErrTooLarge) true, as for a file too large.
func (expansionError) Is(target error) bool { return target == safefile.ErrTooLarge }

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
	return sameBody(body, []byte(rec.Body))
}

// sameBody reports whether two bodies are equal, as JSON values when both
// are JSON and byte for byte otherwise.
func sameBody(a, b []byte) bool {
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
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}

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
