// Package generated holds the models, client and strict net/http server that
// oapi-codegen generates from ../openapi.yaml. Do not edit: run go generate.
package generated

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config ../oapi-codegen.yaml ../openapi.yaml
