// Package jsonv holds the JSON values of the language, shared by the
// engine and its servers (engine/serve): the ordered object, compact
// marshalling without HTML escaping, exact decoding and number normalisation (SPEC.md §9.1),
// value rendering (§5.4), constant data and advisory output types (§9.3,
// §9.4).
//
// A JSON-like value here is nil, string, bool, int64, float64,
// json.Number, map[string]any, []any or *Object. The package is pure (no
// HTTP, no environment): it lives below spec/ so that engine/serve reaches
// it without importing the engine's internals (spec/graph_test.go).
//
// Imports: spec only (for the error type).
package jsonv
