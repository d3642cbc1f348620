package program

import "github.com/naftiko/naftiko/spec"

// forwardName is the operation name of a namespace's forward operation,
// as its references and messages spell it.
const forwardName = "(forward)"

// compileForwards compiles, for every consumed adapter, the operation a
// REST forward (SPEC.md §11.2) sends through: the adapter's base URL,
// declared headers, computed inputParameters and authentication, with
// neither a path of its own nor caller inputs (the forwarded request
// supplies its method, path, query, headers and body).
func (p *Program) compileForwards(c *spec.Capability) {
	p.forwards = make(map[string]*Op, len(c.Consumes))
	for _, a := range c.Consumes {
		if a.Shadowed {
			continue
		}
		op := p.compileOp(spec.OpRef{Adapter: a, Resource: &spec.Resource{}, Op: &spec.Operation{Name: forwardName}})
		op.Ref, op.FullRef = a.Namespace+"."+forwardName, a.Namespace+"."+forwardName
		// What the caller accepts is forwarded; nothing is assumed.
		op.Accept = ""
		p.forwards[a.Namespace] = op
	}
}

// Forward returns the forward operation of the consumed namespace ns, or
// nil when the capability consumes no such namespace.
func (p *Program) Forward(ns string) *Op { return p.forwards[ns] }
