package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
)

// usageErrorf returns a usage-kind error, the kind of every bad flag value.
func usageErrorf(format string, args ...any) *spec.Error {
	return spec.Errorf(spec.KindUsage, format, args...)
}

// splitParam splits a --param value at its first "=" into a parameter name
// and a raw value (which may still be @path, - or @-).
func splitParam(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, "=")
	if !ok {
		e := usageErrorf("--param %q: expected NAME=VALUE", s)
		e.Hint = "for example --param " + s + "=value; read a value from a file with NAME=@path, or from stdin with NAME=-"
		return "", "", e
	}
	if strings.TrimSpace(name) == "" {
		return "", "", usageErrorf("--param %q: the parameter name before = is empty", s)
	}
	return name, value, nil
}

// splitHeader splits a -H value at its first ":" into a header name and a
// value with the spaces around it trimmed. An empty value means "remove
// this header from the request".
func splitHeader(s string) (name, value string, err error) {
	name, value, ok := strings.Cut(s, ":")
	if !ok {
		e := usageErrorf("--header %q: expected 'Name: value'", s)
		e.Hint = "write -H 'Name: value' to set a header, or -H 'Name:' to remove it"
		return "", "", e
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return "", "", usageErrorf("--header %q: the header name before : is empty", s)
	}
	return name, strings.TrimSpace(value), nil
}

// parseBaseURI reads a --base-uri value: a URL starting with http:// or
// https:// applies to every adapter (namespace ""); anything else is
// NAMESPACE=URL. Whether the namespace exists is checked by the engine.
func parseBaseURI(s string) (namespace, uri string, err error) {
	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return "", s, nil
	}
	ns, uri, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(ns) == "" {
		e := usageErrorf("--base-uri %q: expected an http:// or https:// URL, or NAMESPACE=URL", s)
		e.Hint = "for example --base-uri http://localhost:8080 (every adapter) or --base-uri my-namespace=http://localhost:8080 (one adapter)"
		return "", "", e
	}
	return ns, uri, nil
}

// sourceKind says where a flag value comes from.
type sourceKind int

const (
	fromLiteral sourceKind = iota // the text itself
	fromFile                      // the file named by the text
	fromStdin                     // standard input
)

// classifyValue interprets the @ conventions of --param and --body values:
// "-" and "@-" read stdin, "@path" reads a file, a leading "@@" stands for a
// literal "@", and anything else is literal text. It returns the kind and
// the literal text or the file path.
func classifyValue(v string) (sourceKind, string) {
	switch {
	case v == "-" || v == "@-":
		return fromStdin, ""
	case strings.HasPrefix(v, "@@"):
		return fromLiteral, v[1:]
	case strings.HasPrefix(v, "@"):
		return fromFile, v[1:]
	default:
		return fromLiteral, v
	}
}

// stdinOnce hands standard input to at most one consumer.
type stdinOnce struct {
	r    io.Reader
	user string // the flag that read stdin, if any
}

// read returns all of stdin for the consumer named user (a flag such as
// "--param body=-"); a second consumer gets a usage error naming both.
func (s *stdinOnce) read(ctx context.Context, user string) ([]byte, error) {
	if s.user != "" {
		e := usageErrorf("stdin can be read only once, but both %s and %s ask for it", s.user, user)
		e.Hint = "read one of them from a file with @path"
		return nil, e
	}
	s.user = user
	if s.r == nil {
		return nil, nil
	}
	b, err := binder.ReadAll(ctx, s.r)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, readFailure(user+" (stdin)", err)
		}
		return nil, readFailure(user+": reading stdin", err)
	}
	return b, nil
}

// readValueFile reads the file of a flag value given as @path.
func readValueFile(ctx context.Context, flag, path string) (string, error) {
	if path == "" {
		e := usageErrorf("%s: no file name after @", flag)
		e.Hint = "write @path to read a file, @- to read stdin, or @@text for a literal @text"
		return "", e
	}
	b, err := binder.ReadFile(ctx, path)
	if err != nil {
		return "", readFailure(flag, err)
	}
	return string(b), nil
}

// readFailure reports a flag value that could not be read: a usage error,
// or, when the context ended first (SIGINT), a transport error as any
// cancellation (SPEC.md §10; Main exits 130).
func readFailure(what string, err error) *spec.Error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &spec.Error{Kind: spec.KindTransport, Msg: what + ": interrupted while reading", Err: err}
	}
	return usageErrorf("%s: %v", what, unwrapPathError(err))
}

// unwrapPathError shortens "open x: no such file or directory" to the part
// that names the file and the cause, whatever the operation.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}

// outputFormats are the values of -o/--output.
var outputFormats = []string{"json", "yaml", "raw"}

// checkOutputFormat validates a -o/--output value.
func checkOutputFormat(f string) error {
	for _, g := range outputFormats {
		if f == g {
			return nil
		}
	}
	e := usageErrorf("--output %q: unknown format", f)
	e.Hint = "use -o json (the default), -o yaml, or -o raw for the response body exactly as received"
	return e
}

// byteSize is a pflag.Value for sizes in bytes with an optional unit:
// 1048576, 512KiB, 64MiB, 1GiB, 10MB, 1kB.
type byteSize int64

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"kB", 1000}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30},
	{"B", 1},
}

// String formats the size in the largest binary unit that divides it.
func (b *byteSize) String() string {
	n := int64(*b)
	switch {
	case n != 0 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "GiB"
	case n != 0 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n != 0 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	}
	return strconv.FormatInt(n, 10)
}

// Set parses a size such as 1048576 or 64MiB.
func (b *byteSize) Set(s string) error {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return fmt.Errorf("expected a positive number of bytes such as 1048576 or 64MiB, got %q", s)
	}
	*b = byteSize(n * mult)
	return nil
}

// Type names the value in flag help.
func (b *byteSize) Type() string { return "size" }
