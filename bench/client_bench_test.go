package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

// The client benchmarks call get and list one at a time, so ns/op is the
// latency of one call and B/op and allocs/op its memory. Two servers:
//   - loopback: the bare handler on 127.0.0.1, what a call really costs
//     (allocs include the in-process server's, the same for both clients);
//   - inmemory: a RoundTripper answering canned bytes, no network and no
//     server, so the figures are the client's alone.
// The baseline is a hand-written net/http + encoding/json call doing the
// same: build the request, add the bearer header, send, check the status,
// decode the envelope into a struct.

// handToken is what a hand-written client would declare.
type handToken struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	CfAPIID    string    `json:"cf_api_id"`
	CreatedAt  time.Time `json:"created_at"`
	ModifiedAt time.Time `json:"modified_at"`
	CreatedBy  *string   `json:"created_by"`
	ModifiedBy *string   `json:"modified_by"`
	Enabled    *bool     `json:"enabled"`
	Legacy     *bool     `json:"legacy"`
}

type handGetEnvelope struct {
	Success bool      `json:"success"`
	Result  handToken `json:"result"`
}

type handListEnvelope struct {
	Success    bool        `json:"success"`
	Result     []handToken `json:"result"`
	ResultInfo struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
	} `json:"result_info"`
}

func handCall(ctx context.Context, hc *http.Client, url string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

// inMemory answers like BareHandler without a network.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	res := rec.Result()
	res.Body = io.NopCloser(bytes.NewReader(rec.Body.Bytes()))
	return res, nil
}

// clientTarget is a base URL and the transport that reaches it.
func clientTargets(b *testing.B) map[string]func() (string, *http.Client) {
	return map[string]func() (string, *http.Client){
		"loopback": func() (string, *http.Client) {
			srv := httptest.NewServer(BareHandler(listSize))
			b.Cleanup(srv.Close)
			hc := keepAliveClient(1)
			b.Cleanup(hc.CloseIdleConnections)
			return srv.URL + "/client/v4", hc
		},
		"inmemory": func() (string, *http.Client) {
			return "http://127.0.0.1:1/client/v4", &http.Client{Transport: inMemory{BareHandler(listSize)}}
		},
	}
}

func newClient(b *testing.B, base string, hc *http.Client) *aisearch.Client {
	c, err := aisearch.New(benchAccount, aisearch.WithAPIToken(benchToken), aisearch.WithBaseURL(base), aisearch.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkClient compares the aisearch client with the hand-written call.
func BenchmarkClient(b *testing.B) {
	ctx := context.Background()
	id := CannedToken(0).ID
	for _, target := range []string{"loopback", "inmemory"} {
		for _, op := range []string{"get", "list"} {
			b.Run(target+"/"+op+"/aisearch", func(b *testing.B) {
				base, hc := clientTargets(b)[target]()
				c := newClient(b, base, hc)
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if op == "get" {
						_, err = c.Registrations.Get(ctx, id)
					} else {
						_, err = c.Registrations.List(ctx, aisearch.RegistrationListOptions{})
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(target+"/"+op+"/handwritten", func(b *testing.B) {
				base, hc := clientTargets(b)[target]()
				url := base + TokensPath(benchAccount)
				b.ReportAllocs()
				for b.Loop() {
					var err error
					if op == "get" {
						var env handGetEnvelope
						err = handCall(ctx, hc, url+"/"+id, &env)
					} else {
						var env handListEnvelope
						err = handCall(ctx, hc, url, &env)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
