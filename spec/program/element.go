package program

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// Element is an exposed element compiled once (SPEC.md §11, §12): an MCP
// tool or dynamic resource, a REST operation, an aggregate function
// reached through `call` or `ref`. Its `ref` is merged with its
// function, its `call` and call steps are resolved to program operations,
// and its `with` values, lookups, mappings and outputs are compiled. Every
// adapter executes this one form.
type Element struct {
	Name        string
	Description string
	// NS is the namespace of the adapter serving the element: NS.x, like
	// tools.x and rest.x, names the input x.
	NS string
	// Inputs are the declared inputs: the element's own, else its
	// function's.
	Inputs []*spec.ExposedParam
	// Behavior is what runs: the element's own, or its function's.
	Behavior *spec.Behavior
	// Outputs shape the result: the element's own, else its function's.
	Outputs []*Output
	// Restrictive is set when Outputs are orchestrated {name, type}
	// declarations that restrict the result to those names.
	Restrictive bool
	// Target is the consumed operation of a `call`; With its compiled
	// values and Pass the inputs it passes through (see CompileCall).
	Target *Op
	With   []*With
	Pass   []string
	// Function is the aggregate function a `call` names; FunctionErr is
	// set instead when it cannot run (reported when the element runs).
	Function    *Element
	FunctionErr error
	// Steps and Mappings are the compiled orchestration (SPEC.md §12).
	Steps    []*Step
	Mappings []*Mapping
	// Generated is set for an MCP tool generated from a consumed
	// operation: its arguments pass to Target unchanged.
	Generated bool
}

// Step is one compiled orchestration step.
type Step struct {
	*spec.Step
	// Target is the operation of a call step; With its compiled values
	// and Pass the inputs it passes through (see CompileCall).
	Target *Op
	With   []*With
	Pass   []string
	// Lookup is the compiled lookupValue of a lookup step: a JSONPath over
	// the finished steps, a $this form or a template; nil when absent.
	Lookup *Value
}

// Mapping is one compiled entry of an orchestration's `mappings`.
type Mapping struct {
	// Target is the target name split at dots (nested objects).
	Target []string
	// Value is what it receives: a JSONPath over the finished steps or a
	// $this form; nil is null.
	Value *Value
	Pos   spec.Pos
}

// Output is a compiled output parameter of an exposed element.
type Output struct {
	*spec.Output
	// Tmpl is the compiled template of a non-literal `value`; nil
	// otherwise.
	Tmpl *Value
	// Props and Item are the compiled Properties and Items.
	Props []*Output
	Item  *Output
}

// MaxCallDepth bounds aggregate functions calling functions.
const MaxCallDepth = 16

// CompileElement compiles an exposed element named name, served by the
// adapter of namespace ns. A `ref` is merged with its function: the
// element's own description, inputs and outputs override the function's.
// It fails with the element's first element error, or when its call or a
// call step cannot be resolved; such an element is never served.
func (p *Program) CompileElement(name, desc, ns string, inputs []*spec.ExposedParam, b *spec.Behavior) (*Element, error) {
	if len(b.Errors) > 0 {
		return nil, DiagError(b.Errors[0])
	}
	el := &Element{Name: name, Description: desc, NS: ns, Inputs: inputs, Behavior: b}
	outs := b.OutputParameters
	if b.Ref != "" {
		f := b.Function
		if f == nil {
			return nil, spec.Errorf(spec.KindSpec, "`ref: %s` is unresolved", b.Ref)
		}
		if len(f.Errors) > 0 {
			return nil, DiagError(f.Errors[0])
		}
		if el.Description == "" {
			el.Description = f.Description
		}
		if len(el.Inputs) == 0 {
			el.Inputs = f.InputParameters
		}
		if len(outs) == 0 {
			outs = f.OutputParameters
		}
		el.Behavior = &f.Behavior
		if el.Name == "" {
			el.Name = f.Name
		}
	}
	if err := p.compileElement(el, outs, 0); err != nil {
		return nil, err
	}
	return el, nil
}

