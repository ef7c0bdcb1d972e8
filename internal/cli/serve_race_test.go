//go:build race

package cli_test

// serveRace makes the durability test build the binary the way this test
// binary was built, so the build reuses its cached packages.
const serveRace = true
