package spec

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Kind classifies an Error. Every surface maps a Kind mechanically: the CLI
// to an exit status, a REST server to an HTTP status, an MCP server to a tool
// result. The mapping never depends on message text.
type Kind int

// The kinds of Error, in the order of SPEC.md §10.
const (
	KindInternal  Kind = iota // a bug or a recovered panic
	KindUsage                 // bad caller input: unknown operation or parameter, bad value, bad flags
	KindSpec                  // the document cannot do what was asked: element error, unsupported construct
	KindBinding               // a bound variable or key could not be resolved
	KindRequest               // the request cannot be built (CR/LF in a header, bad path value)
	KindTransport             // network failure, timeout, size cap, cancellation
	KindUpstream              // the upstream answered with a non-2xx status
	KindOutput                // the response body could not be decoded
)

var kindNames = [...]string{
	KindInternal:  "internal",
	KindUsage:     "usage",
	KindSpec:      "spec",
	KindBinding:   "binding",
	KindRequest:   "request",
	KindTransport: "transport",
	KindUpstream:  "upstream",
	KindOutput:    "output",
}

// String returns the kind's lower-case name, as printed by the CLI.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// ExitCode is the CLI exit status for an error of this kind (SPEC.md §10).
// Upstream errors depend on the status; use (*Error).ExitCode for those.
func (k Kind) ExitCode() int {
	switch k {
	case KindUsage, KindSpec, KindBinding, KindRequest:
		return 2
	case KindUpstream:
		return 4
	default:
		return 1
	}
}

// Remedy is a fix of an error whose wording belongs to the caller (the
// command line, a REST client, an MCP client): the library names it, the
// edge words it.
type Remedy int

const (
	// RemedyNone: Hint, Inputs and Env say everything.
	RemedyNone Remedy = iota
	// RemedyKeyFile: the variables of Env could also come from a key file
	// bound with location: file://….
	RemedyKeyFile
	// RemedyCredential: Env[0] must be set to the credential; nothing was
	// sent.
	RemedyCredential
	// RemedyHeader: the credentials could be supplied by hand as an
	// Authorization header.
	RemedyHeader
	// RemedyBody: the request body could be supplied by the caller as is.
	RemedyBody
	// RemedyText: the file part named by Inputs[0] could be supplied as
	// text instead.
	RemedyText
	// RemedyTimeout: the time allowed to each upstream attempt could be
	// raised.
	RemedyTimeout
	// RemedyMaxSize: the response size limit could be raised.
	RemedyMaxSize
	// RemedyHops: the caller could look at each redirect hop.
	RemedyHops
	// RemedyRaw: the caller could take the body as received, undecoded.
	RemedyRaw
	// RemedyBaseURI: the consumed namespace Namespace needs a base URL
	// (the document has none, or not an absolute http(s) one) given by
	// whoever runs naftiko.
	RemedyBaseURI
)

// Wording words the structured fields of an error for one kind of caller
// (the command line, a REST client, an MCP client). Which field a hint
// comes from is decided once, by (*Error).HintFor.
type Wording struct {
	// Remedies words each remedy from the error's library hint (possibly
	// empty) and its fields, which HintFor has checked are there.
	Remedies map[Remedy]func(hint string, e *Error) string
	// Env words the environment variables to set.
	Env func(names []string) string
	// Inputs words the caller inputs to supply.
	Inputs func(names []string) string
}

// HintFor is the hint of e worded for one caller: its remedy if the caller
// words one, else the library's hint, else the environment variables to
// set, else the inputs to supply; "" when there is nothing to say.
func (e *Error) HintFor(w Wording) string {
	h := strings.TrimRight(e.Hint, "\n")
	if f := w.Remedies[e.Remedy]; f != nil && e.remedyHasFields() {
		return f(h, e)
	}
	switch {
	case h != "":
		return h
	case len(e.Env) > 0 && w.Env != nil:
		return w.Env(e.Env)
	case len(e.Inputs) > 0 && w.Inputs != nil:
		return w.Inputs(e.Inputs)
	}
	return ""
}

// remedyHasFields reports whether e holds the fields its remedy is worded
// from: Env[0] for the key-file and credential remedies, Inputs[0] for the
// text remedy, Namespace for the base-URI remedy.
func (e *Error) remedyHasFields() bool {
	switch e.Remedy {
	case RemedyNone:
		return false
	case RemedyKeyFile, RemedyCredential:
		return len(e.Env) > 0
	case RemedyText:
		return len(e.Inputs) > 0
	case RemedyBaseURI:
		return e.Namespace != ""
	}
	return true
}

// Error is the one error type of naftiko. It is returned by the loader for
// fatal problems and by the engine for every failed call.
type Error struct {
	Kind Kind
	// Ref is the operation reference as the caller wrote it, if any.
	Ref string
	// Msg says what went wrong; it never contains a secret.
	Msg string
	// Hint says how to fix it, when there is something to say.
	Hint string
	// Inputs names the caller inputs the error is about (missing, or
	// needed by a template). The engine leaves Hint empty for them: each
	// caller words how to supply them (the CLI: --param NAME=…; an MCP
	// client: tool arguments; a REST client: request inputs).
	Inputs []string
	// Env names the environment variables the error is about (unset, or
	// set to the empty string). Like Inputs, the library does not word how
	// to set them: the CLI speaks of export and --env-file, a server of its
	// own environment.
	Env []string
	// Namespace is the consumed namespace the error is about, when its
	// remedy names one.
	Namespace string
	// Remedy says what else the caller could do, when that depends on how
	// naftiko is called; each caller words it in its own terms (Hint then
	// holds only the part that is true for every caller).
	Remedy Remedy
	// Pos locates spec problems in the document; zero otherwise.
	Pos Pos

	// Status, Header and Body describe the upstream answer of a KindUpstream
	// error. Body is the decoded error body (a JSON-like tree or a string).
	Status int
	Header http.Header
	Body   any
	// Raw is the upstream body as received.
	Raw []byte

	// Diagnostics holds every diagnostic of a failed load.
	Diagnostics []Diagnostic

	// Timeout is set on transport errors caused by a deadline.
	Timeout bool

	// Err is the wrapped cause, if any.
	Err error
}

// Error formats the error as "kind: ref: message".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.String())
	b.WriteString(": ")
	if e.Ref != "" {
		b.WriteString(e.Ref)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same Kind, so that
// errors.Is(err, &spec.Error{Kind: spec.KindUsage}) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Msg == "" && t.Ref == ""
}

// ExitCode maps the error to the CLI exit status of SPEC.md §10.
func (e *Error) ExitCode() int {
	if e.Kind == KindUpstream && e.Status >= 500 {
		return 5
	}
	return e.Kind.ExitCode()
}

// HTTPStatus maps the error to the status a REST server answers with.
func (e *Error) HTTPStatus() int {
	switch e.Kind {
	case KindUsage, KindRequest:
		return http.StatusBadRequest
	case KindTransport:
		if e.Timeout {
			return http.StatusGatewayTimeout
		}
		return http.StatusBadGateway
	case KindOutput:
		return http.StatusBadGateway
	case KindUpstream:
		if e.Status > 0 {
			return e.Status
		}
		return http.StatusBadGateway
	default:
		return http.StatusInternalServerError
	}
}

// Errorf returns a new *Error of the given kind.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// AsError returns err as an *Error, wrapping foreign errors as KindInternal.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindInternal, Msg: err.Error(), Err: err}
}
