package emulator

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/internal/permgroups"
)

// The families claim paths by prefix, so any operation added under one
// (an AI Search instance's job, a namespace) belongs to it; a path of no
// family has none (its failures keep Cloudflare's common envelope).
func TestFamilyOf(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]*family{
		"/client/v4/accounts/a/ai-search/tokens":                       aiSearchFamily,
		"/accounts/{account_id}/ai-search/namespaces/{name}/instances": aiSearchFamily,
		"/client/v4/accounts/a/ai-search/instances/i/jobs/j/logs":      aiSearchFamily,
		"/client/v4/accounts/a/ai-search":                              aiSearchFamily,
		"/client/v4/accounts/a/tokens/verify":                          accountTokensFamily,
		"/accounts/{account_id}/tokens/{token_id}/value":               accountTokensFamily,
		"/client/v4/user/tokens":                                       userTokensFamily,
		"/user/tokens/permission_groups":                               userTokensFamily,
		"/client/v4/zones":                                             nil,
		"/client/v4/accounts/a":                                        nil,
		"/client/v4/accounts/a/workers/ai-search":                      nil,
		"/client/v4/user":                                              nil,
	} {
		if got := familyOf(path); got != want {
			t.Errorf("familyOf(%q) = %v, want %v", path, got, want)
		}
	}
	if _, _, err := requirement("/zones/{zone_id}", "GET", false); err == nil {
		t.Error("an operation of no family was accepted")
	}
}

// Each operation's permission requirement is what Cloudflare's official
// definitions name (../shared/reference, when present): the API token
// operations' x-api-token-group, by name, and for the AI Search ones (whose
// x-cfPermissionsRequired is com.cloudflare.api.account.ai-search) the
// dashboard's AI Search Edit, or Read for a GET. Verify requires nothing.
func TestRequirementsAreTheOfficialOnes(t *testing.T) {
	t.Parallel()
	as, err := sharedAPISpec()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, id := range []string{permgroups.APITokensRead, permgroups.APITokensWrite, permgroups.AccountAPITokensRead,
		permgroups.AccountAPITokensWrite, permgroups.AISearchEdit, permgroups.AISearchRead} {
		byName[permgroups.Name(id)] = id
	}
	official := map[string][]string{} // operationId → group ids, from the reference
	files, _ := os.ReadDir("../../shared/reference")
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".official.json") {
			continue
		}
		data, err := os.ReadFile("../../shared/reference/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, item := range doc.Paths {
			for method, raw := range item {
				var o struct {
					ID       string   `json:"operationId"`
					Groups   []string `json:"x-api-token-group"`
					Required struct {
						Enum []string `json:"enum"`
					} `json:"x-cfPermissionsRequired"`
				}
				if json.Unmarshal(raw, &o) != nil || o.ID == "" {
					continue
				}
				var ids []string
				for _, g := range o.Groups {
					ids = append(ids, byName[g])
				}
				if slices.Contains(o.Required.Enum, "com.cloudflare.api.account.ai-search") {
					ids = []string{permgroups.AISearchEdit}
					if strings.EqualFold(method, "get") {
						ids = append([]string{permgroups.AISearchRead}, ids...)
					}
				}
				official[o.ID] = ids
			}
		}
	}
	if len(official) == 0 {
		t.Skip("../shared/reference (Cloudflare's official definitions) not found")
	}
	checked := 0
	for o, op := range as.ops {
		want, ok := official[o.OperationID]
		if !ok {
			continue
		}
		got := slices.Clone(op.need)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s requires %v, the official definition %v", o.OperationID, got, want)
		}
		checked++
	}
	if checked < 21 {
		t.Errorf("checked %d operations against the reference, want at least 21", checked)
	}
}
