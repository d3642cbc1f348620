package program

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// ValueKind is what a compiled `with` value (or one of its leaves) reads.
type ValueKind int

// The kinds of compiled values (SPEC.md §11.2, §12.2).
const (
	// ValueAbsent is a null: the key is not set.
	ValueAbsent ValueKind = iota
	// ValueLiteral is Lit as is (a string, a bool or a jsonv number text).
	ValueLiteral
	// ValueNumber is the number whose text is Lit.
	ValueNumber
	// ValueTemplate renders Tmpl.
	ValueTemplate
	// ValueInput is the caller input Name (tools.x, rest.x, NAMESPACE.x).
	ValueInput
	// ValueVar is the bound variable Prefix.Name (env.VAR, $this.NS.VAR),
	// or the bound variable Name when Prefix is "".
	ValueVar
	// ValueStep is the result of the finished step Prefix, navigated along
	// the dotted Name (split once into Segs).
	ValueStep
	// ValuePath is the JSONPath Path over the finished steps.
	ValuePath
	// ValueMap and ValueList are structured values of compiled leaves.
	ValueMap
	ValueList
)

// Value is a `with` value compiled once: which source a request reads is
// decided here, not per request.
type Value struct {
	Kind   ValueKind
	Lit    any
	Tmpl   *spec.Template
	Path   *spec.Path
	Prefix string
	Name   string
	// Segs is Name split at dots (ValueStep).
	Segs []string
	Keys []string
	Vals []*Value
	// Slots are the parts of Tmpl with their placeholders classified
	// (ValueTemplate).
	Slots []Slot
}

// Slot is one part of a compiled template: literal text, or a placeholder
// whose meaning was decided at compile time.
type Slot struct {
	// Lit is the literal text when Name is "".
	Lit string
	// Name is the placeholder as written. A caller input of that very name
	// wins over Ref (SPEC.md §11.2).
	Name string
	// Ref is what the name designates otherwise: a prefixed input
	// (ValueInput), a finished step (ValueStep) or a bound variable
	// (ValueVar); nil when it designates nothing else.
	Ref *Value
	Pos spec.Pos
}

// With is one compiled `with` entry.
type With struct {
	Name  string
	Value *Value
	Pos   spec.Pos
}

// Scope is what a `with` value can name besides inputs and bound
// variables: own is the namespace whose prefix names inputs; steps are the
// names of the steps finished when the value is read (nil outside an
// orchestration).
type Scope struct {
	Own   string
	Steps []string
	// Orchestrated is set inside steps and mappings: $.step paths apply.
	Orchestrated bool
}

func (sc Scope) hasStep(name string) bool {
	for _, s := range sc.Steps {
		if s == name {
			return true
		}
	}
	return false
}

// CompileWith compiles the entries of a `with` map.
func (p *Program) CompileWith(with []*spec.WithValue, sc Scope) []*With {
	out := make([]*With, len(with))
	for i, w := range with {
		out[i] = &With{Name: w.Name, Value: p.CompileValue(w.Value, sc), Pos: w.Pos}
	}
	return out
}

// CompileValue compiles one `with` value.
func (p *Program) CompileValue(d *spec.Data, sc Scope) *Value {
	if d == nil {
		return &Value{Kind: ValueAbsent}
	}
	switch d.Kind {
	case spec.DataNull:
		return &Value{Kind: ValueAbsent}
	case spec.DataBool:
		return &Value{Kind: ValueLiteral, Lit: d.Text == "true"}
	case spec.DataNumber:
		return &Value{Kind: ValueNumber, Lit: d.Text}
	case spec.DataMap:
		v := &Value{Kind: ValueMap, Keys: d.Keys, Vals: make([]*Value, len(d.Vals))}
		for i, x := range d.Vals {
			v.Vals[i] = p.CompileValue(x, sc)
		}
		return v
	case spec.DataList:
		v := &Value{Kind: ValueList, Vals: make([]*Value, len(d.Items))}
		for i, x := range d.Items {
			v.Vals[i] = p.CompileValue(x, sc)
		}
		return v
	}
	return p.compileString(d.Text, d.Tmpl, sc)
}

