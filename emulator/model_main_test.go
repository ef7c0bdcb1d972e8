// Package modeltest_test checks the emulator against a small reference
// model of the documented behaviour with pgregory.net/rapid: random
// sequences of create, get, update, delete, list and in-use marks on two
// accounts (registrations, API tokens, AI Search instances and their
// jobs, on a clock the sequence moves), with valid and invalid input and
// every auth scheme, sent over HTTP. After every step the status and body must agree with the model and
// the interaction must satisfy the contract (contract.Check).
//
// make test runs a few hundred sequences; make fuzz runs many thousands
// (-rapid.checks). Shrunk failing sequences land in testdata/rapid/ and are
// replayed by every later run.
package emulator_test

import (
	"flag"
	"os"
	"testing"
)

// defaultChecks applies unless -rapid.checks is given: enough sequences to
// matter in make test, few enough to stay within its time budget.
const defaultChecks = "200"

func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "rapid.checks" })
	if !given {
		if err := flag.Set("rapid.checks", defaultChecks); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
