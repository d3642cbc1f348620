// Package spec loads naftiko capability documents.
//
// It is pure: bytes in, a typed *Capability plus positioned diagnostics out.
// It performs no HTTP and reads no environment; it reads only the files it
// is asked to load and the files they import. Every accepted spelling of
// the document (naftiko 1.0.0-alpha1 to alpha3, ikanos, and the real-world
// dialect of machine-generated files) is normalised into one model while
// loading, and every element keeps the file:line:col it was written at.
//
// Templates ({{NAME}}) and JSONPath output expressions are compiled once,
// at load; the engine only evaluates them.
//
// Validation against the project's JSON Schemas (naftiko validate) is in
// package spec/schema, so that importing spec does not link a JSON Schema
// library.
//
// Imports: only spec/internal/vocab and spec/internal/yamlnode of this
// module. Everything else builds on it: the compile stage (spec/program),
// validation (spec/schema), the binder, the engine and the CLI.
package spec
