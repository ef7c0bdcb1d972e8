//go:build tools

// Package tokens pins build-time tools through go.mod so that `go generate`
// always runs the same generator version.
package tokens

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
