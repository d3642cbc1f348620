package engine

import (
	"strings"
	"unicode/utf8"

	"github.com/naftiko/naftiko/engine/decode"
	"github.com/naftiko/naftiko/spec"
)

// This file chooses the decoder of a response body (SPEC.md §9.1): the
// operation's outputRawFormat, unless a Content-Type naming another data
// format contradicts it. The decoders live in engine/decode; each turns a
// body into a JSON-typed tree (map[string]any, []any, string, int64,
// float64, json.Number, bool, nil) that JSONPath can walk.

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
		v, err := decode.JSON(body)
		if err == nil {
			return v, nil
		}
		return nil, e.undecodable([]string{"json"}, contentType, body, err)
	}
	format = strings.ToLower(format)
	dec, ok := decode.For(format)
	if !ok {
		return nil, &spec.Error{Kind: spec.KindOutput,
			Msg:    "outputRawFormat `" + format + "` is not supported by this version of naftiko",
			Remedy: spec.RemedyRaw}
	}
	var schema *decode.Schema
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
		cdec, _ := decode.For(ctf)
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
