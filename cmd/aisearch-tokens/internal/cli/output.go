package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/go-aisearch/tokens/aisearch"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printToken shows one registration, as JSON or as aligned "field: value"
// lines.
func printToken(w io.Writer, t aisearch.Registration, asJSON bool) error {
	if asJSON {
		return writeJSON(w, t)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, kv := range [][2]string{
		{"id", t.ID},
		{"name", oneLine(t.Name)},
		{"cf_api_id", oneLine(t.CfAPIID)},
		{"enabled", fmt.Sprint(t.Enabled)},
		{"legacy", fmt.Sprint(t.Legacy)},
		{"created_at", formatTime(t.CreatedAt)},
		{"created_by", orDash(oneLine(t.CreatedBy))},
		{"modified_at", formatTime(t.ModifiedAt)},
		{"modified_by", orDash(oneLine(t.ModifiedBy))},
	} {
		fmt.Fprintf(tw, "%s:\t%s\n", kv[0], kv[1])
	}
	return tw.Flush()
}

// printTokens shows a list as a table, or as a JSON array ([] when empty).
// An empty list is said on stderr: stdout, for scripts, stays empty.
func printTokens(out, errw io.Writer, tokens []aisearch.Registration, asJSON bool) error {
	if asJSON {
		if tokens == nil {
			tokens = []aisearch.Registration{}
		}
		return writeJSON(out, tokens)
	}
	if len(tokens) == 0 {
		_, err := fmt.Fprintln(errw, "no registered tokens")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCF_API_ID\tENABLED\tLEGACY\tMODIFIED")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%t\t%s\n", t.ID, oneLine(t.Name), oneLine(t.CfAPIID), t.Enabled, t.Legacy, formatTime(t.ModifiedAt))
	}
	return tw.Flush()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps a server-supplied string with tabs, newlines or terminal
// escapes from breaking the output or driving the terminal.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// notFound gives a missing token its own exit code; other errors exit 1.
func notFound(err error) error {
	if errors.Is(err, aisearch.ErrNotFound) {
		return &exitError{Code: ExitNotFound, Err: err}
	}
	return err
}
