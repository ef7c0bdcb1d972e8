package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/go-aisearch/tokens/aisearch"
)

// maxSecretFile bounds what is read for a secret: keys are tens of bytes.
const maxSecretFile = 64 << 10

// interruptibleRead runs read, which may block (a terminal, a pipe nobody
// writes to, a FIFO's open), and returns when it does or when ctx ends
// (Ctrl-C). Nothing can unblock such a read: it is left behind, and the
// process exits soon after.
func interruptibleRead[T any](ctx context.Context, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := read()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// readCfAPIKey finds the secret: the file if given, else $CF_API_KEY, else
// stdin (with a prompt that does not echo when stdin is a terminal).
func (r *runner) readCfAPIKey(ctx context.Context, file string) (aisearch.Secret, error) {
	if file != "" {
		return readSecretFile(ctx, file, "--cf-api-key-file")
	}
	if v := r.env.Getenv(envCfAPIKey); v != "" {
		return checkSecret(v, envCfAPIKey)
	}
	if r.env.StdinIsTerminal {
		line, err := r.promptHidden(ctx, "cf_api_key (the service token's value; not echoed): ")
		if err != nil {
			return "", fmt.Errorf("reading cf_api_key from the terminal: %w", err)
		}
		return checkSecret(line, "the terminal")
	}
	b, err := interruptibleRead(ctx, func() ([]byte, error) { return io.ReadAll(io.LimitReader(r.env.Stdin, maxSecretFile+1)) })
	if err != nil {
		return "", fmt.Errorf("reading cf_api_key from stdin: %w", err)
	}
	if len(b) > maxSecretFile {
		return "", usagef("stdin: more than %d bytes; a cf_api_key is much shorter", maxSecretFile)
	}
	if strings.TrimSpace(string(b)) == "" {
		return "", usagef("no cf_api_key: pass --cf-api-key-file, set %s, or give it on stdin", envCfAPIKey)
	}
	return checkSecret(string(b), "stdin")
}

// promptHidden asks on stderr and reads one line from the terminal with
// echo off. Interrupted, it puts the terminal back as it was: the
// abandoned read cannot. A terminal that is not a file (a test's) is read
// as a plain line.
func (r *runner) promptHidden(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(r.env.Stderr, prompt)
	f, ok := r.env.Stdin.(*os.File)
	if !ok {
		line, err := r.readLine(ctx)
		fmt.Fprintln(r.env.Stderr)
		return line, err
	}
	fd := int(f.Fd())
	saved, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	line, err := interruptibleRead(ctx, func() ([]byte, error) { return term.ReadPassword(fd) })
	fmt.Fprintln(r.env.Stderr) // the Enter that was not echoed
	if ctx.Err() != nil {
		_ = term.Restore(fd, saved)
	}
	return string(line), err
}

// readSecretFile reads a secret from a file, which may be a FIFO or
// /dev/stdin (`--cf-api-key-file <(pass show key)`): an open or a read that
// blocks is interruptible.
func readSecretFile(ctx context.Context, path, flagName string) (aisearch.Secret, error) {
	b, err := interruptibleRead(ctx, func() ([]byte, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	})
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("reading %s: %w", flagName, err)
		}
		return "", usagef("%s: %v", flagName, err)
	}
	if len(b) > maxSecretFile {
		return "", usagef("%s: file larger than %d bytes", flagName, maxSecretFile)
	}
	return checkSecret(string(b), flagName)
}

// checkSecret trims the trailing newline editors and `echo` add and refuses
// what cannot be a key. Messages never quote the value.
func checkSecret(v, from string) (aisearch.Secret, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", usagef("%s: empty", from)
	case strings.ContainsAny(v, "\r\n"):
		return "", usagef("%s: more than one line", from)
	case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", usagef("%s: contains control characters", from)
	}
	return aisearch.Secret(v), nil
}

// readLine reads one line of stdin (at most 1 KiB), interruptibly.
func (r *runner) readLine(ctx context.Context) (string, error) {
	line, err := interruptibleRead(ctx, func() (string, error) {
		return bufio.NewReader(io.LimitReader(r.env.Stdin, 1024)).ReadString('\n')
	})
	if ctx.Err() != nil {
		return "", err
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return strings.TrimRight(line, "\r\n"), err
}

// confirm asks question on stderr and reports whether the person at the
// terminal answered "y" or "yes".
func (r *runner) confirm(ctx context.Context, question string) (bool, error) {
	fmt.Fprint(r.env.Stderr, question)
	line, err := r.readLine(ctx)
	if err != nil {
		return false, fmt.Errorf("waiting for an answer: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
