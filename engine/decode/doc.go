// Package decode turns response bodies into JSON-typed trees
// (map[string]any, []any, string, int64, float64, json.Number, bool, nil)
// that JSONPath can walk (SPEC.md §9.1).
//
// It owns the decoder table (For: json, xml, yaml, csv, tsv, psv, html,
// markdown, text, binary), each decoder (<format>.go), the typed scalars
// and table header rules they share, the exact-number JSON decoder
// (JSON), and the compiled outputSchema of an operation (CompileSchema):
// the CSS selector that scopes html tables (selector.go, naftiko's own)
// or the heading that scopes a markdown document.
//
// What the engine keeps: choosing the decoder of an answer (the
// operation's outputRawFormat against its Content-Type), the warnings it
// logs and the error of a body that decodes in no tried format, since
// those need the run's logger and redactor.
//
// Imports: spec (the YAML alias budget and number syntax the loader
// uses too) and spec/jsonv (exact numbers), besides golang.org/x/net/html,
// go.yaml.in/yaml and ojg. It never imports engine.
package decode
