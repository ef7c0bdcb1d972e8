package aisearch

import (
	"fmt"
	"log/slog"
	"strconv"
)

// redacted is what every printed form of a Secret shows.
const redacted = "[REDACTED]"

// Secret holds a credential: a cf_api_key, an API token or a Global API key.
// Every way of printing it (String, GoString, any fmt verb, slog, JSON and
// text marshalling) shows "[REDACTED]", so a Secret can sit in a struct that
// is logged without leaking. Only Reveal returns the value; the client calls
// it when it builds a request body or an auth header and nowhere else.
type Secret string

// Reveal returns the secret's value. Never log or print it.
func (s Secret) Reveal() string { return string(s) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }

// String returns "[REDACTED]" (or "" for an empty secret, so "not set" stays
// visible in diagnostics).
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString makes %#v redact too.
func (s Secret) GoString() string { return "aisearch.Secret(" + strconv.Quote(s.String()) + ")" }

// Format makes every fmt verb (%s, %v, %q, %x, %d ...) print the redacted
// form: without it %x would hex-dump the value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, s.GoString())
	case verb == 'q':
		fmt.Fprint(f, strconv.Quote(s.String()))
	default:
		fmt.Fprint(f, s.String())
	}
}

// LogValue makes log/slog redact the secret.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON redacts, so a struct holding a Secret can be logged as JSON.
// Request bodies never go through it: the client copies Reveal() into the
// generated request type explicitly.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }

// MarshalText redacts for text encoders (YAML, XML, slog's text handler).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