// GeneratedElement is the MCP tool generated from a consumed operation
// (SPEC.md §11.3): its arguments pass to the operation unchanged.
func GeneratedElement(name string, op *Op) *Element {
	return &Element{Name: name, Description: op.Description, Target: op, Generated: true,
		Behavior: &spec.Behavior{Call: op.Ref}}
}

// functionElement compiles an aggregate function reached through `call`.
func (p *Program) functionElement(f *spec.Function, ns string, depth int) (*Element, error) {
	if len(f.Errors) > 0 {
		return nil, DiagError(f.Errors[0])
	}
	if depth >= MaxCallDepth {
		return nil, spec.Errorf(spec.KindSpec, "function `%s`: calls nest more than %d deep (a call cycle?)", f.Name, MaxCallDepth)
	}
	el := &Element{Name: f.Name, Description: f.Description, NS: ns, Inputs: f.InputParameters, Behavior: &f.Behavior}
	if err := p.compileElement(el, f.OutputParameters, depth+1); err != nil {
		return nil, err
	}
	return el, nil
}

// compileElement resolves the element's call and call steps to program
// operations and compiles its `with` values, lookups, mappings and
// outputs.
func (p *Program) compileElement(el *Element, outs []*spec.Output, depth int) error {
	b := el.Behavior
	if b.Target != nil {
		op, err := p.Operation(b.Target)
		if err != nil {
			return err
		}
		el.Target = op
		el.With, el.Pass = p.CompileCall(b.With, op, Scope{Own: el.NS})
	} else if b.Call != "" && b.CallFunction != nil {
		// An error of the function is the call's, reported when it runs.
		el.Function, el.FunctionErr = p.functionElement(b.CallFunction, el.NS, depth)
	}
	sc := Scope{Own: el.NS}
	if b.Call == "" && b.Ref == "" && len(b.Steps) > 0 {
		var err error
		if sc, err = p.compileSteps(el); err != nil {
			return err
		}
	}
	el.Outputs = p.compileOutputs(outs, sc)
	el.Restrictive = len(el.Steps) > 0 && restrictive(outs)
	return nil
}

// compileSteps compiles an orchestration: each step sees the steps
// before it; mappings and outputs see them all (the returned scope).
func (p *Program) compileSteps(el *Element) (Scope, error) {
	b := el.Behavior
	sc := Scope{Own: el.NS, Orchestrated: true}
	el.Steps = make([]*Step, len(b.Steps))
	for i, st := range b.Steps {
		cs := &Step{Step: st}
		switch {
		case st.LookupPath != nil:
			cs.Lookup = &Value{Kind: ValuePath, Path: st.LookupPath}
		case st.LookupThis != "":
			cs.Lookup = p.This(st.LookupThis, sc)
		case st.LookupTmpl != nil:
			cs.Lookup = p.CompileTemplate(st.LookupTmpl, sc)
		}
		el.Steps[i] = cs
		if st.Type == "call" {
			if st.Target == nil {
				return sc, spec.Errorf(spec.KindSpec, "step `%s`: `call: %s` is unresolved", st.Name, st.Call)
			}
			op, err := p.Operation(st.Target)
			if err != nil {
				return sc, err
			}
			cs.Target = op
			cs.With, cs.Pass = p.CompileCall(st.With, op, sc)
		}
		sc.Steps = append(sc.Steps, st.Name)
	}
	el.Mappings = make([]*Mapping, len(b.Mappings))
	for i, m := range b.Mappings {
		cm := &Mapping{Target: strings.Split(m.TargetName, "."), Pos: m.Pos}
		switch {
		case m.Path != nil:
			cm.Value = &Value{Kind: ValuePath, Path: m.Path}
		case m.This != "":
			cm.Value = p.This(m.This, sc)
		}
		el.Mappings[i] = cm
	}
	return sc, nil
}

