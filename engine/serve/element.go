package serve

import (
	"fmt"
	"net/http"

	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

// element is an exposed element compiled by the program: a REST
// operation, an MCP tool or dynamic resource.
type element = program.Element

// ---------------------------------------------------------------------------
// JSON responses.

// errorBody is the REST error body {"error": {kind, message, hint?}}.
func errorBody(kind, msg, hint string) any {
	e := &jsonv.Object{}
	e.Set("kind", kind)
	e.Set("message", msg)
	if hint != "" {
		e.Set("hint", hint)
	}
	o := &jsonv.Object{}
	o.Set("error", e)
	return o
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := jsonv.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(fmt.Sprintf(`{"error":{"kind":"internal","message":%q}}`, err.Error()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
