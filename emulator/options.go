package emulator

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Option configures a Server. Every option checks its argument.
type Option func(*config) error

type apiKey struct{ email, key string }

type config struct {
	tokens    []string
	keys      []apiKey
	validate  bool
	clock     func() time.Time
	logger    *slog.Logger
	statePath string
	faults    Faults
	maxBody   int64
	ids       *idSource // nil: random uuids
	// permissionGroups extend the API token catalogue (WithPermissionGroups).
	permissionGroups []PermissionGroup
	compactSlack     int // see withCompactSlack
	propagation      time.Duration
	aiSearch         aiSearchConfig
}

// DefaultMaxBodyBytes caps request bodies; a token registration is a few
// hundred bytes, so anything near the cap is garbage.
const DefaultMaxBodyBytes = 64 << 10

func newConfig(opts []Option) (config, error) {
	c := config{
		validate:     true,
		clock:        time.Now,
		logger:       slog.New(slog.DiscardHandler),
		maxBody:      DefaultMaxBodyBytes,
		compactSlack: compactSlack,
		aiSearch:     aiSearchConfig{jobDuration: DefaultJobDuration, maxInstances: DefaultMaxInstances, maxNamespaces: DefaultMaxNamespaces},
	}
	for _, o := range opts {
		if o == nil {
			return config{}, errors.New("emulator: nil option")
		}
		if err := o(&c); err != nil {
			return config{}, fmt.Errorf("emulator: %w", err)
		}
	}
	return c, nil
}

// openAuth reports whether any non-empty credential is accepted, which is
// the case when no API token and no API key were configured.
func (c *config) openAuth() bool { return len(c.tokens) == 0 && len(c.keys) == 0 }

// WithAPITokens adds API tokens accepted as `Authorization: Bearer <token>`.
// With no WithAPITokens and no WithAPIKey, any non-empty credential is accepted.
func WithAPITokens(tokens ...string) Option {
	return func(c *config) error {
		if len(tokens) == 0 {
			return errors.New("WithAPITokens: no token given")
		}
		for _, t := range tokens {
			if !isB64Token(t) {
				return errors.New("WithAPITokens: a token must be a bearer token: letters, digits and -._~+/, then any =")
			}
		}
		c.tokens = append(c.tokens, tokens...)
		return nil
	}
}

// WithAPIKey adds an accepted legacy credential pair (X-Auth-Email and
// X-Auth-Key, a Global API key).
func WithAPIKey(email, key string) Option {
	return func(c *config) error {
		if email == "" || key == "" {
			return errors.New("WithAPIKey: email and key must both be non-empty")
		}
		c.keys = append(c.keys, apiKey{email: email, key: key})
		return nil
	}
}

// WithValidation turns request validation against openapi.yaml on (the
// default) or off. Off is for benchmarks and for clients that want to see
// what the handlers do with input the spec forbids; routing, auth, body
// caps, the Content-Type and one-JSON-value checks of bodies and the
// decoding of the query string still apply.
func WithValidation(on bool) Option {
	return func(c *config) error { c.validate = on; return nil }
}

// WithClock sets the emulator's clock (default time.Now): the source of
// every timestamp it sets, and the time against which it judges expiry,
// not_before, the propagation delay, a job's course and last_used_on, so a
// test moves the clock instead of sleeping.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("WithClock: nil clock")
		}
		c.clock = now
		return nil
	}
}

// WithLogger sets the request and lifecycle logger (default: discard).
// Logs never carry credentials, request bodies or secrets.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithStateFile persists the store in path (an fsynced append-only log,
// compacted on open and as it grows). A write is acknowledged only once it
// is on disk; a torn tail left by a crash is ignored on load.
func WithStateFile(path string) Option {
	return func(c *config) error {
		if path == "" {
			return errors.New("WithStateFile: empty path")
		}
		c.statePath = path
		return nil
	}
}

// WithFaults injects latency and failures (see Faults).
func WithFaults(f Faults) Option {
	return func(c *config) error {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("WithFaults: %w", err)
		}
		c.faults = f
		return nil
	}
}

// WithDeterministicIDs makes the ids of created tokens a fixed sequence
// drawn from seed (uuid v4s for registrations, 32 hex digits for Cloudflare
// API tokens and their policies): two servers given the same seed hand out
// the same ids in the same order (the order in which creates are applied),
// so a test can predict or replay them. Ids already in the store are
// skipped. Seeded tokens keep the ids their seed gives. Token values stay
// random.
func WithDeterministicIDs(seed uint64) Option {
	return func(c *config) error {
		var key [32]byte
		binary.LittleEndian.PutUint64(key[:], seed)
		c.ids = &idSource{r: rand.NewChaCha8(key)}
		return nil
	}
}

// idSource hands out ids: from crypto/rand, or from r.
type idSource struct {
	mu sync.Mutex
	r  io.Reader // never fails (a *rand.ChaCha8)
}

// next is a uuid v4, the shape of a registration's id.
func (s *idSource) next() string {
	if s == nil {
		return uuid.NewString()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return uuid.Must(uuid.NewRandomFromReader(s.r)).String()
}

// nextHex is 128 bits as 32 lowercase hex digits, the shape of a Cloudflare
// API token's and a policy's id.
func (s *idSource) nextHex() string {
	if s == nil {
		return randomHexID()
	}
	b := make([]byte, 16)
	s.mu.Lock()
	_, _ = io.ReadFull(s.r, b)
	s.mu.Unlock()
	return hex.EncodeToString(b)
}

// WithMaxBodyBytes changes the request body cap (default DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("WithMaxBodyBytes: cap must be positive")
		}
		c.maxBody = n
		return nil
	}
}

// withCompactSlack sets how many lines the state file may grow beyond
// twice its rows before it is compacted (default compactSlack), so that
// tests reach a compaction in a few writes.
func withCompactSlack(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("withCompactSlack: negative slack")
		}
		c.compactSlack = n
		return nil
	}
}

// WithPropagationDelay makes a newly minted Cloudflare API token value (of
// a create or a roll) reach AI Search only d after it was minted, on the
// emulator's clock (WithClock): until then, registering it (an AI Search
// token create or update) gets 400, code 7012, as Cloudflare answers for a
// few seconds after a token is created. Seeded values are known at once.
// Default 0: at once.
func WithPropagationDelay(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("WithPropagationDelay: negative delay")
		}
		c.propagation = d
		return nil
	}
}
