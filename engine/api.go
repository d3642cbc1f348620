package engine

import (
	"net/http"

	"github.com/naftiko/naftiko/spec"
)

// Error is naftiko's one error type (see spec.Error).
type Error = spec.Error

// Kind classifies an Error.
type Kind = spec.Kind

// The error kinds, re-exported for callers of the engine.
const (
	KindInternal  = spec.KindInternal
	KindUsage     = spec.KindUsage
	KindSpec      = spec.KindSpec
	KindBinding   = spec.KindBinding
	KindRequest   = spec.KindRequest
	KindTransport = spec.KindTransport
	KindUpstream  = spec.KindUpstream
	KindOutput    = spec.KindOutput
)

// Result is the outcome of a successful call.
type Result struct {
	// Status is the upstream's final HTTP status.
	Status int
	// Header is the upstream's response header.
	Header http.Header
	// Body is the response body as received.
	Body []byte
	// Outputs holds every output parameter keyed by name (unnamed ones as
	// output1, output2…); nil when the operation declares none.
	Outputs map[string]any
	// Value is the result: the whole decoded body without outputs, the
	// single output's value, or an object of several outputs by name.
	Value any
}

// Operation describes a callable consumed operation.
type Operation struct {
	// Ref is the shortest unambiguous reference: op, namespace.op or
	// namespace.resource.op.
	Ref       string
	Namespace string
	Resource  string
	Name      string
	Method    string
	// Path is the resource path joined with the operation path, unrendered.
	Path        string
	Description string
	// Inputs are the caller-visible inputs in declaration order.
	Inputs []Input
	// Source locates the operation in the loaded document.
	Source spec.OpRef
}

// Input is one caller-visible input of an operation.
type Input struct {
	Name        string
	In          string
	Type        string
	Description string
	Required    bool
}
