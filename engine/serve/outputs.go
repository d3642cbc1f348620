package serve

import (
	"unicode/utf8"

	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

// applyOutputs shapes a result with exposed output parameters (SPEC.md
// §9.3): none → the value itself; one → its value; several → an object
// keyed by name, in order.
func (inv *invocation) applyOutputs(outs []*program.Output, tree any) (any, error) {
	switch len(outs) {
	case 0:
		return tree, nil
	case 1:
		return inv.output(outs[0], tree)
	}
	o := &jsonv.Object{Keys: make([]string, 0, len(outs)), Vals: make([]any, 0, len(outs))}
	for _, out := range outs {
		v, err := inv.output(out, tree)
		if err != nil {
			return nil, err
		}
		o.Set(out.Name, v)
	}
	return o, nil
}

// output evaluates one output against node.
func (inv *invocation) output(o *program.Output, node any) (any, error) {
	var v any
	switch {
	case o.Tmpl != nil:
		x, _, err := inv.template(o.Tmpl)
		if err != nil {
			return nil, err
		}
		v = x
	case o.Template != nil:
		v = o.Template.Src
	case o.Path != nil:
		v = o.Path.Get(node)
	case o.Const != nil:
		v = jsonv.Const(o.Const, true)
	default:
		v = node
	}
	switch {
	case len(o.Props) > 0:
		obj := &jsonv.Object{Keys: make([]string, 0, len(o.Props)), Vals: make([]any, 0, len(o.Props))}
		for _, p := range o.Props {
			pv, err := inv.output(p, v)
			if err != nil {
				return nil, err
			}
			obj.Set(p.Name, pv)
		}
		return obj, nil
	case o.Item != nil:
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
			ev, err := inv.output(o.Item, e)
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
	v, _ = jsonv.Coerce(o.Type, v)
	return v, nil
}
