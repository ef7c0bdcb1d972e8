package safefile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-aisearch/tokens/internal/safefile"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(ok, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{ok, link} {
		if data, err := safefile.ReadFile(p, 5); err != nil || string(data) != "12345" {
			t.Errorf("ReadFile(%s, 5) = %q, %v", p, data, err)
		}
	}
	var tl *safefile.TooLargeError
	if _, err := safefile.ReadFile(ok, 4); !errors.As(err, &tl) || !errors.Is(err, safefile.ErrTooLarge) || tl.Size != 5 || tl.Limit != 4 || !strings.Contains(err.Error(), "ok.yaml: 5 bytes, more than the limit of 4 bytes") {
		t.Errorf("over the limit: %v", err)
	}
	if _, err := safefile.ReadFile(filepath.Join(dir, "missing"), 5); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if _, err := safefile.ReadFile(dir, 5); !errors.Is(err, safefile.ErrNotRegular) || !strings.Contains(err.Error(), "a directory") {
		t.Errorf("directory: %v", err)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{16 << 20: "16 MiB", 64 << 10: "64 KiB", 1000: "1000 bytes", 1<<20 + 1: "1.0 MiB", 50002717: "47.7 MiB"} {
		if got := safefile.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
