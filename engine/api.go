package engine

import (
	"net/http"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
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
	// Tree is the decoded body before any output parameter applies; nil
	// without a body.
	Tree any
}

// Operation is a callable consumed operation of the compiled program
// (program.Op): resolved once, passed to Prepare and CallOp.
type Operation = program.Op

// Input is one caller-visible input of an operation.
type Input = program.Input
