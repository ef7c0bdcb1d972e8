package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/go-aisearch/tokens/contract"
)

func TestRedact(t *testing.T) {
	const acct = "0123456789abcdef0123456789abcdef"
	live := http.Header{"Authorization": {"Bearer live-token-value"}, "X-Auth-Email": {"me@example.org"}, "X-Auth-Key": {"live-global-key"}, "Accept": {"application/json"}}
	reqBody := `{"name":"n","cf_api_id":"c","cf_api_key":"live-service-key","legacy":true,"n":10000}`
	i := &cassette.Interaction{
		Request: cassette.Request{Method: "POST", URL: "https://api.cloudflare.com/client/v4/accounts/" + acct + "/ai-search/tokens",
			Headers: live, Body: reqBody, ContentLength: int64(len(reqBody))},
		Response: cassette.Response{Code: 201, Headers: http.Header{"Set-Cookie": {"__cf=x"}, "Content-Length": {"999"}},
			Body: `{"result":{"account":"` + acct + `","nested":[{"cf_api_key":"leaked"}]}}`, ContentLength: 999},
	}
	contract.Redact(i, acct)
	if live.Get("Authorization") != "Bearer live-token-value" {
		t.Error("Redact edited the live request's header map")
	}
	for name, want := range map[string]string{"Authorization": contract.RedactedAuthorization, "X-Auth-Email": contract.RedactedEmail, "X-Auth-Key": contract.RedactedAPIKey, "Accept": "application/json"} {
		if got := i.Request.Headers.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	all := i.Request.URL + i.Request.Body + i.Response.Body + strings.Join(i.Response.Headers.Values("Set-Cookie"), "")
	for _, secret := range []string{"live-service-key", "leaked", acct, "__cf"} {
		if strings.Contains(all, secret) {
			t.Errorf("%q survived redaction", secret)
		}
	}
	if !strings.Contains(i.Request.URL, contract.NormalAccountID) || !strings.Contains(i.Request.Body, `"n":10000`) {
		t.Errorf("account not normalised or numbers rewritten: %s %s", i.Request.URL, i.Request.Body)
	}
	if i.Request.ContentLength != int64(len(i.Request.Body)) || i.Response.ContentLength != int64(len(i.Response.Body)) ||
		i.Response.Headers.Get("Content-Length") != itoa(len(i.Response.Body)) {
		t.Errorf("lengths not fixed: %d %d %s", i.Request.ContentLength, i.Response.ContentLength, i.Response.Headers.Get("Content-Length"))
	}
	if len(contract.ScanInteraction(contract.FromCassette(i))) != 0 {
		t.Errorf("scan still finds secrets: %v", contract.ScanInteraction(contract.FromCassette(i)))
	}
}

func TestScanAcceptsOtherPlaceholders(t *testing.T) {
	for _, v := range []string{"Bearer [REDACTED]", "Bearer ****", "<redacted>", "xxxxxxxx"} {
		ix := contract.Interaction{RequestHeader: http.Header{"Authorization": {v}, "X-Auth-Key": {v}}, RequestBody: []byte(`{"cf_api_key":"` + v + `"}`)}
		if found := contract.ScanInteraction(ix); len(found) != 0 {
			t.Errorf("%q: %v", v, found)
		}
	}
	for _, v := range []string{"Bearer abc", "Bearer x1y2", "live"} {
		ix := contract.Interaction{RequestHeader: http.Header{"Authorization": {v}}, RequestBody: []byte(`{"cf_api_key":"` + v + `"}`)}
		if found := contract.ScanInteraction(ix); len(found) != 2 {
			t.Errorf("%q: found %v, want the header and the body", v, found)
		}
	}
}
