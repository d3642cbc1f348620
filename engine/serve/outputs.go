package serve

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/naftiko/naftiko/spec"
)

// object is a JSON object that keeps its keys in declaration order.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// MarshalJSON writes the object with its keys in order, without HTML
// escaping.
func (o *object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// applyOutputs shapes a result with exposed output parameters (SPEC.md
// §9.3): none → the value itself; one → its value; several → an object
// keyed by name, in order.
func (inv *invocation) applyOutputs(outs []*spec.Output, tree any) (any, error) {
	switch len(outs) {
	case 0:
		return tree, nil
	case 1:
		return inv.output(outs[0], tree)
	}
	o := &object{vals: make(map[string]any, len(outs))}
	for _, out := range outs {
		v, err := inv.output(out, tree)
		if err != nil {
			return nil, err
		}
		o.set(out.Name, v)
	}
	return o, nil
}

// output evaluates one output against node.
func (inv *invocation) output(o *spec.Output, node any) (any, error) {
	var v any
	switch {
	case o.Template != nil:
		if o.Template.IsLiteral() {
			v = o.Template.Src
		} else {
			x, _, err := inv.template(o.Template)
			if err != nil {
				return nil, err
			}
			v = x
		}
	case o.Path != nil:
		v = o.Path.Get(node)
	case o.Const != nil:
		v = constValue(o.Const)
	default:
		v = node
	}
	switch {
	case len(o.Properties) > 0:
		obj := &object{vals: make(map[string]any, len(o.Properties))}
		for _, p := range o.Properties {
			pv, err := inv.output(p, v)
			if err != nil {
				return nil, err
			}
			obj.set(p.Name, pv)
		}
		return obj, nil
	case o.Items != nil:
		var list []any
		switch x := v.(type) {
		case []any:
			list = x
		case nil:
			return nil, nil
		default:
			list = []any{x}
		}
		out := make([]any, len(list))
		for i, e := range list {
			ev, err := inv.output(o.Items, e)
			if err != nil {
				return nil, err
			}
			out[i] = ev
		}
		return out, nil
	}
	if s, ok := v.(string); ok && o.MaxLength > 0 && utf8.RuneCountInString(s) > o.MaxLength {
		v = string([]rune(s)[:o.MaxLength])
	}
	return coerce(o.Type, v), nil
}

// constValue converts constant data to a JSON-like value.
func constValue(d *spec.Data) any {
	switch d.Kind {
	case spec.DataString:
		return d.Text
	case spec.DataNumber:
		return numberValue(d.Text)
	case spec.DataBool:
		return d.Text == "true"
	case spec.DataMap:
		o := &object{vals: make(map[string]any, len(d.Keys))}
		for i, k := range d.Keys {
			o.set(k, constValue(d.Vals[i]))
		}
		return o
	case spec.DataList:
		l := make([]any, len(d.Items))
		for i, it := range d.Items {
			l[i] = constValue(it)
		}
		return l
	}
	return nil
}

// coerce converts scalars to the declared type only when lossless, and
// wraps a single value where an array is declared (SPEC.md §9.4).
func coerce(typ string, v any) any {
	switch typ {
	case "string":
		switch x := v.(type) {
		case int64, float64, bool, json.Number, int:
			return renderText(x)
		}
	case "integer", "number":
		if s, ok := v.(string); ok {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && strconv.FormatInt(n, 10) == s {
				return n
			}
			if typ == "number" {
				if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) &&
					strconv.FormatFloat(f, 'f', -1, 64) == s {
					return f
				}
			}
		}
	case "boolean":
		switch v {
		case "true":
			return true
		case "false":
			return false
		}
	case "array":
		switch v.(type) {
		case nil, []any:
		default:
			return []any{v}
		}
	}
	return v
}
