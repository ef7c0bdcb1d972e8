package loadgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// Op is one kind of request the generator sends.
type Op string

// The operations of the tokens API.
const (
	OpList   Op = "list"
	OpGet    Op = "get"
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Ops lists every operation in a stable order.
var Ops = []Op{OpList, OpGet, OpCreate, OpUpdate, OpDelete}

// Mix gives each operation a relative weight; operations left out are not sent.
type Mix map[Op]int

// DefaultMix is read-heavy, like the real traffic (wrangler lists before
// every instance it creates), with enough writes to keep the store moving.
var DefaultMix = Mix{OpList: 5, OpGet: 3, OpCreate: 1, OpUpdate: 1, OpDelete: 1}

// ParseMix reads "list=5,get=3,create=1". Weights are non-negative integers
// and at least one must be positive.
func ParseMix(s string) (Mix, error) {
	m := Mix{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("mix: %q is not op=weight", part)
		}
		op := Op(strings.ToLower(strings.TrimSpace(name)))
		if !slices.Contains(Ops, op) {
			return nil, fmt.Errorf("mix: unknown operation %q (want one of list, get, create, update, delete)", name)
		}
		if _, dup := m[op]; dup {
			return nil, fmt.Errorf("mix: %s given twice", op)
		}
		n, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || n < 0 || n > 1_000_000 {
			return nil, fmt.Errorf("mix: weight of %s must be an integer from 0 to 1000000", op)
		}
		m[op] = n
	}
	if m.total() == 0 {
		return nil, fmt.Errorf("mix: no operation has a positive weight")
	}
	return m, nil
}

// String renders the mix in ParseMix's format, in Ops order.
func (m Mix) String() string {
	var parts []string
	for _, op := range Ops {
		if w, ok := m[op]; ok {
			parts = append(parts, fmt.Sprintf("%s=%d", op, w))
		}
	}
	return strings.Join(parts, ",")
}

func (m Mix) total() int {
	t := 0
	for _, w := range m {
		t += w
	}
	return t
}

// pick draws an operation by weight.
func (m Mix) pick(r *rand.Rand) Op {
	n := r.IntN(m.total())
	for _, op := range Ops {
		if n < m[op] {
			return op
		}
		n -= m[op]
	}
	return OpList // unreachable while total() > 0
}
