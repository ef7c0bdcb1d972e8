package emulator_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
)

// BenchmarkHandler measures the handler alone (no network), with request
// validation against openapi.yaml on and off.
func BenchmarkHandler(b *testing.B) {
	for _, validate := range []bool{true, false} {
		srv, err := emulator.New(emulator.WithAPITokens(token), emulator.WithValidation(validate))
		if err != nil {
			b.Fatal(err)
		}
		seedN(b, srv, account, 50)
		h := srv.Handler()
		list := emulator.BasePath + "/accounts/" + account + "/ai-search/tokens?per_page=20&search=tok"
		create := emulator.BasePath + "/accounts/" + account + "/ai-search/tokens"
		b.Run(fmt.Sprintf("list/validation=%v", validate), func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", list, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
		})
		b.Run(fmt.Sprintf("create/validation=%v", validate), func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("POST", create, strings.NewReader(`{"name":"n","cf_api_id":"i","cf_api_key":"k"}`))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusCreated {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}
