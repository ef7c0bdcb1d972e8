// Package deps keeps planned dependencies pinned in go.mod while the packages
// that use them are being written. Remove it once they are all imported.
package deps

import (
	_ "github.com/google/uuid"
	_ "github.com/oapi-codegen/nethttp-middleware"
	_ "gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
	_ "pgregory.net/rapid"
)
