package engine

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/engine/decode"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// result decodes a 2xx answer and applies the output parameters.
func (e *Engine) result(pr *Prepared, status int, header http.Header, body []byte) (*Result, error) {
	res := &Result{Status: status, Header: header, Body: body}
	op := pr.plan.Source.Op
	var tree any
	if len(body) > 0 && status != http.StatusNoContent && status != http.StatusResetContent && pr.Method != http.MethodHead {
		t, err := e.decode(pr, op.OutputRawFormat, header.Get("Content-Type"), body)
		if err != nil {
			return nil, err
		}
		tree = t
	}
	res.Tree = tree
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
		v = jsonv.Const(o.Const, false)
	default:
		v = tree
	}
	out, ok := jsonv.Coerce(o.Type, v)
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
			strings.Join(tried, " or "), ct, jsonv.ErrText(cause), strconv.Quote(e.red.Redact(ex))),
		Remedy: spec.RemedyRaw}
}

// upstreamError builds the error for a non-2xx answer, its body decoded by
// Content-Type (SPEC.md §9.5).
func (e *Engine) upstreamError(pr *Prepared, status int, header http.Header, body []byte) error {
	se := &spec.Error{Kind: spec.KindUpstream, Status: status, Header: header, Raw: e.maskBody(body)}
	se.Msg = fmt.Sprintf("upstream answered %d %s", status, http.StatusText(status))
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	var tree any
	decoded := false
	if len(body) > 0 {
		switch f := contentFormat(header.Get("Content-Type")); f {
		case "xml", "yaml":
			dec, _ := decode.For(f)
			if v, err := dec(body, nil); err == nil {
				tree, decoded = v, true
			}
		}
	}
	if decoded {
		se.Body = e.maskTree(tree)
	} else if len(body) > 0 {
		if v, err := decode.JSON(body); err == nil {
			se.Body = e.maskTree(v)
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
	return pr.plan.HasAuthHeader
}

func (e *Engine) noAuthHint(pr *Prepared) string {
	ns := pr.plan.Source.Adapter.Namespace
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
