package main

import (
	"bytes"
	"encoding/json"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// writeValue prints a result value in format "json" or "yaml" (SPEC.md
// §9.3): JSON without HTML escaping, indented by two spaces when indent is
// set (stdout is a terminal) and compact otherwise, then a newline.
func writeValue(w io.Writer, v any, format string, indent bool) error {
	switch format {
	case "yaml":
		n, err := yamlNode(v)
		if err != nil {
			return outputError(err)
		}
		enc := yaml.NewEncoder(w)
		enc.SetIndent(2)
		if err := enc.Encode(n); err != nil {
			return outputError(err)
		}
		if err := enc.Close(); err != nil {
			return outputError(err)
		}
		return nil
	default:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if indent {
			enc.SetIndent("", "  ")
		}
		if err := enc.Encode(v); err != nil {
			return outputError(err)
		}
		return nil
	}
}

// yamlNode converts v to a YAML tree through its JSON encoding, so that
// YAML shows exactly what JSON would: the same key order, numbers with their
// exact text (json.Number included) and any type's own JSON form. Styles are
// reset so the encoder writes block style and quotes only where needed.
func yamlNode(v any) (*yaml.Node, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(buf.Bytes(), &doc); err != nil {
		return nil, err
	}
	var reset func(n *yaml.Node)
	reset = func(n *yaml.Node) {
		n.Style = 0
		for _, c := range n.Content {
			reset(c)
		}
	}
	reset(&doc)
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

// outputError wraps a failure to print the result.
func outputError(err error) *spec.Error {
	return &spec.Error{Kind: spec.KindOutput, Msg: "printing the result: " + err.Error(), Err: err}
}

// writeResult prints the result of a successful call on stdout.
func (a *app) writeResult(res *engine.Result, format string) error {
	if res == nil {
		return &spec.Error{Kind: spec.KindInternal, Msg: "the engine returned no result"}
	}
	if format == "raw" {
		if _, err := a.stdout.Write(res.Body); err != nil {
			return outputError(err)
		}
		return nil
	}
	return a.printValue(res.Value, format)
}

// printValue writes v on stdout in format: indented on a terminal, and
// coloured when colour is on (JSON and YAML alike, see term.go).
func (a *app) printValue(v any, format string) error {
	if (format != "json" && format != "yaml") || !a.colorOn(a.stdout) {
		return writeValue(a.stdout, v, format, isTerminal(a.stdout))
	}
	var buf bytes.Buffer
	if err := writeValue(&buf, v, format, true); err != nil {
		return err
	}
	color := colorJSON
	if format == "yaml" {
		color = colorYAML
	}
	if _, err := a.stdout.Write(color(buf.Bytes())); err != nil {
		return outputError(err)
	}
	return nil
}

// writeErrorBody prints the body of an upstream error answer on stdout
// (SPEC.md §9.5), so scripts can inspect it; the summary goes to stderr.
func (a *app) writeErrorBody(e *spec.Error, format string) {
	if format == "raw" {
		a.stdout.Write(e.Raw)
		return
	}
	if e.Body == nil {
		return
	}
	// A failure here is not worth more than the upstream error itself.
	_ = a.printValue(e.Body, format)
}
