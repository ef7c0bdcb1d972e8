package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/internal/cfauth"
)

// Expected is what the server must hold for one token after the run,
// according to the operations it acknowledged.
type Expected struct {
	Name    string
	CfAPIID string
	Legacy  bool
	Deleted bool
	// Uncertain: a write to this token failed without an answer (transport
	// error), so either outcome is correct.
	Uncertain bool
}

type worker struct {
	id    int
	cfg   *Config
	hc    *http.Client
	url   string
	rng   *rand.Rand
	owned []string // tokens this worker created and has not deleted
	seq   int
	stats *stats
	final map[string]Expected
	lost  int // creates whose outcome is unknown
}

func (w *worker) run(ctx context.Context, claim func() bool) {
	for claim() {
		op := w.cfg.Mix.pick(w.rng)
		if op != OpList && op != OpCreate && len(w.owned) == 0 {
			op = OpCreate // nothing of ours to read or change yet
		}
		switch op {
		case OpList:
			w.list(ctx)
		case OpGet:
			id := w.owned[w.rng.IntN(len(w.owned))]
			w.do(ctx, op, http.MethodGet, w.url+"/"+id, nil, http.StatusOK)
		case OpCreate:
			w.create(ctx)
		case OpUpdate:
			w.update(ctx)
		case OpDelete:
			w.delete(ctx)
		}
	}
}

func (w *worker) list(ctx context.Context) {
	perPage := []int{5, 20, 50, 100}[w.rng.IntN(4)]
	q := fmt.Sprintf("?page=%d&per_page=%d", 1+w.rng.IntN(3), perPage)
	if w.rng.IntN(4) == 0 {
		q += fmt.Sprintf("&search=load-%d-", w.id)
	}
	w.do(ctx, OpList, http.MethodGet, w.url+q, nil, http.StatusOK)
}

type input struct {
	Name     string `json:"name"`
	CfAPIID  string `json:"cf_api_id"`
	CfAPIKey string `json:"cf_api_key"`
	Legacy   *bool  `json:"legacy,omitempty"`
}

// nextInput makes a fresh body; legacy is sometimes omitted (default true).
func (w *worker) nextInput() (input, Expected) {
	w.seq++
	in := input{
		Name:     fmt.Sprintf("load-%d-%d", w.id, w.seq),
		CfAPIID:  w.cfg.ServiceTokenID,
		CfAPIKey: w.cfg.ServiceTokenKey,
	}
	exp := Expected{Name: in.Name, CfAPIID: in.CfAPIID, Legacy: true}
	if r := w.rng.IntN(3); r < 2 {
		legacy := r == 1
		in.Legacy = &legacy
		exp.Legacy = legacy
	}
	return in, exp
}

func (w *worker) create(ctx context.Context) {
	in, exp := w.nextInput()
	body, status, err := w.do(ctx, OpCreate, http.MethodPost, w.url, in, http.StatusCreated)
	switch {
	case err != nil:
		w.lost++
	case status == http.StatusCreated:
		var env struct {
			Result struct {
				ID string `json:"id"`
			} `json:"result"`
		}
		if json.Unmarshal(body, &env) != nil || env.Result.ID == "" {
			w.lost++ // created, but we cannot tell which token it is
			return
		}
		w.owned = append(w.owned, env.Result.ID)
		w.record(env.Result.ID, exp)
	}
}

func (w *worker) update(ctx context.Context) {
	id := w.owned[w.rng.IntN(len(w.owned))]
	in, exp := w.nextInput()
	_, status, err := w.do(ctx, OpUpdate, http.MethodPut, w.url+"/"+id, in, http.StatusOK)
	switch {
	case err != nil:
		w.uncertain(id)
	case status == http.StatusOK:
		w.record(id, exp)
	}
}

func (w *worker) delete(ctx context.Context) {
	i := w.rng.IntN(len(w.owned))
	id := w.owned[i]
	_, status, err := w.do(ctx, OpDelete, http.MethodDelete, w.url+"/"+id, nil, http.StatusOK)
	switch {
	case err != nil:
		w.uncertain(id)
		w.owned = slices.Delete(w.owned, i, i+1)
	case status == http.StatusOK:
		w.record(id, Expected{Deleted: true})
		w.owned = slices.Delete(w.owned, i, i+1)
	case status == http.StatusNotFound:
		w.owned = slices.Delete(w.owned, i, i+1)
	}
}

func (w *worker) record(id string, e Expected) {
	if w.final == nil {
		return
	}
	if w.final[id].Uncertain {
		e.Uncertain = true // an earlier unanswered write may still land
	}
	w.final[id] = e
}

func (w *worker) uncertain(id string) {
	if w.final == nil {
		return
	}
	e := w.final[id]
	e.Uncertain = true
	w.final[id] = e
}

// do sends one request and records its latency and status. The body is read
// to the end so the connection is reused.
func (w *worker) do(ctx context.Context, op Op, method, url string, in any, want int) ([]byte, int, error) {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			panic(err) // input is a fixed struct of strings
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		w.stats.fail(op)
		return nil, 0, err
	}
	cfauth.Credentials{Token: w.cfg.APIToken}.Set(req.Header)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := w.hc.Do(req)
	if err != nil {
		w.stats.fail(op)
		return nil, 0, err
	}
	var body []byte
	if op == OpCreate {
		body, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	resp.Body.Close()
	if err != nil {
		w.stats.fail(op)
		return nil, 0, err
	}
	w.stats.add(op, resp.StatusCode, time.Since(start), resp.StatusCode == want)
	return body, resp.StatusCode, nil
}
