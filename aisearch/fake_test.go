package aisearch_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// Test credentials. The leak test looks for these in everything the client
// and the CLI print or return.
const (
	fakeAccount  = "c3dc5f0b34a14ff8e1b3ec04895e1b22"
	fakeAPIToken = "tok-SECRET-4f1d9c2b7a"
	fakeEmail    = "ops@example.com"
	fakeAPIKey   = "gk-SECRET-90e1d2c3b4"
	fakeCfAPIKey = "cfk-SECRET-5a6b7c8d9e"
)

// fakeAPI is a small in-memory tokens API, enough for examples, the
// pager and the register workflow. It stands in for the emulator in this
// package's tests, so they do not depend on it.
type fakeAPI struct {
	*httptest.Server
	mu     sync.Mutex
	tokens []generated.Token
	keys   map[string]string // id → cf_api_key, stored as the API would
	inUse  map[string]bool   // ids that an instance uses: delete answers 409
	nextID int
	hits   map[string]int // "METHOD /collection" or "METHOD /item" → count
	// intercept, when set, sees each request first; returning true means it
	// answered.
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

func newFakeAPI() *fakeAPI {
	f := &fakeAPI{keys: map[string]string{}, inUse: map[string]bool{}, hits: map[string]int{}}
	mux := http.NewServeMux()
	const base = "/client/v4/accounts/{account}/ai-search/tokens"
	mux.HandleFunc("GET "+base, f.list)
	mux.HandleFunc("POST "+base, f.create)
	mux.HandleFunc("GET "+base+"/{id}", f.get)
	mux.HandleFunc("PUT "+base+"/{id}", f.update)
	mux.HandleFunc("DELETE "+base+"/{id}", f.delete)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		kind := "/collection"
		if strings.Count(strings.TrimSuffix(r.URL.Path, "/"), "/") > 6 {
			kind = "/item"
		}
		f.hits[r.Method+" "+kind]++
		icpt := f.intercept
		f.mu.Unlock()
		if icpt != nil && icpt(w, r) {
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+fakeAPIToken &&
			(r.Header.Get("X-Auth-Key") != fakeAPIKey || r.Header.Get("X-Auth-Email") != fakeEmail) {
			writeError(w, http.StatusForbidden, 10000, "Authentication error")
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/client/v4/accounts/"+fakeAccount+"/") {
			writeError(w, http.StatusForbidden, 10000, "Authentication error")
			return
		}
		mux.ServeHTTP(w, r)
	}))
	return f
}

// baseURL is what clients should use as WithBaseURL.
func (f *fakeAPI) baseURL() string { return f.URL + "/client/v4" }

func (f *fakeAPI) hitCount(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[key]
}

func (f *fakeAPI) setIntercept(fn func(w http.ResponseWriter, r *http.Request) bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.intercept = fn
}

// add stores n tokens named prefix-1..n directly.
func (f *fakeAPI) add(prefix string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 1; i <= n; i++ {
		f.insert(generated.TokenInput{Name: fmt.Sprintf("%s-%d", prefix, i), CfAPIID: fmt.Sprintf("%s-cf-%d", prefix, i), CfAPIKey: fakeCfAPIKey})
	}
}

var fakeNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

func (f *fakeAPI) insert(in generated.TokenInput) generated.Token {
	f.nextID++
	by := "ops@example.com"
	t := generated.Token{
		ID:         fmt.Sprintf("00000000-0000-4000-8000-%012d", f.nextID),
		Name:       in.Name,
		CfAPIID:    in.CfAPIID,
		CreatedAt:  fakeNow,
		ModifiedAt: fakeNow,
		CreatedBy:  &by,
		ModifiedBy: &by,
		Legacy:     in.Legacy,
	}
	f.tokens = append(f.tokens, t)
	f.keys[t.ID] = in.CfAPIKey
	return t
}

func (f *fakeAPI) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage := intParam(q.Get("page"), 1), intParam(q.Get("per_page"), 20)
	if page < 1 || perPage < 1 || perPage > 100 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"success": false, "errors": []map[string]any{{"code": 10001, "message": "per_page: number must be at most 100", "path": []string{"query", "per_page"}}}, "messages": []any{}})
		return
	}
	f.mu.Lock()
	var all []generated.Token
	for _, t := range f.tokens {
		if strings.Contains(strings.ToLower(t.Name), strings.ToLower(q.Get("search"))) {
			all = append(all, t)
		}
	}
	f.mu.Unlock()
	from := min((page-1)*perPage, len(all))
	to := min(from+perPage, len(all))
	result := append([]generated.Token{}, all[from:to]...)
	writeJSON(w, http.StatusOK, generated.TokenListEnvelope{
		Success: true, Errors: &[]generated.Error{}, Messages: &[]generated.Message{}, Result: result,
		ResultInfo: generated.ResultInfo{Page: page, PerPage: perPage, Count: len(result), TotalCount: len(all)},
	})
}

func (f *fakeAPI) create(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeInput(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	t := f.insert(in)
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, generated.TokenEnvelope{Success: true, Errors: &[]generated.Error{}, Messages: &[]generated.Message{}, Result: t})
}

func (f *fakeAPI) get(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	i := f.find(r.PathValue("id"))
	var t generated.Token
	if i >= 0 {
		t = f.tokens[i]
	}
	f.mu.Unlock()
	if i < 0 {
		writeError(w, http.StatusNotFound, 7003, "Token not found")
		return
	}
	writeJSON(w, http.StatusOK, generated.TokenEnvelope{Success: true, Result: t})
}

func (f *fakeAPI) update(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeInput(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	i := f.find(r.PathValue("id"))
	var t generated.Token
	if i >= 0 {
		t = f.tokens[i]
		t.Name, t.CfAPIID, t.Legacy = in.Name, in.CfAPIID, in.Legacy
		t.ModifiedAt = fakeNow.Add(time.Hour)
		f.tokens[i] = t
		f.keys[t.ID] = in.CfAPIKey
	}
	f.mu.Unlock()
	if i < 0 {
		writeError(w, http.StatusNotFound, 7003, "Token not found")
		return
	}
	writeJSON(w, http.StatusOK, generated.TokenEnvelope{Success: true, Result: t})
}

func (f *fakeAPI) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f.mu.Lock()
	i, inUse := f.find(id), f.inUse[id]
	if i >= 0 && !inUse {
		f.tokens = append(f.tokens[:i], f.tokens[i+1:]...)
		delete(f.keys, id)
	}
	f.mu.Unlock()
	switch {
	case i < 0:
		writeError(w, http.StatusNotFound, 7003, "Token not found")
	case inUse:
		writeError(w, http.StatusConflict, 7006, "Token in use by instances")
	default:
		writeJSON(w, http.StatusOK, generated.DeleteEnvelope{Success: true, Errors: &[]generated.Error{}, Messages: &[]generated.Message{}})
	}
}

func (f *fakeAPI) find(id string) int {
	for i, t := range f.tokens {
		if t.ID == id {
			return i
		}
	}
	return -1
}

func decodeInput(w http.ResponseWriter, r *http.Request) (generated.TokenInput, bool) {
	var in generated.TokenInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == "" || in.CfAPIID == "" || in.CfAPIKey == "" {
		writeError(w, http.StatusBadRequest, 7001, "Ai search instance invalid token")
		return in, false
	}
	return in, true
}

func intParam(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"success": false, "errors": []map[string]any{{"code": code, "message": msg}}, "messages": []any{}})
}
