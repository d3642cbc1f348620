package program

import (
	"fmt"
	"slices"
	"strings"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// Lint runs the lint rules of SPEC.md §3 over a capability and its
// compiled program.
func Lint(c *spec.Capability) []spec.Diagnostic {
	return Compile(c).Lint()
}

// Lint runs the lint rules over the program: the rules of
// spec.LintDocument, and the rules about the calls of exposed
// elements (with-unknown-target, required-not-supplied), which check the
// `with` map of every call and call step against the inputs of the
// program operation it resolves to, split by the rule serving executes
// (Op.SplitWith), so that validate and serve never disagree about what
// resolves.
func (p *Program) Lint() []spec.Diagnostic {
	out := spec.LintDocument(p.Cap)
	out = append(out, p.lintCalls()...)
	spec.SortDiagnostics(out)
	return out
}

// lintCalls checks the calls of every exposed element: REST operations,
// MCP tools and resources, aggregate functions, and their call steps,
// with the inputs each element's caller can supply (listExposes).
func (p *Program) lintCalls() []spec.Diagnostic {
	var out []spec.Diagnostic
	for _, x := range p.exposes() {
		out = p.lintElement(out, x.what, x.inputs, x.b)
	}
	return out
}

// lintElement checks the call of an element and those of its call steps;
// inputs are the names the element's caller can supply.
func (p *Program) lintElement(out []spec.Diagnostic, what string, inputs []string, b *spec.Behavior) []spec.Diagnostic {
	if b.Target != nil {
		out = p.lintCall(out, what, inputs, b.Call, b.CallPos, b.Target, b.With)
	}
	for _, s := range b.Steps {
		if s.Target != nil {
			out = p.lintCall(out, fmt.Sprintf("step `%s` of %s", s.Name, what), inputs, s.Call, s.CallPos, s.Target, s.With)
		}
	}
	return out
}

// lintCall checks the `with` keys of a call against its target operation,
// and that every required input of the target is supplied.
func (p *Program) lintCall(out []spec.Diagnostic, what string, inputs []string, ref string, at spec.Pos, target *spec.OpRef, with []*spec.WithValue) []spec.Diagnostic {
	op := p.Lookup(target)
	if op == nil {
		return out
	}
	ref = strings.TrimSpace(ref)
	_, unknown, pass := op.SplitWith(with)
	for _, w := range unknown {
		hint := ""
		if s := vocab.Suggest(w.Name, op.InputNames); s != "" {
			hint = "did you mean `" + s + "`?"
		}
		out = append(out, spec.Diagnostic{Pos: w.Pos, Severity: spec.SeverityWarning, Rule: "with-unknown-target",
			Message: fmt.Sprintf("`with` key `%s` names no parameter of `%s`; it is ignored", w.Name, ref), Hint: hint})
	}
	var missing []string
	for _, in := range op.Inputs {
		// Not supplied: no `with` entry mentions it, and no input of the
		// element feeds it.
		if in.Required && slices.Contains(pass, in.Name) && !slices.Contains(inputs, in.Name) {
			missing = append(missing, in.Name)
		}
	}
	if len(missing) == 0 {
		return out
	}
	subject := "parameter `" + missing[0] + "`"
	if len(missing) > 1 {
		subject = "parameters `" + strings.Join(missing, "`, `") + "`"
	}
	return append(out, spec.Diagnostic{Pos: at, Severity: spec.SeverityWarning, Rule: "required-not-supplied",
		Message: fmt.Sprintf("required %s of `%s` supplied neither by `with` nor by an input of %s", subject, ref, what),
		Hint:    fmt.Sprintf("add `with: {%s: …}` or an input parameter `%s`", missing[0], missing[0])})
}
