//go:build tools

// Package tokens pins build-time tools through go.mod, so that `go generate`
// always runs the same generator version. It holds nothing else, and no
// package imports it: a module that imports aisearch or emulator does not
// inherit the generator (TestImportersGetNoCodeGenerator).
package tokens

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
