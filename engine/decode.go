package engine

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// This file chooses the decoder of a response body (SPEC.md §9.1): the
// operation's outputRawFormat, unless a Content-Type naming another data
// format contradicts it. The decoders live in decode_<format>.go; each
// turns a body into a JSON-typed tree (map[string]any, []any, string,
// int64, float64, json.Number, bool, nil) that JSONPath can walk.

// decoder decodes a body into a tree. schema is the operation's compiled
// outputSchema (an HTML selector or a markdown heading), or nil.
type decoder func(body []byte, schema *outputSchema) (any, error)

// outputSchema is the compiled outputSchema of an operation.
type outputSchema struct {
	// sel scopes the tables of an html response; nil means every table.
	sel *selector
	// heading scopes a markdown response; "" means the whole document.
	heading string
}

// decoderFor returns the decoder of a format; ok is false for a format
// naftiko cannot decode (avro, protobuf, anything unknown).
func decoderFor(format string) (decoder, bool) {
	switch format {
	case "", "json":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeJSONTree(b) }, true
	case "xml":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeXML(b) }, true
	case "yaml":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeYAML(b) }, true
	case "csv":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeDelimited(b, ',') }, true
	case "tsv":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeDelimited(b, '\t') }, true
	case "psv":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeDelimited(b, '|') }, true
	case "html":
		return func(b []byte, s *outputSchema) (any, error) {
			var sel *selector
			if s != nil {
				sel = s.sel
			}
			return decodeHTML(b, sel)
		}, true
	case "markdown":
		return func(b []byte, s *outputSchema) (any, error) {
			h := ""
			if s != nil {
				h = s.heading
			}
			return decodeMarkdown(b, h)
		}, true
	case "text":
		return func(b []byte, _ *outputSchema) (any, error) { return decodeText(b), nil }, true
	case "binary":
		return func(b []byte, _ *outputSchema) (any, error) { return base64.StdEncoding.EncodeToString(b), nil }, true
	}
	return nil, false
}

// contentFormat returns the data format a Content-Type names (the one
// format table, spec.Formats).
func contentFormat(ct string) string { return spec.ContentFormat(ct) }

// contradicts reports whether a Content-Type format contradicts the
// declared format (SPEC.md §9.1, Content-Type agreement).
func contradicts(ctFormat, format string) bool {
	if ctFormat == "" || ctFormat == format || format == "text" || format == "binary" {
		return false
	}
	if (ctFormat == "csv" || ctFormat == "tsv") && (format == "csv" || format == "tsv" || format == "psv") {
		return false
	}
	return true
}

// decode turns a response body into a JSON-like tree (SPEC.md §9.1).
func (e *Engine) decode(pr *Prepared, format, contentType string, body []byte) (any, error) {
	if format == "" {
		format = "json"
	}
	if format == "json" && contentType != "" && contentType[0] == 'a' && strings.HasPrefix(contentType, "application/json") {
		// The hot path: JSON declared and labelled.
		v, err := decodeJSONTree(body)
		if err == nil {
			return v, nil
		}
		return nil, e.undecodable([]string{"json"}, contentType, body, err)
	}
	format = strings.ToLower(format)
	dec, ok := decoderFor(format)
	if !ok {
		return nil, &spec.Error{Kind: spec.KindOutput,
			Msg:  "outputRawFormat `" + format + "` is not supported by this version of naftiko",
			Hint: "use -o raw to get the body as received"}
	}
	var schema *outputSchema
	if pr != nil && pr.plan != nil {
		schema = pr.plan.schema
	}
	ref := ""
	if pr != nil {
		ref = pr.ref
	}
	ctf := contentFormat(contentType)
	if contradicts(ctf, format) {
		e.logger.Warn("the response Content-Type contradicts outputRawFormat; decoding the body as "+ctf,
			"operation", ref, "content_type", contentType, "outputRawFormat", format)
		cdec, _ := decoderFor(ctf)
		v, err := cdec(body, schema)
		if err == nil {
			return v, nil
		}
		e.logger.Warn("the response body is not valid "+ctf+"; decoding it as "+format+" as outputRawFormat says",
			"operation", ref, "content_type", contentType, "error", e.red.Redact(err.Error()))
		v, err2 := dec(body, schema)
		if err2 == nil {
			return v, nil
		}
		return nil, e.undecodable([]string{ctf, format}, contentType, body, err2)
	}
	if format == "text" && !utf8.Valid(body) {
		e.logger.Warn("the response body is not valid UTF-8; invalid bytes are replaced by U+FFFD", "operation", ref)
	}
	v, err := dec(body, schema)
	if err != nil {
		return nil, e.undecodable([]string{format}, contentType, body, err)
	}
	return v, nil
}

// decodeText returns the body as a string, invalid UTF-8 replaced.
func decodeText(body []byte) string {
	if !utf8.Valid(body) {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return string(body)
}

// decodeJSONTree decodes a JSON body with numbers kept exact (SPEC.md
// §9.1).
func decodeJSONTree(body []byte) (any, error) { return decodeJSONBody(body) }

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
