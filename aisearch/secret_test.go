package aisearch_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/aisearch"
)

// assertNoSecrets fails if s contains any of the test secrets.
func assertNoSecrets(t testing.TB, s string) {
	t.Helper()
	for _, secret := range []string{fakeAPIToken, fakeAPIKey, fakeCfAPIKey, fakeEmail, "SECRET"} {
		if strings.Contains(s, secret) {
			t.Errorf("secret %q leaked in:\n%s", secret, s)
		}
	}
}

func TestSecretRedactsEverywhere(t *testing.T) {
	t.Parallel()
	s := aisearch.Secret(fakeCfAPIKey)
	p := aisearch.RegistrationParams{Name: "svc", CfAPIID: "cf", CfAPIKey: s}
	var out []string
	for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%X", "%d", "%10s", "%T"} {
		out = append(out, fmt.Sprintf(verb, s), fmt.Sprintf(verb, p), fmt.Sprintf(verb, &p))
	}
	out = append(out, s.String(), s.GoString(), fmt.Sprint(s), fmt.Sprintln(p), fmt.Sprint([]aisearch.Secret{s}), fmt.Sprint(map[string]aisearch.Secret{"k": s}))
	j, err := json.Marshal(map[string]any{"params": p, "secret": s})
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, string(j))
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		l := slog.New(h)
		l.Info("register", "key", s, "params", p)
		l.Info("group", slog.Group("g", slog.Any("key", s)))
	}
	out = append(out, logs.String())
	all := strings.Join(out, "\n")
	assertNoSecrets(t, all)
	if !strings.Contains(all, "[REDACTED]") {
		t.Errorf("no [REDACTED] marker in:\n%s", all)
	}
	if s.Reveal() != fakeCfAPIKey {
		t.Error("Reveal lost the value")
	}
	if aisearch.Secret("").String() != "" {
		t.Error("an empty secret should print as empty")
	}
}

func TestClientPrintsNoCredentials(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t, "http://127.0.0.1:1/client/v4", aisearch.WithAPIKey(fakeEmail, fakeAPIKey))
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("client", "c", c)
	out := strings.Join([]string{fmt.Sprintf("%v %+v %#v %s", c, c, c, c), logs.String()}, "\n")
	assertNoSecrets(t, out)
	if !strings.Contains(out, fakeAccount) {
		t.Errorf("client print lacks the account: %s", out)
	}
}
