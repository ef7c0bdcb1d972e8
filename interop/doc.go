// Package interop proves that official Cloudflare clients work unchanged
// against the emulator: its tests drive the official Go SDK
// (github.com/cloudflare/cloudflare-go/v6) against emulator.NewTestServer,
// validating every exchange against openapi.yaml: ai_search.TokenService
// through the whole registry lifecycle, and User.Tokens and Accounts.Tokens
// (create, verify, get, list, update, roll, delete) through the Cloudflare
// API tokens behind it, including what the SDK sees of the service tokens
// aisearch.Provision and Rotate make; and ai_search's namespace, instance
// and job services (NamespaceService, NamespaceInstanceService,
// NamespaceInstanceJobService, InstanceService, InstanceJobService): every
// method of the 24 AI Search instance, job and namespace operations the SDK
// has (it has none for move, nor for the account-level job cancel), with
// jobs on the emulator's clock. It is a module of its own so the SDK never
// enters the main module's dependencies.
package interop
