package contract

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestSecretShapesMatchTheirRegexps checks the linear scan against the
// regular expressions it replaced, on random text made of token, hex and
// separator characters.
func TestSecretShapesMatchTheirRegexps(t *testing.T) {
	regexps := []*regexp.Regexp{
		regexp.MustCompile(`(^|[^A-Za-z0-9_-])[A-Za-z0-9_-]{40}($|[^A-Za-z0-9_-])`),
		regexp.MustCompile(`(^|[^0-9a-fA-F])[0-9a-fA-F]{37}($|[^0-9a-fA-F])`),
	}
	const alphabet = "0123456789abcdefABCDEFghzGHZ_-  .\":"
	rng := rand.New(rand.NewPCG(1, 2))
	matched := make([]int, len(secretShapes))
	for i := range 3000 {
		b := make([]byte, rng.IntN(120))
		for j := range b {
			// Long runs of one class, so that 37 and 40 are reached often.
			if rng.IntN(30) == 0 {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[j] = alphabet[(i+j/50)%22]
			}
		}
		for k, s := range secretShapes {
			if got, want := hasRun(b, s.n, s.in), regexps[k].Match(b); got != want {
				t.Fatalf("%s on %q: %v, regexp says %v", s.name, b, got, want)
			} else if got {
				matched[k]++
			}
		}
	}
	for k, n := range matched {
		if n < 10 || n > 2990 {
			t.Errorf("%s matched %d of 3000 inputs: the inputs do not test both outcomes", secretShapes[k].name, n)
		}
	}
}
