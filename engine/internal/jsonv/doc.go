// Package jsonv holds the JSON-value helpers shared by the engine and its
// servers (engine/serve): the ordered object, compact marshalling without
// HTML escaping, exact decoding and number normalisation (SPEC.md §9.1),
// value rendering (§5.4), constant data and advisory output types (§9.3,
// §9.4).
//
// A JSON-like value here is nil, string, bool, int64, float64,
// json.Number, map[string]any, []any or *Object. The package is internal
// to engine: embedders never see it.
//
// Imports: spec only (for the error type).
package jsonv
