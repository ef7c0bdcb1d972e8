package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// genWorkspace copies what go generate of generated/ reads (the spec, the
// overlay, the config and doc.go with its directive) into an ignored
// directory inside the module (names starting with "_" are skipped by ./...),
// so timing a regeneration never rewrites the real generated/ under other
// tools' feet. It also holds the baseline: a package whose generator writes
// one constant.
func genWorkspace(b *testing.B) (root, dir string) {
	b.Helper()
	root = ModuleRoot()
	dir, err := os.MkdirTemp(filepath.Join(root, "bench"), "_gen-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	files := map[string]string{
		"openapi.yaml":      "openapi.yaml",
		"overlay.yaml":      "overlay.yaml",
		"oapi-codegen.yaml": "oapi-codegen.yaml",
		"generated/doc.go":  "generated/doc.go",
	}
	for dst, src := range files {
		data, err := os.ReadFile(filepath.Join(root, src))
		if err != nil {
			b.Fatal(err)
		}
		writeFile(b, filepath.Join(dir, dst), string(data))
	}
	writeFile(b, filepath.Join(dir, "hello", "main.go"), `package main

import "os"

func main() { os.WriteFile("trivial.gen.go", []byte("package trivial\n\nconst X = 1\n"), 0o644) }
`)
	writeFile(b, filepath.Join(dir, "trivial", "doc.go"), "package trivial\n\n//go:generate go run ../hello\n")
	return root, dir
}

func writeFile(b *testing.B, path, data string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
}

func goCmd(b *testing.B, root string, args ...string) {
	b.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go %v: %v\n%s", args, err, out)
	}
}

// generateAndBuild times go generate + go build of one package after one
// untimed round, so the build cache and go run's executable cache are warm.
func generateAndBuild(b *testing.B, pkg string) {
	root, dir := genWorkspace(b)
	rel, _ := filepath.Rel(root, filepath.Join(dir, pkg))
	p := "./" + filepath.ToSlash(rel)
	goCmd(b, root, "generate", p)
	goCmd(b, root, "build", p)
	for b.Loop() {
		goCmd(b, root, "generate", p)
		goCmd(b, root, "build", p)
	}
}

// BenchmarkGenerateBuild regenerates generated/ from openapi.yaml (oapi-codegen
// through go run, as go generate does) and builds it, warm cache.
func BenchmarkGenerateBuild(b *testing.B) { generateAndBuild(b, "generated") }

// BenchmarkGenerateBuildTrivial is the baseline: the same two go commands on
// a package whose generator writes one constant. It is the floor any
// "go generate && go build" pays (starting the go command twice, go run's
// cached executable, build-cache lookups), so the ratio shows what
// oapi-codegen and compiling its output add above the toolchain itself.
func BenchmarkGenerateBuildTrivial(b *testing.B) { generateAndBuild(b, "trivial") }
