package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/spec"
	"github.com/ohler55/ojg/oj"
)

// result decodes a 2xx answer and applies the output parameters.
func (e *Engine) result(pr *Prepared, status int, header http.Header, body []byte) (*Result, error) {
	res := &Result{Status: status, Header: header, Body: body}
	op := pr.plan.ref.Op
	var tree any
	if len(body) > 0 && status != http.StatusNoContent && status != http.StatusResetContent && pr.Method != http.MethodHead {
		t, err := e.decode(pr, op.OutputRawFormat, header.Get("Content-Type"), body)
		if err != nil {
			return nil, err
		}
		tree = t
	}
	if len(op.OutputParameters) == 0 {
		res.Value = tree
		return res, nil
	}
	res.Outputs = make(map[string]any, len(op.OutputParameters))
	warn := func(msg string) { e.logger.Warn(msg, "operation", pr.ref) }
	for i, o := range op.OutputParameters {
		name := o.Name
		if name == "" {
			name = "output" + strconv.Itoa(i+1)
		}
		res.Outputs[name] = applyOutput(o, tree, warn)
	}
	if len(op.OutputParameters) == 1 {
		for _, v := range res.Outputs {
			res.Value = v
		}
	} else {
		res.Value = res.Outputs
	}
	return res, nil
}

// applyOutput evaluates one consumed output parameter against the tree.
// A declared type the value does not fit is reported through warn.
func applyOutput(o *spec.Output, tree any, warn func(msg string)) any {
	var v any
	switch {
	case o.Path != nil:
		v = o.Path.Get(tree)
	case o.Const != nil:
		v = constValue(o.Const)
	default:
		v = tree
	}
	out, ok := coerce(o.Type, v)
	if !ok && warn != nil {
		warn(fmt.Sprintf("output %s is declared %s but the response gives %s; the value is kept as it is", o.Name, strings.ToLower(o.Type), kindOf(v)))
	}
	return out
}

// kindOf names the JSON kind of a tree value.
func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a number"
}

func constValue(d *spec.Data) any {
	switch d.Kind {
	case spec.DataString:
		return d.Text
	case spec.DataNumber:
		return numberOf(d.Text)
	case spec.DataBool:
		return strings.EqualFold(d.Text, "true")
	case spec.DataMap:
		m := make(map[string]any, len(d.Keys))
		for i, k := range d.Keys {
			m[k] = constValue(d.Vals[i])
		}
		return m
	case spec.DataList:
		l := make([]any, len(d.Items))
		for i, it := range d.Items {
			l[i] = constValue(it)
		}
		return l
	}
	return nil
}

// coerce applies an advisory output type (SPEC.md §9.4): lossless scalar
// conversions only, a single value wrapped where an array is declared. ok
// is false when an object or array is declared and the value is not one,
// or a scalar is declared and the value is an object or array: the value
// is then returned unchanged (type never makes a call fail).
func coerce(typ string, v any) (out any, ok bool) {
	if v == nil {
		return nil, true
	}
	_, isMap := v.(map[string]any)
	_, isList := v.([]any)
	switch typ = strings.ToLower(typ); typ {
	case "string":
		switch x := v.(type) {
		case int64, float64, json.Number, bool:
			s, _ := renderScalar(x)
			return s, true
		}
	case "integer", "number":
		if s, isStr := v.(string); isStr {
			n := numberOf(s)
			if t, _ := renderScalar(n); t == s {
				_, isInt := n.(int64)
				_, isFloat := n.(float64)
				if isInt || isFloat && typ == "number" {
					return n, true
				}
			}
		}
	case "boolean":
		if s, isStr := v.(string); isStr && (s == "true" || s == "false") {
			return s == "true", true
		}
	case "array":
		if !isList {
			return []any{v}, true
		}
		return v, true
	case "object":
		return v, isMap
	default:
		return v, true
	}
	return v, !isMap && !isList
}

// numberOf converts number text: int64 when integral and in range, else
// float64 when it has at most 15 significant digits, else json.Number
// (exact text kept). Text that is not a number is returned unchanged.
func numberOf(s string) any {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return s
	}
	if sigDigits(s) <= 15 {
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 && !strings.ContainsAny(s, ".eE") {
			return int64(f)
		}
		return f
	}
	return json.Number(s)
}

func sigDigits(s string) int {
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	n, started := 0, false
	trailing := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		if c == '0' && !started {
			continue
		}
		started = true
		n++
		if c == '0' {
			trailing++
		} else {
			trailing = 0
		}
	}
	if !strings.Contains(s, ".") {
		n -= trailing
	}
	return n
}