// compileString classifies a string value: a template, a reference
// (tools.x, rest.x, NAMESPACE.x, $this.X.Y, $.step.path, env.VAR, step.x)
// or a literal.
func (p *Program) compileString(text string, t *spec.Template, sc Scope) *Value {
	if t != nil && !t.IsLiteral() {
		return p.CompileTemplate(t, sc)
	}
	s := strings.TrimSpace(text)
	if rest, ok := strings.CutPrefix(s, "$this."); ok {
		return p.This(rest, sc)
	}
	if strings.HasPrefix(s, "$.") && sc.Orchestrated {
		if path, err := spec.CompilePath(s, spec.Pos{}); err == nil {
			return &Value{Kind: ValuePath, Path: path}
		}
	}
	if pre, name, ok := strings.Cut(s, "."); ok && name != "" && !strings.ContainsAny(s, " /:") {
		switch {
		case p.Names.ElementPrefix(pre, sc.Own):
			return &Value{Kind: ValueInput, Name: name}
		case pre == "env" || pre == "$env":
			return &Value{Kind: ValueVar, Prefix: "env", Name: name}
		case sc.Orchestrated && sc.hasStep(pre):
			return stepValue(pre, name)
		}
	}
	return &Value{Kind: ValueLiteral, Lit: text}
}

// This compiles $this.X.Y (without "$this."), SPEC.md §12.2: a finished
// step's result, a caller input, or a bound variable; absent otherwise.
func (p *Program) This(ref string, sc Scope) *Value {
	x, y, _ := strings.Cut(ref, ".")
	switch {
	case sc.Orchestrated && sc.hasStep(x):
		return stepValue(x, y)
	case p.Names.ElementPrefix(x, sc.Own):
		return &Value{Kind: ValueInput, Name: y}
	case p.Names.BindNamespace(x):
		return &Value{Kind: ValueVar, Prefix: x, Name: y}
	}
	return &Value{Kind: ValueAbsent}
}

// stepValue reads the result of step, navigated along the dotted path.
func stepValue(step, path string) *Value {
	v := &Value{Kind: ValueStep, Prefix: step, Name: path}
	if path != "" {
		v.Segs = strings.Split(path, ".")
	}
	return v
}

// CompileTemplate compiles a template of an exposed element: each
// placeholder is classified once (SPEC.md §5.2, §11.2, §12.2) as a
// prefixed input (tools.x, rest.x, NAMESPACE.x), a finished step's result
// (step.path), a namespaced bound variable (env.VAR, BINDNS.VAR) or a bound
// variable; a caller input of the placeholder's own name wins over each.
func (p *Program) CompileTemplate(t *spec.Template, sc Scope) *Value {
	v := &Value{Kind: ValueTemplate, Tmpl: t, Slots: make([]Slot, len(t.Parts))}
	for i, part := range t.Parts {
		v.Slots[i] = Slot{Lit: part.Lit, Name: part.Name, Pos: part.Pos}
		if part.Name != "" {
			v.Slots[i].Ref = p.placeholder(part.Name, sc)
		}
	}
	return v
}

// placeholder classifies a placeholder name of an exposed element.
func (p *Program) placeholder(name string, sc Scope) *Value {
	if pre, rest, ok := strings.Cut(name, "."); ok {
		switch {
		case p.Names.ElementPrefix(pre, sc.Own):
			return &Value{Kind: ValueInput, Name: rest}
		case sc.hasStep(pre):
			return stepValue(pre, rest)
		case p.Names.BindNamespace(pre):
			return &Value{Kind: ValueVar, Prefix: pre, Name: rest}
		}
	}
	if p.Names.Bound(name) {
		return &Value{Kind: ValueVar, Name: name}
	}
	return nil
}
