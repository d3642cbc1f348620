package engine

import "github.com/naftiko/naftiko/spec/jsonv"

// marshalJSON is the tests' name for jsonv.Marshal.
func marshalJSON(v any) ([]byte, error) { return jsonv.Marshal(v) }
