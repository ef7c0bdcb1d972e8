package bench

import (
	"path/filepath"
	"runtime"

	"github.com/go-aisearch/tokens/contract"
)

// ModuleRoot is found from this file's location, so benchmarks and the
// report generator agree on where the fixtures are whatever the working
// directory.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// FixtureDir is where the contract suite keeps its cassettes.
func FixtureDir() string { return filepath.Join(ModuleRoot(), "contract_test", "testdata") }

// FixtureInteractions loads every interaction of every cassette directly in
// FixtureDir (the valid fixture set; testdata/invalid/ is left out), and
// the number of files.
func FixtureInteractions() ([]contract.Interaction, int, error) {
	files, err := contract.CassetteFiles([]string{FixtureDir()})
	if err != nil {
		return nil, 0, err
	}
	var all []contract.Interaction
	for _, f := range files {
		ixs, err := contract.LoadCassette(f)
		if err != nil {
			return nil, 0, err
		}
		all = append(all, ixs...)
	}
	return all, len(files), nil
}
