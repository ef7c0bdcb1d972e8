package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oasdiff/yaml"

	"github.com/go-aisearch/tokens/tools/specgov/internal/spectest"
)

// TestLoadUpstreamFullSchema feeds the reference as Cloudflare's whole
// published schema looks: one document, other paths, $refs into shared
// components, an allOf envelope, YAML. Only our paths and what they reach
// are kept, and the comparison comes out the same.
func TestLoadUpstreamFullSchema(t *testing.T) {
	t.Parallel()
	raw := fullSchema(t)
	list := raw["paths"].(map[string]any)[listPath].(map[string]any)["get"].(map[string]any)
	media := list["responses"].(map[string]any)["200"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)
	envelope := media["schema"].(map[string]any)
	props := envelope["properties"].(map[string]any)
	common := map[string]any{"type": "object", "required": []any{"success"}, "properties": map[string]any{"success": props["success"]}}
	delete(props, "success")
	schemas := raw["components"].(map[string]any)["schemas"].(map[string]any)
	schemas["aisearch_common"] = common
	schemas["aisearch_list"] = map[string]any{"allOf": []any{map[string]any{"$ref": "#/components/schemas/aisearch_common"}, envelope}}
	schemas["unrelated"] = map[string]any{"$ref": "#/components/schemas/missing-but-unreached"}
	media["schema"] = map[string]any{"$ref": "#/components/schemas/aisearch_list"}
	raw["paths"].(map[string]any)["/zones/{zone_id}/dns_records"] = map[string]any{
		"get": map[string]any{"$ref": "this is not even valid", "responses": "nor this"},
	}
	full, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	asYAML, err := yaml.JSONToYAML(full)
	if err != nil {
		t.Fatal(err)
	}
	paths := spectest.Copy(t).Paths.InMatchingOrder()
	for name, input := range map[string][]byte{"json": full, "yaml": asYAML} {
		t.Run(name, func(t *testing.T) {
			upstream, err := LoadUpstream(paths, input)
			if err != nil {
				t.Fatal(err)
			}
			if upstream.Paths.Value("/zones/{zone_id}/dns_records") != nil {
				t.Error("kept a path that is not ours")
			}
			if _, ok := upstream.Components.Schemas["unrelated"]; ok {
				t.Error("kept a component our paths do not reach")
			}
			report := compare(t, spectest.Copy(t), upstream, defaultAllow(t))
			if !report.OK() {
				t.Fatalf("full-schema form differs from the reference: %v %v", keys(report.Unexplained), report.Stale)
			}
		})
	}
}

func TestLoadUpstreamRejectsBadInput(t *testing.T) {
	t.Parallel()
	const head = `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/accounts/{account_id}/ai-search/tokens": `
	tests := map[string]string{
		"empty":                  "",
		"not yaml":               "openapi: [",
		"not openapi":            `{"swagger": "2.0", "paths": {}}`,
		"none of ours":           `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/zones": {}}}`,
		"dangling ref":           head + `{"$ref": "#/components/pathItems/nope"}}}`,
		"external ref":           head + `{"get": {"responses": {"200": {"$ref": "other.yaml#/r"}}}}}}`,
		"components not objects": head + `{"get": {"responses": {"200": {"$ref": "#/components/responses/r"}}}}}, "components": {"responses": "r"}}`,
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := LoadUpstream([]string{listPath}, []byte(input)); err == nil {
				t.Fatal("want an error")
			} else {
				t.Log(err)
			}
		})
	}
	if _, err := LoadUpstream([]string{listPath}, []byte(head+`{}}}`), []byte(head+`{}}}`)); err == nil || !strings.Contains(err.Error(), "in upstream document 2 and an earlier one") {
		t.Errorf("a path in two documents: %v", err)
	}
}

