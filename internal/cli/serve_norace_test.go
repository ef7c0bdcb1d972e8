//go:build !race

package cli_test

const serveRace = false
