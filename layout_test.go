package tokens_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/go-aisearch/tokens"

// TestImportersGetNoCodeGenerator makes a fresh module that imports the two
// packages users import, aisearch and emulator, runs `go mod tidy` in it,
// and fails if its go.mod names the code generator or what only the
// generator needs. The root package (tools.go) pins oapi-codegen for
// `go generate`; a user's tidy sees every build tag, so any package of ours
// that imported the root one would drag it in (a negative control below
// shows the check catches that).
func TestImportersGetNoCodeGenerator(t *testing.T) {
	t.Parallel()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	tidy := func(t *testing.T, extra string) string {
		dir := t.TempDir()
		write := func(name, content string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("go.mod", "module example.com/user\n\ngo 1.25.0\n\nrequire "+module+" v0.0.0\n\nreplace "+module+" => "+repo+"\n")
		write("main.go", "package main\n\nimport (\n\t\"github.com/go-aisearch/tokens/aisearch\"\n\t\"github.com/go-aisearch/tokens/emulator\"\n)\n\nvar _, _ = aisearch.New, emulator.New\n\nfunc main() {}\n")
		if extra != "" {
			write("extra.go", extra)
		}
		cmd := exec.Command(goCmd, "mod", "tidy")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go mod tidy: %v\n%s", err, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	generator := []string{"github.com/oapi-codegen/oapi-codegen/v2", "golang.org/x/tools", "github.com/speakeasy-api/openapi"}

	gomod := tidy(t, "")
	for _, m := range generator {
		if strings.Contains(gomod, m+" ") {
			t.Errorf("a module importing aisearch and emulator requires %s:\n%s", m, gomod)
		}
	}
	// Negative control: importing the root package, even from a file no
	// build uses, brings the generator in.
	gomod = tidy(t, "//go:build never\n\npackage main\n\nimport _ \""+module+"\"\n")
	if !strings.Contains(gomod, generator[0]+" ") {
		t.Errorf("the check cannot see the generator: a module importing the root package got\n%s", gomod)
	}
}

// TestDependenciesFlowOneWay holds the layers: spec → generated →
// (emulator | aisearch) → the CLI. Nothing imports the root package (it only
// pins tools) or the CLI; generated and spec import nothing of ours; the
// emulator and the client do not import each other, nor the contract
// checker; test helpers stay out of every non-test package.
func TestDependenciesFlowOneWay(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		for _, imp := range p.Imports {
			if imp == module || strings.HasPrefix(imp, module+"/") {
				imports[p.ImportPath] = append(imports[p.ImportPath], imp)
			}
		}
	}
	if len(imports) < 5 {
		t.Fatalf("go list found too few packages importing ours (%d): is this the repository root?", len(imports))
	}
	rel := func(p string) string { return strings.TrimPrefix(strings.TrimPrefix(p, module), "/") }
	forbidden := func(from, to string) bool {
		switch f, d := rel(from), rel(to); {
		case d == "":
			return true // the root package holds only tools.go
		case strings.HasPrefix(d, "cmd/") && !strings.HasPrefix(f, "cmd/"):
			return true
		case d == "internal/testsupport":
			return true // go list's Imports are non-test imports
		case f == "spec" || f == "generated":
			return true
		case f == "emulator" && (d == "aisearch" || d == "contract" || strings.HasPrefix(d, "contract/")):
			return true
		case f == "aisearch" && (d == "emulator" || d == "contract" || strings.HasPrefix(d, "contract/")):
			return true
		}
		return false
	}
	for from, tos := range imports {
		for _, to := range tos {
			if forbidden(from, to) {
				t.Errorf("%s imports %s, against the layering", rel(from), rel(to))
			}
		}
	}
}