// normalize replaces json.Number leaves by int64, float64 or (for numbers
// that would lose precision) the json.Number itself, in place.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		return numberOf(string(x))
	case map[string]any:
		for k, it := range x {
			switch it.(type) {
			case json.Number, map[string]any, []any:
				x[k] = normalize(it)
			}
		}
	case []any:
		for i, it := range x {
			switch it.(type) {
			case json.Number, map[string]any, []any:
				x[i] = normalize(it)
			}
		}
	}
	return v
}

// decodeJSONBody decodes a JSON body. Bodies whose numbers all have at
// most 15 digits take ojg's single-pass parser, which yields int64 and
// float64 exactly as numberOf would; others take encoding/json with exact
// numbers, normalised by numberOf.
func decodeJSONBody(body []byte) (any, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if !longNumber(body) {
		var p oj.Parser
		if v, err := p.Parse(body); err == nil {
			return v, nil
		}
	}
	var v any
	if err := decodeJSON(body, &v); err != nil {
		return nil, err
	}
	return normalize(v), nil
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

func (e *Engine) undecodable(tried []string, contentType string, body []byte, cause error) error {
	ct := contentType
	if ct == "" {
		ct = "none"
	}
	excerpt := body
	if len(excerpt) > 200 {
		excerpt = excerpt[:200]
	}
	ex := strings.ToValidUTF8(string(excerpt), "\uFFFD")
	return &spec.Error{Kind: spec.KindOutput, Err: cause,
		Msg: fmt.Sprintf("the response body is not valid %s (Content-Type: %s): %s; it begins %s",
			strings.Join(tried, " or "), ct, jsonErr(cause), strconv.Quote(e.red.Redact(ex))),
		Hint: "-o raw prints the body as received"}
}

// upstreamError builds the error for a non-2xx answer, its body decoded by
// Content-Type (SPEC.md §9.5).
func (e *Engine) upstreamError(pr *Prepared, status int, header http.Header, body []byte) error {
	se := &spec.Error{Kind: spec.KindUpstream, Status: status, Header: header, Raw: body}
	se.Msg = fmt.Sprintf("upstream answered %d %s", status, http.StatusText(status))
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	var tree any
	decoded := false
	if len(body) > 0 {
		switch contentFormat(header.Get("Content-Type")) {
		case "xml":
			if v, err := decodeXML(body); err == nil {
				tree, decoded = v, true
			}
		case "yaml":
			if v, err := decodeYAML(body); err == nil {
				tree, decoded = v, true
			}
		}
	}
	if decoded {
		se.Body = tree
	} else if len(body) > 0 {
		if v, err := decodeJSONBody(body); err == nil {
			se.Body = v
		} else if mt == "" || strings.HasPrefix(mt, "text/") || strings.Contains(mt, "json") || strings.Contains(mt, "xml") || strings.Contains(mt, "yaml") {
			const quoteMax = 64 << 10
			txt := body
			if len(txt) > quoteMax {
				txt = txt[:quoteMax]
			}
			se.Body = e.red.Redact(strings.ToValidUTF8(string(txt), "\uFFFD"))
		}
	}
	if (status == http.StatusUnauthorized || status == http.StatusForbidden) && pr.noAuth && !e.callerAuth(pr) {
		se.Hint = e.noAuthHint(pr)
	}
	return se
}

// callerAuth reports whether the caller supplied credentials by hand.
func (e *Engine) callerAuth(pr *Prepared) bool {
	for _, h := range e.headers {
		if h.name == "Authorization" && !h.remove {
			return true
		}
	}
	return pr.plan.hasAuthHdr
}

func (e *Engine) noAuthHint(pr *Prepared) string {
	ns := pr.plan.ref.Adapter.Namespace
	var b strings.Builder
	fmt.Fprintf(&b, "namespace %s has no authentication block, so no credentials were sent.", ns)
	vars := e.binds.Variables()
	if len(vars) == 0 {
		b.WriteString("\nRetry with -H 'Authorization: Bearer …', or add an authentication block to the consumes entry.")
		return b.String()
	}
	names := make([]string, 0, len(vars))
	for _, v := range vars {
		names = append(names, fmt.Sprintf("%s (namespace %q)", v.Name, v.Namespace))
	}
	first := vars[0].Name
	fmt.Fprintf(&b, " The capability binds %s.\n", strings.Join(names, ", "))
	fmt.Fprintf(&b, "Retry with -H 'Authorization: Bearer {{%s}}', or add\n", first)
	fmt.Fprintf(&b, "authentication: {type: bearer, token: '{{%s}}'} to the consumes entry.", first)
	return b.String()
}
