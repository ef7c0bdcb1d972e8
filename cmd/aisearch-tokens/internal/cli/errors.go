package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/go-aisearch/tokens/aisearch"
)

// runner is one run of the command line: its environment, and what the
// command learnt that the error message needs (which credential went
// where, the --timeout in force).
type runner struct {
	env *Env
	// Where the credentials and the base URL came from, never their
	// values: "CLOUDFLARE_API_TOKEN", "--api-token-file key.txt". Set by
	// connect; empty before.
	mainCred, issuerCred, baseURLFrom string
	// account and clientOpts are the settings connect resolved, for a
	// second client with another credential.
	account    string
	clientOpts []aisearch.Option
	// bounded is the context --timeout limits, and timeout its value.
	bounded context.Context
	timeout time.Duration
	// progressW is where progress goes (see progress), once asked for.
	progressW io.Writer
}

// report prints err for the user and returns the exit code: one line
// saying what went wrong, then hints; for a usage error, where the help is.
func (r *runner) report(ctx context.Context, cmd *cobra.Command, err error) int {
	w := r.env.Stderr
	var intr *interrupted
	if errors.As(context.Cause(ctx), &intr) {
		// Whatever the command was doing, the user stopped it.
		fmt.Fprintf(w, "Error: %s\n", intr)
		return intr.ExitCode()
	}
	var exit *exitError
	if errors.As(err, &exit) && exit.Err == nil {
		return exit.Code // the command said it all
	}
	var usage *usageError
	if errors.As(err, &usage) {
		fmt.Fprintf(w, "Error: %s\nRun '%s --help' for usage.\n", usage.Msg, cmd.CommandPath())
		return ExitUsage
	}
	msg, hints := r.explain(err)
	fmt.Fprintf(w, "Error: %s\n", msg)
	for _, h := range hints {
		fmt.Fprintf(w, "  %s\n", h)
	}
	return exitCode(err)
}

// libraryPrefix matches the prefixes the packages put on their errors
// ("aisearch: ", "aisearch: Provision: "): package and function names mean
// nothing to someone at a shell, and a chain of them repeats.
var libraryPrefix = regexp.MustCompile(`\b(aisearch|contract|emulator|specgov|loadgen|record)(: (Provision|Rotate|Check))?: `)

// explain is the message and hints for a failure that is not a usage
// error.
func (r *runner) explain(err error) (string, []string) {
	msg := libraryPrefix.ReplaceAllString(err.Error(), "")
	var hints []string
	if r.bounded != nil && errors.Is(r.bounded.Err(), context.DeadlineExceeded) {
		timedOut := fmt.Sprintf("timed out after %s (--timeout %s)", r.timeout, r.timeout)
		if strings.Contains(msg, context.DeadlineExceeded.Error()) {
			msg = strings.ReplaceAll(msg, context.DeadlineExceeded.Error(), timedOut)
		} else {
			msg += ": " + timedOut
		}
		hints = append(hints, "Give it more time with --timeout, or --timeout 0 for no limit.")
	}
	if errors.Is(err, aisearch.ErrNotPropagated) {
		// Its *APIError is AI Search's 7012, which asks for no other hint.
		return msg, append(hints, "Cloudflare takes a few seconds to make a new token known to AI Search, sometimes longer: run the command again.")
	}
	var apiErr *aisearch.APIError
	if errors.As(err, &apiErr) {
		hints = append(hints, r.apiHints(apiErr)...)
	}
	return msg, hints
}

// apiHints say, for an authentication failure, which credential was used
// (where it came from, never its value) and what permission the request
// needs; for a route that does not exist, where the base URL came from.
// Which failure it is, the library decides from Cloudflare's codes
// (aisearch.ErrPermissionDenied, ErrBadCredential, ErrAuth).
func (r *runner) apiHints(e *aisearch.APIError) []string {
	req := describeRequest(e.Method, e.Path)
	cred := r.mainCred
	if req.tokens && r.issuerCred != "" {
		cred = r.issuerCred
	}
	switch {
	case e.HasCode(aisearch.CodeNoRoute):
		if r.baseURLFrom == "" {
			return nil // Cloudflare's own API: nothing the user set
		}
		// The client already refuses a base URL without /client/v4, so
		// this one has it: it is the root of something else.
		return []string{fmt.Sprintf("No such API route: is the base URL (from %s) the API root of Cloudflare or of an emulator?", r.baseURLFrom)}
	case cred == "":
		return nil
	case errors.Is(e, aisearch.ErrPermissionDenied):
		return []string{fmt.Sprintf("The API token from %s works but lacks a permission: %s needs %s.", cred, req.what, req.permission)}
	case errors.Is(e, aisearch.ErrAuth): // ErrBadCredential, or a bare 401 or 403
		hints := []string{fmt.Sprintf("The credential from %s was refused: is it the right one, still active and not expired?", cred)}
		if req.permission != "" {
			hints = append(hints, fmt.Sprintf("%s needs %s.", upperFirst(req.what), req.permission))
		}
		return hints
	}
	return nil
}

// request says what an API request does and the permission group it
// needs, from Cloudflare's definitions (x-api-token-group).
type request struct {
	what, permission string
	tokens           bool // a Cloudflare API token operation (the issuer credential's)
}

var accountTokensPath = regexp.MustCompile(`^/accounts/[^/]+/tokens(/|$)`)

func describeRequest(method, path string) request {
	read := method == http.MethodGet
	switch {
	case strings.Contains(path, "/ai-search/"):
		verb := map[string]string{http.MethodGet: "reading the registrations", http.MethodPost: "registering a service token",
			http.MethodPut: "updating a registration", http.MethodDelete: "deleting a registration"}[method]
		switch {
		case strings.Contains(path, "/jobs"):
			verb = map[string]string{http.MethodGet: "reading indexing jobs", http.MethodPost: "starting an indexing job"}[method]
		case strings.Contains(path, "/instances") || strings.HasSuffix(path, "/namespaces"):
			verb = map[string]string{http.MethodGet: "reading the AI Search instances", http.MethodPost: "creating an AI Search instance",
				http.MethodDelete: "deleting an AI Search instance"}[method]
		}
		perm := `the "AI Search Edit" permission group (Account > AI Search > Edit) on the account`
		if read {
			perm = `the "AI Search Read" or "AI Search Edit" permission group on the account`
		}
		return request{what: cmp.Or(verb, "the AI Search request"), permission: perm}
	case strings.HasSuffix(path, "/tokens/verify"):
		return request{what: "verifying a token", tokens: true}
	case strings.HasPrefix(path, "/user/tokens"):
		return tokenRequest(method, aisearch.OwnerUser, `"API Tokens Read" (User > API Tokens > Read)`, `"API Tokens Write" (User > API Tokens > Edit)`)
	case accountTokensPath.MatchString(path):
		return tokenRequest(method, aisearch.OwnerAccount, `"Account API Tokens Read" (Account > Account API Tokens > Read)`, `"Account API Tokens Write" (Account > Account API Tokens > Edit)`)
	}
	return request{what: method + " " + path}
}

func tokenRequest(method string, owner aisearch.Owner, read, write string) request {
	verb := map[string]string{http.MethodGet: "reading", http.MethodPost: "creating", http.MethodPut: "changing", http.MethodDelete: "deleting"}[method]
	perm := write
	if method == http.MethodGet {
		perm = read
	}
	return request{what: cmp.Or(verb, method) + " " + string(owner) + " API tokens", permission: "the " + perm + " permission group", tokens: true}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
