// Package interop proves that official Cloudflare clients work unchanged
// against the emulator: its tests drive the official Go SDK
// (github.com/cloudflare/cloudflare-go/v6, ai_search.TokenService) through
// the whole token lifecycle against emulator.NewTestServer, and validate
// every exchange against openapi.yaml. It is a module of its own so the
// SDK never enters the main module's dependencies.
package interop
