package contract

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Pair is one documented (operation, status) combination. Status is the
// spec's response key: a code such as "200", or a range such as "4XX".
type Pair struct {
	OperationID string
	Status      string
}

// documentedPairs reads every operation x status pair from the spec, sorted
// by operationId, then status: codes before the range that holds them (200,
// 403, 429, 4XX, 500), as plain string order does, 'X' sorting after every
// digit.
func documentedPairs(doc *openapi3.T) []Pair {
	var out []Pair
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(method)
			if op == nil || op.Responses == nil {
				continue
			}
			for key := range op.Responses.Map() {
				if _, err := strconv.Atoi(key); err == nil || isRange(key) {
					out = append(out, Pair{op.OperationID, key})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Pair) int {
		return cmp.Or(strings.Compare(a.OperationID, b.OperationID), strings.Compare(a.Status, b.Status))
	})
	return out
}

// isRange reports whether key is an OpenAPI status range: 1XX to 5XX.
func isRange(key string) bool {
	return len(key) == 3 && '1' <= key[0] && key[0] <= '5' && key[1:] == "XX"
}

// Coverage counts how many recorded interactions exercise each documented
// pair. An answer covers the pair of its own code when the operation
// documents that code, else the pair of its range (a 404 covers "4XX" on an
// operation that documents 4XX but not 404), as OpenAPI matches responses.
type Coverage struct {
	Documented []Pair
	Seen       map[Pair]int // includes undocumented pairs that were seen
	documented map[Pair]bool
}

// NewCoverage starts an empty count over the spec's documented pairs.
func NewCoverage(doc *openapi3.T) *Coverage {
	c := &Coverage{Documented: documentedPairs(doc), Seen: map[Pair]int{}, documented: map[Pair]bool{}}
	for _, p := range c.Documented {
		c.documented[p] = true
	}
	return c
}

// Add counts one interaction; unroutable ones (no operation) are ignored.
func (c *Coverage) Add(operationID string, status int) {
	if operationID == "" {
		return
	}
	p := Pair{operationID, strconv.Itoa(status)}
	if !c.documented[p] && 100 <= status && status <= 599 {
		if r := (Pair{operationID, p.Status[:1] + "XX"}); c.documented[r] {
			p = r
		}
	}
	c.Seen[p]++
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
// spec does not document the status. A range column (4XX) counts the
// answers no more specific code of the operation documents.
func (c *Coverage) WriteReport(w io.Writer) {
	var ops, statuses []string
	for _, p := range c.Documented {
		if !slices.Contains(ops, p.OperationID) {
			ops = append(ops, p.OperationID)
		}
		if !slices.Contains(statuses, p.Status) {
			statuses = append(statuses, p.Status)
		}
	}
	slices.Sort(statuses) // the order of documentedPairs
	width := 0
	for _, op := range ops {
		width = max(width, len(op))
	}
	fmt.Fprintf(w, "%-*s", width, "operation")
	for _, s := range statuses {
		fmt.Fprintf(w, " %5s", s)
	}
	fmt.Fprintln(w)
	for _, op := range ops {
		fmt.Fprintf(w, "%-*s", width, op)
		for _, s := range statuses {
			p := Pair{op, s}
			switch {
			case !c.documented[p]:
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
		fmt.Fprintf(w, "  not covered: %s %s\n", p.OperationID, p.Status)
	}
	var extra []string
	for p := range c.Seen {
		if !c.documented[p] {
			extra = append(extra, p.OperationID+" "+p.Status)
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
