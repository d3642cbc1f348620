package program

import (
	"slices"

	"github.com/naftiko/naftiko/spec"
)

// exposed is one element of the document's exposes and aggregates: what
// lint reads, and what Element compiles for every adapter.
type exposed struct {
	// what names the element in diagnostics ("MCP tool `x`").
	what string
	// inputs are the names the element's caller can supply: its declared
	// inputs and the placeholders of its path or URI.
	inputs []string
	// name, desc, ns and params are CompileElement's arguments.
	name, desc, ns string
	params         []*spec.ExposedParam
	b              *spec.Behavior
	el             *Element
	err            error
}

// exposes returns the exposed elements in document order, listing them on
// the first call; lint needs no more.
func (p *Program) exposes() []*exposed {
	p.listOnce.Do(func() { p.listExposes(p.Cap) })
	return p.exposed
}

// listExposes lists every REST operation, MCP tool, dynamic MCP resource
// and aggregate function of the document, in document order.
func (p *Program) listExposes(c *spec.Capability) {
	p.byBehavior = map[*spec.Behavior]*exposed{}
	add := func(what, name, desc, ns string, params []*spec.ExposedParam, path string, b *spec.Behavior) {
		x := &exposed{what: what, inputs: append(paramNames(params), templateNames(path)...),
			name: name, desc: desc, ns: ns, params: params, b: b}
		p.exposed = append(p.exposed, x)
		p.byBehavior[b] = x
	}
	for _, x := range c.Exposes {
		switch x.Type {
		case "rest":
			for _, r := range x.Resources {
				for _, o := range r.Operations {
					full := spec.JoinPath(r.Path, o.Path)
					name := o.Name
					if name == "" {
						name = o.Method + " " + full
					}
					add("REST operation `"+name+"`", o.Name, o.Description, x.Namespace,
						mergeParams(x.InputParameters, r.InputParameters, o.InputParameters), full, &o.Behavior)
				}
			}
		case "mcp":
			for _, t := range x.Tools {
				add("MCP tool `"+t.Name+"`", t.Name, t.Description, x.Namespace, t.InputParameters, "", &t.Behavior)
				if op := p.Lookup(t.Behavior.Target); op != nil && TakesTargetInputs(t.InputParameters, &t.Behavior) {
					x := p.exposed[len(p.exposed)-1]
					x.inputs = append(x.inputs, op.InputNames...)
				}
			}
			for _, r := range x.MCPResources {
				if r.Location == "" {
					add("MCP resource `"+r.Name+"`", r.Name, r.Description, x.Namespace, nil, r.URI, &r.Behavior)
				}
			}
		}
	}
	for _, g := range c.Aggregates {
		for _, f := range g.Functions {
			add("aggregate function `"+f.Name+"`", f.Name, f.Description, g.Namespace, f.InputParameters, "", &f.Behavior)
		}
	}
}

// TakesTargetInputs reports whether an MCP tool whose declared inputs are
// params offers its call target's inputs as its own: a tool with neither
// `with` nor inputParameters (README, "MCP"). Serving builds the tool's
// input schema from them and lint counts them as supplied.
func TakesTargetInputs(params []*spec.ExposedParam, b *spec.Behavior) bool {
	return b.Target != nil && len(b.With) == 0 && len(params) == 0
}

// Element returns the compiled element whose behaviour is b (a REST
// operation's, an MCP tool's or dynamic resource's, an aggregate
// function's), or the error that keeps it from being served: its first
// element error, or a call or call step that cannot be resolved.
func (p *Program) Element(b *spec.Behavior) (*Element, error) {
	p.compileOnce.Do(func() {
		for _, x := range p.exposes() {
			x.el, x.err = p.CompileElement(x.name, x.desc, x.ns, x.params, x.b)
		}
	})
	x := p.byBehavior[b]
	if x == nil {
		return nil, spec.Errorf(spec.KindInternal, "the element is not part of the compiled capability")
	}
	return x.el, x.err
}

// mergeParams merges the inputs of a REST adapter, resource and operation:
// a later level replaces an input of the same name in place.
func mergeParams(levels ...[]*spec.ExposedParam) []*spec.ExposedParam {
	var out []*spec.ExposedParam
	for _, l := range levels {
		for _, q := range l {
			if i := slices.IndexFunc(out, func(o *spec.ExposedParam) bool { return o.Name == q.Name }); i >= 0 {
				out[i] = q
				continue
			}
			out = append(out, q)
		}
	}
	return out
}

// paramNames lists the names of exposed inputs.
func paramNames(ps []*spec.ExposedParam) []string {
	out := make([]string, 0, len(ps))
	for _, q := range ps {
		if q.Name != "" {
			out = append(out, q.Name)
		}
	}
	return out
}

// templateNames lists the placeholder names of a URL template (a REST
// path, an MCP resource URI).
func templateNames(s string) []string {
	t, _ := spec.ParseTemplate(s, spec.Pos{}, false, spec.URLTemplate)
	if t == nil {
		return nil
	}
	return t.Names()
}
