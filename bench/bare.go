package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// CannedToken is the i-th token of the canned data: the same shape and field
// sizes the emulator returns.
func CannedToken(i int) generated.Token {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 678e6, time.UTC)
	by := "bench@example.com"
	t := true
	return generated.Token{
		ID:         fmt.Sprintf("62af0db3-c410-40b2-9ee3-%012d", i),
		Name:       fmt.Sprintf("bench-token-%d", i),
		CfAPIID:    fmt.Sprintf("cfapiid%025d", i),
		CreatedAt:  ts,
		ModifiedAt: ts,
		CreatedBy:  &by,
		ModifiedBy: &by,
		Enabled:    &t,
		Legacy:     &t,
	}
}

// CannedList is a list envelope holding n canned tokens, page 1 of n.
func CannedList(n int) generated.TokenListEnvelope {
	ts := make([]generated.Token, n)
	for i := range ts {
		ts[i] = CannedToken(i)
	}
	return generated.TokenListEnvelope{
		Success: true, Errors: &generated.Errors{}, Messages: &generated.Messages{},
		Result:     ts,
		ResultInfo: generated.ResultInfo{Page: 1, PerPage: n, Count: n, TotalCount: n},
	}
}

// CannedOne is the envelope of one canned token.
func CannedOne() generated.TokenEnvelope {
	return generated.TokenEnvelope{Success: true, Errors: &generated.Errors{}, Messages: &generated.Messages{}, Result: CannedToken(0)}
}

// BareHandler is the baseline server: plain net/http writing precomputed
// JSON of the same shape and size as the emulator's answers (a list of
// listSize tokens, one token, an empty delete result). It routes with the
// same ServeMux patterns but does no authentication, validation, storage or
// encoding, so it is the floor any tokens server on net/http pays.
func BareHandler(listSize int) http.Handler {
	list := mustJSON(CannedList(listSize))
	one := mustJSON(CannedOne())
	deleted := []byte(`{"success":true,"errors":[],"messages":[],"result":{}}`)
	write := func(status int, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			// Read the body as a real server must, so POST and PUT pay the same I/O.
			if r.Body != nil {
				io.Copy(io.Discard, r.Body)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write(body)
		}
	}
	// The load generator first mints the service token its creates
	// register (POST /user/tokens): the least answer it reads.
	minted := []byte(`{"success":true,"errors":[],"messages":[],"result":{"id":"` + CannedToken(0).CfAPIID + `","value":"bench-minted-token-value"}}`)
	mux := http.NewServeMux()
	mux.Handle("POST /client/v4/user/tokens", write(http.StatusOK, minted))
	const base = "/client/v4/accounts/{account_id}/ai-search/tokens"
	mux.Handle("GET "+base, write(http.StatusOK, list))
	mux.Handle("POST "+base, write(http.StatusCreated, one))
	mux.Handle("GET "+base+"/{id}", write(http.StatusOK, one))
	mux.Handle("PUT "+base+"/{id}", write(http.StatusOK, one))
	mux.Handle("DELETE "+base+"/{id}", write(http.StatusOK, deleted))
	return mux
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TokensPath is the collection path of an account, below the base URL.
func TokensPath(accountID string) string {
	return "/accounts/" + accountID + "/ai-search/tokens"
}
