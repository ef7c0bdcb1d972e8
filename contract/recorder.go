package contract

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/go-aisearch/tokens/generated"
	"github.com/go-aisearch/tokens/internal/cfauth"
)

// RecordOptions configure Record.
type RecordOptions struct {
	BaseURL     string // ends in /client/v4: https://api.cloudflare.com/client/v4 or an emulator's
	AccountID   string
	Credentials Credentials
	OutDir      string // cassettes are written here, one per scenario
	Prefix      string // prepended to each cassette name; default "recorded-"
	// Overwrite replaces cassettes that exist. Without it, Record refuses
	// to start when one of the files it would write exists (fs.ErrExist).
	Overwrite bool

	// Transport sends the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper

	// ServiceTokenID and ServiceTokenKey are the cf_api_id and cf_api_key
	// the lifecycle registers. The real API wants a real service token (see
	// the README); when empty, made-up values are used, which an emulator
	// accepts. The key is a secret: it is redacted like the credentials.
	ServiceTokenID, ServiceTokenKey string

	// MarkInUse, when set, lets Record provoke a 409: it marks a token as
	// used by an instance (an emulator hook; the real API needs a real
	// instance).
	MarkInUse func(tokenID string) error

	// RateLimit, when set, edits a request so that the server answers 429
	// (an emulator's fault header).
	RateLimit generated.RequestEditorFn

	// Only restricts the run to these scenarios (see Scenarios); empty
	// means all.
	Only []string
}

// Scenarios are the names of the scenarios Record can run, in order:
// lifecycle, pagination, invalid-input, no-credentials, in-use (needs
// MarkInUse) and rate-limited (needs RateLimit).
var Scenarios = []string{"lifecycle", "pagination", "invalid-input", "no-credentials", "in-use", "rate-limited"}

// Record runs a scripted lifecycle against opts.BaseURL with the generated
// client and writes what it sees as go-vcr cassettes, one per scenario. Every
// interaction is redacted (see Redact) as soon as it is captured, so no
// credential reaches memory that is saved, nor disk. It returns the files
// written. Tokens it creates are deleted before it returns, even on error,
// except one left in use by the 409 scenario.
func Record(ctx context.Context, opts RecordOptions) ([]string, error) {
	if opts.BaseURL == "" || opts.AccountID == "" || opts.OutDir == "" {
		return nil, errors.New("record: base URL, account id and output directory are required")
	}
	if !strings.HasSuffix(strings.TrimRight(opts.BaseURL, "/"), "/client/v4") {
		return nil, fmt.Errorf("record: base URL %q must end in /client/v4", opts.BaseURL)
	}
	if opts.Credentials == (Credentials{}) {
		return nil, errors.New("record: no credentials")
	}
	if opts.Prefix == "" {
		opts.Prefix = "recorded-"
	}
	if opts.Transport == nil {
		opts.Transport = http.DefaultTransport
	}
	run := randomHex(3)
	if opts.ServiceTokenID == "" {
		opts.ServiceTokenID = "recorded-cf-api-id-" + run
	}
	if opts.ServiceTokenKey == "" {
		opts.ServiceTokenKey = "recorded-secret-" + randomHex(12)
	}
	r := &session{opts: opts, prefix: "contract-" + run, known: knownSecrets(opts)}
	for _, name := range opts.Only {
		if !slices.ContainsFunc(r.scenarios(), func(s scenario) bool { return s.name == name }) {
			return nil, fmt.Errorf("record: scenario %q is unknown or needs an option that is not set (MarkInUse, RateLimit)", name)
		}
	}
	var todo []scenario
	for _, sc := range r.scenarios() {
		if len(opts.Only) > 0 && !slices.Contains(opts.Only, sc.name) {
			continue
		}
		todo = append(todo, sc)
		// Checked before anything is recorded, so a refusal leaves no partial run.
		if _, err := os.Lstat(r.file(sc)); err == nil && !opts.Overwrite {
			return nil, fmt.Errorf("record: %s: %w; refusing to overwrite it", r.file(sc), fs.ErrExist)
		}
	}
	var files []string
	for _, sc := range todo {
		file, err := r.record(ctx, sc)
		if file != "" {
			files = append(files, file)
		}
		if err != nil {
			return files, fmt.Errorf("record %s: %w", sc.name, err)
		}
	}
	return files, nil
}

