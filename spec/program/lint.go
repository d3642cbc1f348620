package program

import "github.com/naftiko/naftiko/spec"

// Lint runs the lint rules of SPEC.md §3 over a capability and its
// compiled program: the `with` rules (with-unknown-target,
// required-not-supplied) check against the inputs the engine and the
// servers execute (Op.Inputs), so that validate and serve never disagree
// about what resolves.
func Lint(c *spec.Capability) []spec.Diagnostic {
	return Compile(c).Lint()
}

// Lint runs the lint rules over the program's capability.
func (p *Program) Lint() []spec.Diagnostic {
	return spec.LintWith(p.Cap, func(r spec.OpRef) (names, required []string) {
		op := p.Lookup(&r)
		if op == nil {
			return nil, nil
		}
		for _, in := range op.Inputs {
			names = append(names, in.Name)
			if in.Required {
				required = append(required, in.Name)
			}
		}
		return names, required
	})
}