// TestCompareSurvivesCycles: $ref cycles in upstream (a response that is
// its own reference, a recursive schema) end in an error or a report,
// never a hang or a panic.
func TestCompareSurvivesCycles(t *testing.T) {
	t.Parallel()
	const head = `{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {"/accounts/{account_id}/ai-search/tokens": {"get": {"responses": {"200": `
	inputs := map[string]string{
		"self-referencing response": head + `{"$ref": "#/components/responses/r"}}}}}, "components": {"responses": {"r": {"$ref": "#/components/responses/r"}}}}`,
		"recursive schema": head + `{"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/node"}}}}}}}},
			"components": {"schemas": {"node": {"type": "object", "properties": {"result": {"$ref": "#/components/schemas/node"}}, "items": {"$ref": "#/components/schemas/node"}}}}}`,
	}
	for name, input := range inputs {
		t.Run(name, func(t *testing.T) {
			upstream, err := LoadUpstream([]string{listPath}, []byte(input))
			if err != nil {
				t.Log(err)
				return
			}
			diffs, err := Compare(spectest.Copy(t), upstream)
			if err != nil {
				t.Log(err)
				return
			}
			if len(diffs) == 0 {
				t.Fatal("a garbage upstream matched our spec")
			}
		})
	}
}

// fullSchema joins the reference files into one document, as Cloudflare
// publishes them: one openapi.json with every path and component.
func fullSchema(t *testing.T) map[string]any {
	t.Helper()
	var full map[string]any
	for _, p := range referenceFiles(t) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := decode(data)
		if err != nil {
			t.Fatal(err)
		}
		pushSecurity(raw) // each file's top-level security is its own operations'
		if full == nil {
			full = raw
			continue
		}
		for k, v := range object(raw, "paths") {
			object(full, "paths")[k] = v
		}
		for section, v := range object(raw, "components") {
			for name, c := range v.(map[string]any) {
				if _, dup := object(object(full, "components"), section)[name]; !dup {
					object(object(full, "components"), section)[name] = c
				}
			}
		}
	}
	object(object(full, "components"), "schemas")
	return full
}

// upstreamServer serves the project's own spec at /openapi.yaml, and the
// paths the tests below need.
func upstreamServer(t *testing.T) *httptest.Server {
	t.Helper()
	ours, err := os.ReadFile(spectest.Path)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/openapi.yaml", func(w http.ResponseWriter, r *http.Request) { w.Write(ours) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(bytes.Repeat([]byte("x"), 3000)) })
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com/openapi.json", http.StatusFound)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReadUpstream(t *testing.T) {
	t.Parallel()
	srv := upstreamServer(t)
	ctx := context.Background()
	ours, _ := os.ReadFile(spectest.Path)
	if data, err := ReadUpstream(ctx, srv.URL+"/openapi.yaml", MaxUpstreamSize, time.Minute); err != nil || !bytes.Equal(data, ours) {
		t.Fatalf("ReadUpstream: %d bytes, %v", len(data), err)
	}
	for _, tc := range []struct{ src, want string }{
		{"http://example.com/openapi.json", "http://example.com/openapi.json: plain http is only for a loopback host; use https"},
		{"ftp://example.com/openapi.json", "want an https URL or a file"},
		{srv.URL + "/missing?token=secret-in-query", "GET " + srv.URL + "/missing: 404 Not Found"},
		{srv.URL + "/elsewhere", "plain http is only for a loopback host"},
		{srv.URL + "/big", "larger than the limit of 2000 bytes"},
		{"no-such-file.json", "no-such-file.json"},
		{".", "not a regular file"},
	} {
		_, err := ReadUpstream(ctx, tc.src, 2000, time.Minute)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret-in-query") {
			t.Errorf("%s: %v, want an error containing %q (and no query)", tc.src, err, tc.want)
		}
	}
	_, err := ReadUpstream(ctx, srv.URL+"/hang", 2000, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "no complete answer within 50ms") {
		t.Errorf("a server that never answers: %v", err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		if _, err := ReadUpstream(ctx, fifo, 2000, time.Minute); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("a FIFO: %v", err)
		}
	}
	if !errors.Is(func() error { _, err := readFile(spectest.Path, 10); return err }(), errTooLarge) {
		t.Error("a file over the limit is not refused as too large")
	}
}
