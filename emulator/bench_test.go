package emulator_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/go-aisearch/tokens/emulator"
)

// BenchmarkHandler measures the handler alone (no network), with request
// validation against openapi.yaml on and off: what the emulator itself
// costs per request, without the loopback and client noise of package bench.
func BenchmarkHandler(b *testing.B) {
	for _, validate := range []bool{true, false} {
		srv, err := emulator.New(emulator.WithAPITokens(token), emulator.WithValidation(validate))
		if err != nil {
			b.Fatal(err)
		}
		seedN(b, srv, account, 50)
		seedService(b, srv)
		h := srv.Handler()
		base := emulator.BasePath + "/accounts/" + account + "/ai-search/tokens"
		get := base + "/" + srv.Tokens(account)[7].ID
		cases := []struct {
			name, method, url, body string
			want                    int
		}{
			{"list", "GET", base + "?per_page=20&search=tok", "", http.StatusOK},
			{"get", "GET", get, "", http.StatusOK},
			{"create", "POST", base, `{"name":"n","cf_api_id":"a1b2c3d4e5f6","cf_api_key":"abc123"}`, http.StatusCreated},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/validation=%v", c.name, validate), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if rec := serveDirect(h, c.method, c.url, c.body); rec.Code != c.want {
						b.Fatal(rec.Code, rec.Body.String())
					}
				}
			})
		}
	}
}
