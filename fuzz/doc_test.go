// Package fuzz_test holds the project's fuzz targets (go test -fuzz), each
// seeded from the contract fixtures and canned examples, with the crashers
// found so far kept under testdata/fuzz/ as regression cases. Without
// -fuzz, go test runs the seeds and regression cases only (make test);
// make fuzz runs every target for a fixed time and fails on one that
// executed too few inputs.
//
// By hand, bound the minimization as make fuzz does:
//
//	go test -run '^$' -fuzz '^FuzzCassette$' -fuzztime 20s -fuzzminimizetime 200x ./fuzz
//
// Go minimizes every input that finds new coverage for up to 60 s by
// default and executes nothing new meanwhile, which on kilobyte inputs can
// take the whole run.
package fuzz_test
