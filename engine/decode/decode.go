package decode

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ohler55/ojg/oj"

	"github.com/naftiko/naftiko/spec/jsonv"
)

// This file is the decoder table (SPEC.md §9.1). The decoders live in
// <format>.go; each turns a body into a JSON-typed tree (map[string]any,
// []any, string, int64, float64, json.Number, bool, nil) that JSONPath
// can walk.

// Decoder decodes a body into a tree. schema is the operation's compiled
// outputSchema (an HTML selector or a markdown heading), or nil.
type Decoder func(body []byte, schema *Schema) (any, error)

// Schema is the compiled outputSchema of an operation.
type Schema struct {
	// sel scopes the tables of an html response; nil means every table.
	sel *selector
	// heading scopes a markdown response; "" means the whole document.
	heading string
}

// CompileSchema compiles the outputSchema src of an operation whose
// outputRawFormat is format (lower case): a CSS selector for html, a
// heading for markdown. Other formats have no schema (nil, nil). The
// error of an invalid selector says what is wrong where.
func CompileSchema(format, src string) (*Schema, error) {
	switch format {
	case "html":
		sel, err := compileSelector(src)
		if err != nil {
			return nil, err
		}
		return &Schema{sel: sel}, nil
	case "markdown":
		return &Schema{heading: src}, nil
	}
	return nil, nil
}

// For returns the decoder of a format (lower case); ok is false for a
// format naftiko cannot decode (avro, protobuf, anything unknown).
func For(format string) (Decoder, bool) {
	switch format {
	case "", "json":
		return func(b []byte, _ *Schema) (any, error) { return JSON(b) }, true
	case "xml":
		return func(b []byte, _ *Schema) (any, error) { return decodeXML(b) }, true
	case "yaml":
		return func(b []byte, _ *Schema) (any, error) { return decodeYAML(b) }, true
	case "csv":
		return func(b []byte, _ *Schema) (any, error) { return decodeDelimited(b, ',') }, true
	case "tsv":
		return func(b []byte, _ *Schema) (any, error) { return decodeDelimited(b, '\t') }, true
	case "psv":
		return func(b []byte, _ *Schema) (any, error) { return decodeDelimited(b, '|') }, true
	case "html":
		return func(b []byte, s *Schema) (any, error) {
			var sel *selector
			if s != nil {
				sel = s.sel
			}
			return decodeHTML(b, sel)
		}, true
	case "markdown":
		return func(b []byte, s *Schema) (any, error) {
			h := ""
			if s != nil {
				h = s.heading
			}
			return decodeMarkdown(b, h)
		}, true
	case "text":
		return func(b []byte, _ *Schema) (any, error) { return decodeText(b), nil }, true
	case "binary":
		return func(b []byte, _ *Schema) (any, error) { return base64.StdEncoding.EncodeToString(b), nil }, true
	}
	return nil, false
}

// decodeText returns the body as a string, invalid UTF-8 replaced.
func decodeText(body []byte) string {
	if !utf8.Valid(body) {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return string(body)
}

// JSON decodes a JSON body with numbers kept exact (SPEC.md §9.1), a
// leading byte order mark skipped. Bodies whose numbers all have at most
// 15 digits take ojg's single-pass parser, which yields int64 and float64
// exactly as jsonv.Number would; others take encoding/json with exact
// numbers, normalised by jsonv.Number.
func JSON(body []byte) (any, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if !longNumber(body) {
		var p oj.Parser
		if v, err := p.Parse(body); err == nil {
			return v, nil
		}
	}
	var v any
	if err := jsonv.Decode(body, &v); err != nil {
		return nil, err
	}
	return jsonv.Normalize(v), nil
}

// longNumber reports whether body may hold a number of more than 15
// digits (a run of digits, '.', 'e', '+' or '-' with more than 15 digits).
func longNumber(body []byte) bool {
	n := 0
	for _, c := range body {
		switch {
		case c >= '0' && c <= '9':
			n++
			if n > 15 {
				return true
			}
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
		default:
			n = 0
		}
	}
	return false
}

// typedScalar converts text taken from a document (XML text, a CSV cell, an
// HTML or markdown table cell) into a number or a boolean when that is
// lossless, else returns it unchanged (SPEC.md §9.1, typed scalars).
func typedScalar(s string) any {
	if s == "" {
		return s
	}
	switch s {
	case "true":
		return true
	case "false":
		return false
	}
	c := s[0]
	if !(c >= '0' && c <= '9' || c == '-') {
		return s
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if strconv.FormatInt(n, 10) == s {
			return n
		}
		return s
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '-' || c == '.') {
			return s // exponents, signs in the middle, anything else
		}
	}
	switch v := jsonv.Number(s).(type) {
	case float64:
		if t, err := jsonv.Render(v); err == nil && t == s {
			return v
		}
	}
	return s
}

// headerNames makes table headers usable as object keys: an empty header
// becomes column_N (N counted from 1) and a repeated one gets _2, _3…
// tableHeader returns the field names of a table's header row (SPEC.md
// §9.1); ok is false when every header is blank, which drops the table.
func tableHeader(raw []string) (names []string, ok bool) {
	for _, h := range raw {
		if h != "" {
			return headerNames(raw), true
		}
	}
	return nil, false
}

func headerNames(raw []string) []string {
	out := make([]string, len(raw))
	seen := make(map[string]bool, len(raw))
	for i, h := range raw {
		if h == "" {
			h = "column_" + strconv.Itoa(i+1)
		}
		name := h
		for n := 2; seen[name]; n++ {
			name = h + "_" + strconv.Itoa(n)
		}
		seen[name] = true
		out[i] = name
	}
	return out
}

// rowObject builds a row object from cells: missing cells are "", extra
// cells are dropped, every cell typed.
func rowObject(header, cells []string) map[string]any {
	row := make(map[string]any, len(header))
	for i, h := range header {
		if i < len(cells) {
			row[h] = typedScalar(cells[i])
		} else {
			row[h] = ""
		}
	}
	return row
}