type scenario struct {
	name string
	run  func(ctx context.Context, c *generated.ClientWithResponses) error
}

// session holds one Record call's state.
type session struct {
	opts    RecordOptions
	prefix  string   // unique token-name prefix of this run
	created []string // ids to delete at the end of a scenario
	known   *strings.Replacer
}

// knownSecrets replaces the values of this run's credentials with their
// placeholders wherever they appear. Values shorter than cfauth.MinSecretLen (an
// open emulator's "x") are left alone: they would match ordinary text.
func knownSecrets(opts RecordOptions) *strings.Replacer {
	var pairs []string
	for _, kv := range [][2]string{
		{opts.Credentials.APIToken, RedactedAPIKey},
		{opts.Credentials.APIKey, RedactedAPIKey},
		{opts.Credentials.Email, RedactedEmail},
		{opts.ServiceTokenKey, RedactedCFAPIKey},
	} {
		if len(kv[0]) >= cfauth.MinSecretLen {
			pairs = append(pairs, kv[0], kv[1])
		}
	}
	return strings.NewReplacer(pairs...)
}

// file is where the cassette of sc goes.
func (r *session) file(sc scenario) string {
	return filepath.Join(r.opts.OutDir, r.opts.Prefix+sc.name) + ".yaml"
}

func (r *session) record(ctx context.Context, sc scenario) (string, error) {
	name := strings.TrimSuffix(r.file(sc), ".yaml") // go-vcr adds it
	rec, err := recorder.New(name,
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(r.opts.Transport),
		recorder.WithSkipRequestLatency(true),
		recorder.WithMatcher(Matcher),
		recorder.WithHook(func(i *cassette.Interaction) error {
			// A body may echo a credential (the e-mail as created_by, a key
			// in an error message); Redact then fixes the lengths.
			i.Request.Body = r.known.Replace(i.Request.Body)
			i.Response.Body = r.known.Replace(i.Response.Body)
			Redact(i, r.opts.AccountID)
			i.Response.Duration = 0 // keeps re-recordings diffable
			return nil
		}, recorder.AfterCaptureHook),
		// Fail closed: refuse to save a cassette the scan still finds a
		// credential in (a header or field Redact does not know about).
		recorder.WithHook(func(i *cassette.Interaction) error {
			if found := ScanInteraction(fromCassette(i)); len(found) > 0 {
				return fmt.Errorf("interaction %d: %s after redaction; not saving", i.ID, found[0])
			}
			return nil
		}, recorder.BeforeSaveHook),
	)
	if err != nil {
		return "", err
	}
	c, err := generated.NewClientWithResponses(r.opts.BaseURL, generated.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		return "", err
	}
	r.created = nil
	runErr := sc.run(ctx, c)
	r.cleanup(ctx)
	if err := rec.Stop(); err != nil {
		return "", errors.Join(runErr, err)
	}
	return name + ".yaml", runErr
}

// cleanup deletes what a scenario left behind, without recording.
func (r *session) cleanup(ctx context.Context) {
	if len(r.created) == 0 {
		return
	}
	c, err := generated.NewClientWithResponses(r.opts.BaseURL, generated.WithHTTPClient(&http.Client{Transport: r.opts.Transport}))
	if err != nil {
		return
	}
	for _, id := range r.created {
		_, _ = c.DeleteTokenWithResponse(ctx, r.opts.AccountID, id, r.opts.Credentials.Apply)
	}
	r.created = nil
}

func (r *session) forget(id string) {
	for i, c := range r.created {
		if c == id {
			r.created = append(r.created[:i], r.created[i+1:]...)
			return
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusCoder is every generated *Response.
type statusCoder interface{ StatusCode() int }

// expect turns an unexpected answer into an error naming the step.
func expect(step string, want int, resp statusCoder, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	if got := resp.StatusCode(); got != want {
		return fmt.Errorf("%s: status %d, want %d", step, got, want)
	}
	return nil
}