// CompileCall compiles the `with` map of a call to target (SPEC.md
// §11.2): the entries naming an input of target, compiled in scope sc,
// and the inputs of target that `with` does not mention, which the
// caller's same-named inputs feed. The other entries are ignored (lint's
// with-unknown-target reports them: SplitWith decides for both).
func (p *Program) CompileCall(with []*spec.WithValue, target *Op, sc Scope) (ws []*With, pass []string) {
	known, _, pass := target.SplitWith(with)
	for _, w := range known {
		ws = append(ws, &With{Name: w.Name, Value: p.CompileValue(w.Value, sc), Pos: w.Pos})
	}
	return ws, pass
}

// SplitWith splits the `with` entries of a call to o into those naming an
// input of o (known) and the others (unknown), and lists the inputs of o
// that no entry mentions (pass), in declaration order.
func (o *Op) SplitWith(with []*spec.WithValue) (known, unknown []*spec.WithValue, pass []string) {
	for _, w := range with {
		if _, ok := o.inputs[w.Name]; ok {
			known = append(known, w)
		} else {
			unknown = append(unknown, w)
		}
	}
	for _, in := range o.Inputs {
		mentioned := false
		for _, w := range with {
			if w.Name == in.Name {
				mentioned = true
				break
			}
		}
		if !mentioned {
			pass = append(pass, in.Name)
		}
	}
	return known, unknown, pass
}

// compileOutputs compiles output parameters; their templates see the
// inputs, the bound variables and, in an orchestration, every step.
func (p *Program) compileOutputs(outs []*spec.Output, sc Scope) []*Output {
	if outs == nil {
		return nil
	}
	res := make([]*Output, len(outs))
	for i, o := range outs {
		res[i] = p.compileOutput(o, sc)
	}
	return res
}

func (p *Program) compileOutput(o *spec.Output, sc Scope) *Output {
	co := &Output{Output: o, Props: p.compileOutputs(o.Properties, sc)}
	if o.Template != nil && !o.Template.IsLiteral() {
		co.Tmpl = p.CompileTemplate(o.Template, sc)
	}
	if o.Items != nil {
		co.Item = p.compileOutput(o.Items, sc)
	}
	return co
}

// restrictive reports whether outputs are orchestrated {name, type}
// declarations that restrict the result to those names.
func restrictive(outs []*spec.Output) bool {
	if len(outs) == 0 {
		return false
	}
	for _, o := range outs {
		if o.Name == "" || !declarative(o) {
			return false
		}
	}
	return true
}

// declarative reports whether an output only declares a shape: no
// mapping, value or const in it or in its properties and items (beta5
// writes `crew: {type: array, items: {fullName: {type: string}}}`).
func declarative(o *spec.Output) bool {
	if o.Path != nil || o.Template != nil || o.Const != nil {
		return false
	}
	for _, p := range o.Properties {
		if !declarative(p) {
			return false
		}
	}
	return o.Items == nil || declarative(o.Items)
}

// Operation returns the program operation a resolved reference designates;
// a shadowed one is the error resolving its full reference gives.
func (p *Program) Operation(r *spec.OpRef) (*Op, error) {
	op := p.Lookup(r)
	if op == nil || op.Shadowed() {
		_, err := p.Resolve(r.FullRef())
		if err == nil {
			err = spec.Errorf(spec.KindSpec, "operation %s.%s.%s cannot be called", r.Adapter.Namespace, r.Resource.Name, r.Op.Name)
		}
		return nil, err
	}
	return op, nil
}

// DiagError turns an element error into a spec error.
func DiagError(d spec.Diagnostic) *spec.Error {
	msg := d.Message
	if !d.Pos.IsZero() {
		msg += " (" + d.Pos.String() + ")"
	}
	return &spec.Error{Kind: spec.KindSpec, Pos: d.Pos, Msg: msg, Hint: d.Hint}
}
