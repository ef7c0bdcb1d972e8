package emulator

import (
	"errors"
	"log/slog"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// handlers implements the generated strict server on top of the store. A
// generated method converts the request, runs one store transaction,
// converts the answer and hands it to respond; where several routes do the
// same (the user's and an account's API tokens, the account-level and
// namespaced instance routes), each one's method is one line calling the
// resource's shared handler (listAPITokens, getInstance...). The work
// returns its success value and an error: an apiError for a failure the
// client gets as such, any other error for the strict server's 500.
type handlers struct {
	store  *store
	now    func() time.Time
	logger *slog.Logger
	// propagation: how long a newly minted API token value takes to reach
	// AI Search (WithPropagationDelay).
	propagation time.Duration
	cfg         aiSearchConfig // job duration and limits (aisearch_choices.go)
}

var _ generated.StrictServerInterface = (*handlers)(nil)

// respond is the response of a generated method: ok, or the apiError err
// is (apiError implements every operation's response interface; see
// failures.go), or err for the strict server's 500.
func respond[O any](ok O, err error) (O, error) {
	if err == nil {
		return ok, nil
	}
	var aerr apiError
	if errors.As(err, &aerr) {
		return any(aerr).(O), nil
	}
	var zero O
	return zero, err
}

// Success envelopes carry empty errors and messages arrays, as Cloudflare's
// do; a nil slice would encode as null.
func noErrors() *generated.Errors     { e := generated.Errors{}; return &e }
func noMessages() *generated.Messages { m := generated.Messages{}; return &m }

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
