// Package fuzz_test holds the project's fuzz targets (go test -fuzz), each
// seeded from the contract fixtures and canned examples, with the crashers
// found so far kept under testdata/fuzz/ as regression cases. Without
// -fuzz, go test runs the seeds and regression cases only (make test);
// make fuzz runs every target for a fixed time.
package fuzz_test
