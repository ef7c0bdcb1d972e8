package generated_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/generated"
)

// The generated code is oapi-codegen's, tested upstream. What is ours is
// the overlay (overlay.yaml) and the generator config (oapi-codegen.yaml);
// the names and plain types they choose are used across the module, so a
// change that breaks them fails to compile. This file pins what the
// compiler cannot see: the JSON those choices put on the wire.

func ptr[T any](v T) *T { return &v }

func encode(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOverlayWireShapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		what string
		v    any
		want []string // substrings of the encoding; a leading "!" means absent
	}{
		// x-omitempty: false on the nullable fields: unset travels as null.
		{"unset nullable fields", generated.Token{ID: "i", Name: "n", CfAPIID: "c"}, []string{`"created_by":null`, `"modified_by":null`}},
		// The secret is always sent, even empty, as a plain string.
		{"empty cf_api_key", generated.TokenInput{Name: "n", CfAPIID: "c"}, []string{`"cf_api_key":""`}},
		// A policy's server-set id stays out of requests.
		{"policy without id", generated.Policy{Effect: "allow"}, []string{`!"id"`}},
		// resources is one Go map, nested maps included.
		{"nested resources", generated.Policy{Resources: generated.APITokenResources{"com.cloudflare.api.account.a": map[string]any{"com.cloudflare.api.account.zone.z": "*"}}},
			[]string{`"resources":{"com.cloudflare.api.account.a":{"com.cloudflare.api.account.zone.z":"*"}}`}},
		// The delete result is always {}; success is a plain bool.
		{"delete envelope", generated.DeleteEnvelope{Success: true}, []string{`"result":{}`, `"success":true`}},
		// An instance's server-set nullable fields travel as null; request
		// bodies leave unset fields out, so an update names only its own.
		{"unset instance fields", generated.Instance{ID: "docs"}, []string{`"namespace":null`, `"last_activity":null`, `"created_by":null`, `"public_endpoint_id":null`, `!"token_id"`}},
		{"update body", generated.InstanceUpdate{Paused: ptr(true)}, []string{`{"paused":true}`}},
		// A listed instance carries every key, null where unset.
		{"listed instance", generated.InstanceListItem{ID: "docs"}, []string{`"token_id":null`, `"type":null`, `"cache":false`, `"sync_interval":0`}},
		// cache_ttl and sync_interval are int, scores float64, log times float64.
		{"numbers", generated.InstanceCreate{ID: "d", CacheTTL: ptr(600), SyncInterval: ptr(900), ScoreThreshold: ptr(0.5)},
			[]string{`"cache_ttl":600`, `"sync_interval":900`, `"score_threshold":0.5`}},
		{"job log", generated.JobLog{ID: 1, CreatedAt: 1.7e12}, []string{`"created_at":1700000000000`}},
		// Enum constants carry their type's name.
		{"enums", generated.InstanceCreate{ID: "d", Type: ptr(generated.InstanceTypeR2), FusionMethod: ptr(generated.FusionMethodRRF)},
			[]string{`"type":"r2"`, `"fusion_method":"rrf"`}},
		// A running job has no ended_at nor end_reason.
		{"running job", generated.Job{ID: "j", Source: generated.JobSourceUser}, []string{`!"ended_at"`, `!"end_reason"`, `"source":"user"`}},
	} {
		got := encode(t, tc.v)
		for _, w := range tc.want {
			if absent, ok := strings.CutPrefix(w, "!"); ok == strings.Contains(got, absent) {
				t.Errorf("%s: %s, want %s", tc.what, got, w)
			}
		}
	}
}

// TestNullDecodesToNil: null and absent both decode to nil, and fields the
// spec does not know are ignored, as a client must.
func TestNullDecodesToNil(t *testing.T) {
	t.Parallel()
	var env generated.TokenEnvelope
	body := `{"success":true,"errors":[],"messages":[],"unknown_field":{"x":1},"result":{"id":"62af0db3-c410-40b2-9ee3-0e93f6dd1de0","name":"n","cf_api_id":"c","created_at":"2024-01-02T03:04:05Z","modified_at":"2024-01-02T03:04:05Z","created_by":null,"extra":true}}`
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatal(err)
	}
	if !env.Success || env.Result.CreatedBy != nil || env.Result.ModifiedBy != nil || env.Result.Enabled != nil || env.Result.CreatedAt.IsZero() {
		t.Fatalf("decoded %+v", env)
	}
	if again := encode(t, env.Result); !strings.Contains(again, `"created_by":null`) {
		t.Errorf("null did not round-trip: %s", again)
	}
}
