package contract

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Pair is one documented (operation, status) combination.
type Pair struct {
	OperationID string
	Status      int
}

// documentedPairs reads every operation x status pair from the spec, sorted
// by operationId, then status.
func documentedPairs(doc *openapi3.T) []Pair {
	var out []Pair
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(method)
			if op == nil || op.Responses == nil {
				continue
			}
			for code := range op.Responses.Map() {
				if n, err := strconv.Atoi(code); err == nil {
					out = append(out, Pair{op.OperationID, n})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Pair) int {
		if c := strings.Compare(a.OperationID, b.OperationID); c != 0 {
			return c
		}
		return a.Status - b.Status
	})
	return out
}

// Coverage counts how many recorded interactions exercise each documented
// pair.
type Coverage struct {
	Documented []Pair
	Seen       map[Pair]int // includes undocumented pairs that were seen
}

// NewCoverage starts an empty count over the spec's documented pairs.
func NewCoverage(doc *openapi3.T) *Coverage {
	return &Coverage{Documented: documentedPairs(doc), Seen: map[Pair]int{}}
}

// Add counts one interaction; unroutable ones (no operation) are ignored.
func (c *Coverage) Add(operationID string, status int) {
	if operationID != "" {
		c.Seen[Pair{operationID, status}]++
	}
}

// Missing returns the documented pairs no interaction covers.
func (c *Coverage) Missing() []Pair {
	var out []Pair
	for _, p := range c.Documented {
		if c.Seen[p] == 0 {
			out = append(out, p)
		}
	}
	return out
}

// Covered returns how many documented pairs are covered, and how many
// there are.
func (c *Coverage) Covered() (covered, total int) {
	return len(c.Documented) - len(c.Missing()), len(c.Documented)
}

// WriteReport prints the operation x status table: each cell is the number
// of interactions, "-" when a documented pair is not covered, blank when the
// spec does not document the status.
func (c *Coverage) WriteReport(w io.Writer) {
	var ops []string
	var statuses []int
	documented := map[Pair]bool{}
	for _, p := range c.Documented {
		documented[p] = true
		if !slices.Contains(ops, p.OperationID) {
			ops = append(ops, p.OperationID)
		}
		if !slices.Contains(statuses, p.Status) {
			statuses = append(statuses, p.Status)
		}
	}
	slices.Sort(statuses)
	width := 0
	for _, op := range ops {
		width = max(width, len(op))
	}
	fmt.Fprintf(w, "%-*s", width, "operation")
	for _, s := range statuses {
		fmt.Fprintf(w, " %5d", s)
	}
	fmt.Fprintln(w)
	for _, op := range ops {
		fmt.Fprintf(w, "%-*s", width, op)
		for _, s := range statuses {
			p := Pair{op, s}
			switch {
			case !documented[p]:
				fmt.Fprintf(w, " %5s", "")
			case c.Seen[p] == 0:
				fmt.Fprintf(w, " %5s", "-")
			default:
				fmt.Fprintf(w, " %5d", c.Seen[p])
			}
		}
		fmt.Fprintln(w)
	}
	covered, total := c.Covered()
	fmt.Fprintf(w, "coverage: %d/%d documented operation x status pairs (%.1f%%)\n", covered, total, percent(covered, total))
	for _, p := range c.Missing() {
		fmt.Fprintf(w, "  not covered: %s %d\n", p.OperationID, p.Status)
	}
	var extra []string
	for p := range c.Seen {
		if !documented[p] {
			extra = append(extra, fmt.Sprintf("%s %d", p.OperationID, p.Status))
		}
	}
	slices.Sort(extra)
	for _, e := range extra {
		fmt.Fprintf(w, "  undocumented but seen: %s\n", e)
	}
}

func percent(n, d int) float64 {
	if d == 0 {
		return 100
	}
	return 100 * float64(n) / float64(d)
}
