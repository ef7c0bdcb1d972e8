// Package permgroups holds the ids of the Cloudflare API token permission
// groups that both the client (aisearch) and the emulator name, so each id
// is written once.
//
// The ids come from Cloudflare's AI Search API guide (AI Search Index
// Engine, Workers R2 Storage Write), from public Terraform configurations
// and token tools (API Tokens Read/Write, Account API Tokens Read/Write),
// and from the examples of Cloudflare's API schema (Zone Read, Magic
// Network Monitoring). No source publishes the ids of the AI Search
// permissions the dashboard offers ("AI Search Edit", "AI Search Read",
// "AI Search Run"): this project chose them (the first 32 hex digits of
// the SHA-256 of "go-aisearch/tokens: <name>"). Replace them if Cloudflare
// publishes the real ones.
package permgroups

// The groups an AI Search service token needs (on the account).
const (
	AISearchIndexEngine   = "9e9b428a0bcd46fd80e580b46a69963c" // "AI Search Index Engine"
	WorkersR2StorageWrite = "bf7481a1826f439697cb59a20b22293e" // "Workers R2 Storage Write"
)

// ServiceToken returns the groups an AI Search service token is granted
// on its account, as Cloudflare's API guide gives them: AI Search Index
// Engine, and Workers R2 Storage Write for R2 sources.
func ServiceToken() []string { return []string{AISearchIndexEngine, WorkersR2StorageWrite} }

// The groups the API token operations require: the user's tokens
// (scope com.cloudflare.api.user) and an account's (com.cloudflare.api.account).
// Write also allows reading.
const (
	APITokensRead         = "0cc3a61731504c89b99ec1be78b77aa0" // "API Tokens Read"
	APITokensWrite        = "686d18d5ac6c441c867cbf6771e58a0a" // "API Tokens Write"
	AccountAPITokensRead  = "eb56a6953c034b9d97dd838155666f06" // "Account API Tokens Read"
	AccountAPITokensWrite = "5bc3f8b21c554832afc660159ab75fa4" // "Account API Tokens Write"
)

// The AI Search permissions of the dashboard (com.cloudflare.api.account.ai-search):
// Edit manages tokens, instances, namespaces and jobs; Read lists and reads
// them; Run queries instances. Ids chosen by this project (see the package
// documentation).
const (
	AISearchEdit = "d5e2279219a989b1f7e8d23c5a056e8c" // "AI Search Edit"
	AISearchRead = "ed7b829c017ee48a0e5bd57c708020c9" // "AI Search Read"
	AISearchRun  = "0c80d5c805a3c2149ce578711395c4a1" // "AI Search Run"
)

// The groups the examples of Cloudflare's API schema grant.
const (
	ZoneRead               = "c8fed203ed3043cba015a93ad1616f1f" // "Zone Read"
	MagicNetworkMonitoring = "82e64a83756745bbbb1c9c2701bf816b" // "Magic Network Monitoring"
)

// Name is the name of the group with one of the ids above, or "" for any
// other id.
func Name(id string) string { return names[id] }

var names = map[string]string{
	AISearchIndexEngine:    "AI Search Index Engine",
	WorkersR2StorageWrite:  "Workers R2 Storage Write",
	APITokensRead:          "API Tokens Read",
	APITokensWrite:         "API Tokens Write",
	AccountAPITokensRead:   "Account API Tokens Read",
	AccountAPITokensWrite:  "Account API Tokens Write",
	AISearchEdit:           "AI Search Edit",
	AISearchRead:           "AI Search Read",
	AISearchRun:            "AI Search Run",
	ZoneRead:               "Zone Read",
	MagicNetworkMonitoring: "Magic Network Monitoring",
}
