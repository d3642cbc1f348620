package serve

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/engine/internal/jsonv"
	"github.com/naftiko/naftiko/spec"
)

// element is an exposed element ready to run: a REST operation, an MCP
// tool or dynamic resource, with a `ref` already merged with its function.
type element struct {
	name        string
	description string
	// ns is the namespace of the adapter serving the element: `ns.x`
	// references name inputs, like `tools.x` and `rest.x`.
	ns string
	// inputs are the declared inputs (the element's own, else the
	// function's).
	inputs []*spec.ExposedParam
	// beh is what runs: the element's own behaviour, or the function's.
	beh *spec.Behavior
	// outputs shape the result: the element's own, else the function's.
	outputs []*spec.Output
	// target is the consumed operation of a call, resolved by the engine.
	target *engine.Operation
	// ref is the unambiguous reference the engine is called with.
	ref string
	// generated elements pass their arguments to the call unchanged.
	generated bool
	// stepTargets are the engine operations of call steps, by step index.
	stepTargets []*engine.Operation
	stepRefs    []string
}

// outcome is the result of running an element.
type outcome struct {
	// status is the upstream's 2xx status (200 for mocks and steps).
	status int
	value  any
	// noBody is set for an upstream 204 (and 205).
	noBody bool
}

// invocation is one run of an element.
type invocation struct {
	s   *Server
	ctx context.Context
	el  *element
	// args are the caller's inputs by name (tool arguments, REST inputs).
	args map[string]any
	// implicit looks up inputs the element does not declare (REST path,
	// query and body fields); nil for MCP.
	implicit func(name string) (any, bool)
	// steps holds the results of finished steps, by name.
	steps map[string]any
}

// errUsage builds a usage error.
func errUsage(format string, args ...any) *spec.Error {
	return &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf(format, args...)}
}

// input returns the caller's value of name: a declared input, else an
// implicit one.
func (inv *invocation) input(name string) (any, bool) {
	if v, ok := inv.args[name]; ok && v != nil {
		return v, true
	}
	if inv.implicit != nil {
		return inv.implicit(name)
	}
	return nil, false
}

// prefixed reports whether P is a prefix naming this element's inputs:
// tools, rest or the adapter's namespace.
func (inv *invocation) prefixed(p string) bool {
	return p == "tools" || p == "rest" || (p == inv.el.ns && p != "")
}

// run executes the element.
func (inv *invocation) run() (*outcome, error) {
	b := inv.el.beh
	switch {
	case inv.el.generated:
		return inv.call()
	case b.Call != "" && (b.Target != nil || b.CallFunction != nil):
		if b.CallFunction != nil && b.Target == nil {
			return inv.runFunction(b.CallFunction)
		}
		return inv.call()
	case len(b.Steps) > 0:
		return inv.orchestrate()
	case b.Mode() == "mock":
		v, err := inv.applyOutputs(inv.el.outputs, nil)
		if err != nil {
			return nil, err
		}
		return &outcome{status: http.StatusOK, value: v}, nil
	}
	return nil, &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("`%s` has nothing to run", inv.el.name)}
}

// runFunction runs an aggregate function reached through `call`.
func (inv *invocation) runFunction(f *spec.Function) (*outcome, error) {
	el, err := inv.s.functionElement(f, inv.el.ns)
	if err != nil {
		return nil, err
	}
	sub := &invocation{s: inv.s, ctx: inv.ctx, el: el, args: inv.args, implicit: inv.implicit}
	return sub.run()
}

// call runs one consumed call with the `with` values (SPEC.md §11.2).
func (inv *invocation) call() (*outcome, error) {
	el := inv.el
	var params map[string]any
	var err error
	if el.generated {
		params = inv.args
	} else {
		params, err = inv.withParams(inv.el.beh.With, el.target)
		if err != nil {
			return nil, err
		}
	}
	res, err := inv.s.eng.Call(inv.ctx, el.ref, params)
	if err != nil {
		return nil, err
	}
	out := &outcome{status: res.Status}
	if res.Status == http.StatusNoContent || res.Status == http.StatusResetContent {
		out.noBody = true
		return out, nil
	}
	out.value, err = inv.applyOutputs(el.outputs, res.Value)
	return out, err
}

// withParams evaluates `with` against the invocation and adds the inputs
// whose name equals a target parameter that `with` does not mention.
// Keys the target does not have are ignored.
func (inv *invocation) withParams(with []*spec.WithValue, target *engine.Operation) (map[string]any, error) {
	params := map[string]any{}
	known := map[string]bool{}
	if target != nil {
		for _, in := range target.Inputs {
			known[in.Name] = true
		}
	}
	mentioned := map[string]bool{}
	for _, w := range with {
		mentioned[w.Name] = true
		if target != nil && !known[w.Name] {
			continue
		}
		v, ok, err := inv.dataValue(w.Value)
		if err != nil {
			return nil, err
		}
		if ok {
			params[w.Name] = v
		}
	}
	if target != nil {
		for _, in := range target.Inputs {
			if mentioned[in.Name] {
				continue
			}
			if v, ok := inv.input(in.Name); ok {
				params[in.Name] = v
			}
		}
	}
	return params, nil
}

// dataValue evaluates a `with` value (or one leaf of a structured one).
// ok is false when the value is absent and the key must not be set.
func (inv *invocation) dataValue(d *spec.Data) (any, bool, error) {
	switch d.Kind {
	case spec.DataNull:
		return nil, false, nil
	case spec.DataBool:
		return d.Text == "true", true, nil
	case spec.DataNumber:
		return jsonv.Number(d.Text), true, nil
	case spec.DataMap:
		m := make(map[string]any, len(d.Keys))
		for i, k := range d.Keys {
			v, ok, err := inv.dataValue(d.Vals[i])
			if err != nil {
				return nil, false, err
			}
			if ok {
				m[k] = v
			}
		}
		return m, true, nil
	case spec.DataList:
		l := make([]any, 0, len(d.Items))
		for _, it := range d.Items {
			v, ok, err := inv.dataValue(it)
			if err != nil {
				return nil, false, err
			}
			if ok {
				l = append(l, v)
			}
		}
		return l, true, nil
	}
	return inv.stringValue(d.Text, d.Tmpl)
}

// stringValue evaluates a string `with` value: a template, a reference
// (tools.x, rest.x, NAMESPACE.x, $this.X.Y, $.step.path, env.VAR) or a
// literal.
func (inv *invocation) stringValue(text string, t *spec.Template) (any, bool, error) {
	if t != nil && !t.IsLiteral() {
		return inv.template(t)
	}
	s := strings.TrimSpace(text)
	if rest, ok := strings.CutPrefix(s, "$this."); ok {
		return inv.this(rest)
	}
	if strings.HasPrefix(s, "$.") && inv.steps != nil {
		p, err := spec.CompilePath(s, spec.Pos{})
		if err == nil {
			v := p.Get(inv.steps)
			return v, v != nil, nil
		}
	}
	if pre, name, ok := strings.Cut(s, "."); ok && name != "" && !strings.ContainsAny(s, " /:") {
		switch {
		case inv.prefixed(pre):
			v, ok := inv.input(name)
			return v, ok, nil
		case pre == "env" || pre == "$env":
			bv, err := inv.s.binds.NSVar(inv.ctx, "env", name)
			if err != nil {
				return nil, false, err
			}
			return bv.Reveal(), true, nil
		case inv.steps != nil && inv.hasStep(pre):
			v := navigate(inv.steps[pre], name)
			return v, v != nil, nil
		}
	}
	return text, true, nil
}

func (inv *invocation) hasStep(name string) bool {
	_, ok := inv.steps[name]
	return ok
}

// this resolves $this.X.Y (SPEC.md §12.2): a step's result, a caller
// input, or a bound variable.
func (inv *invocation) this(ref string) (any, bool, error) {
	x, y, _ := strings.Cut(ref, ".")
	switch {
	case inv.steps != nil && inv.hasStep(x):
		v := navigate(inv.steps[x], y)
		return v, v != nil, nil
	case inv.prefixed(x):
		v, ok := inv.input(y)
		return v, ok, nil
	case x == "env" || inv.s.binds.HasNamespace(x):
		bv, err := inv.s.binds.NSVar(inv.ctx, x, y)
		if err != nil {
			return nil, false, err
		}
		return bv.Reveal(), true, nil
	}
	return nil, false, nil
}

// navigate walks a dotted path into a JSON-like value.
func navigate(v any, path string) any {
	if path == "" {
		return v
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case *jsonv.Object:
			v, _ = x.Get(seg)
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// lookup resolves a template placeholder: an input, a prefixed input, a
// step result, a namespaced bound variable, a bound variable.
func (inv *invocation) lookup(name string) (any, bool, error) {
	if v, ok := inv.input(name); ok {
		return v, true, nil
	}
	if pre, rest, ok := strings.Cut(name, "."); ok {
		if inv.prefixed(pre) {
			v, ok := inv.input(rest)
			return v, ok, nil
		}
		if inv.steps != nil && inv.hasStep(pre) {
			v := navigate(inv.steps[pre], rest)
			return v, v != nil, nil
		}
		if pre == "env" || inv.s.binds.HasNamespace(pre) {
			bv, err := inv.s.binds.NSVar(inv.ctx, pre, rest)
			if err != nil {
				return nil, false, err
			}
			return bv.Reveal(), true, nil
		}
	}
	if inv.s.binds.Has(name) {
		bv, err := inv.s.binds.Var(inv.ctx, name)
		if err != nil {
			return nil, false, err
		}
		return bv.Reveal(), true, nil
	}
	return nil, false, nil
}

// template renders t. A template that is exactly one placeholder keeps the
// value's type, and is absent when the value is; any other missing
// placeholder is a usage error.
func (inv *invocation) template(t *spec.Template) (any, bool, error) {
	if p, whole := t.Whole(); whole {
		v, ok, err := inv.lookup(p.Name)
		return v, ok && v != nil, err
	}
	s, err := t.String(func(p spec.Part) (string, error) {
		v, ok, err := inv.lookup(p.Name)
		if err != nil {
			return "", err
		}
		if !ok || v == nil {
			return "", &spec.Error{Kind: spec.KindUsage, Pos: p.Pos,
				Msg: fmt.Sprintf("`%s` is needed by the template %q but was not supplied", p.Name, t.Src)}
		}
		return jsonv.Text(v), nil
	})
	if err != nil {
		return nil, false, err
	}
	return s, true, nil
}

// ---------------------------------------------------------------------------
// Orchestration (SPEC.md §12).

func (inv *invocation) orchestrate() (*outcome, error) {
	b := inv.el.beh
	inv.steps = map[string]any{}
	var last any
	for i, st := range b.Steps {
		start := time.Now()
		ns := ""
		var v any
		switch st.Type {
		case "call":
			target := inv.el.stepTargets[i]
			ns = target.Namespace
			params, err := inv.withParams(st.With, target)
			if err != nil {
				return nil, err
			}
			res, err := inv.s.eng.Call(inv.ctx, inv.el.stepRefs[i], params)
			inv.s.m.stepDur.with("call", ns).observe(time.Since(start))
			if err != nil {
				return nil, err
			}
			v = res.Value
		case "lookup":
			var err error
			v, err = inv.lookupStep(st)
			inv.s.m.stepDur.with("lookup", "").observe(time.Since(start))
			if err != nil {
				return nil, err
			}
		default:
			return nil, &spec.Error{Kind: spec.KindSpec, Pos: st.Pos, Msg: fmt.Sprintf("step `%s` of type `%s` is not supported", st.Name, st.Type)}
		}
		inv.steps[st.Name] = v
		last = v
	}
	result := last
	if len(b.Mappings) > 0 {
		obj := map[string]any{}
		for _, m := range b.Mappings {
			var v any
			switch {
			case m.Path != nil:
				v = m.Path.Get(stepContext(inv.steps))
			case m.This != "":
				v, _, _ = inv.this(m.This)
			}
			setDotted(obj, m.TargetName, v)
		}
		result = obj
	}
	outs := inv.el.outputs
	if restrictive(outs) {
		o := &jsonv.Object{}
		src, _ := result.(map[string]any)
		for _, out := range outs {
			var v any
			if src != nil {
				v = src[out.Name]
			}
			c, _ := jsonv.Coerce(out.Type, v)
			o.Set(out.Name, c)
		}
		return &outcome{status: http.StatusOK, value: o}, nil
	}
	v, err := inv.applyOutputs(outs, result)
	if err != nil {
		return nil, err
	}
	return &outcome{status: http.StatusOK, value: v}, nil
}

// stepContext is the object JSONPath mappings navigate: {step: result}.
func stepContext(steps map[string]any) any {
	m := make(map[string]any, len(steps))
	for k, v := range steps {
		m[k] = v
	}
	return m
}

// restrictive reports whether outputs are orchestrated {name, type}
// declarations that restrict the result to those names.
func restrictive(outs []*spec.Output) bool {
	if len(outs) == 0 {
		return false
	}
	for _, o := range outs {
		if o.Name == "" || o.Path != nil || o.Template != nil || o.Const != nil || o.Properties != nil || o.Items != nil {
			return false
		}
	}
	return true
}

// setDotted sets obj[a][b]… = v for the target name "a.b…".
func setDotted(obj map[string]any, name string, v any) {
	parts := strings.Split(name, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := obj[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[p] = next
		}
		obj = next
	}
	obj[parts[len(parts)-1]] = v
}

// lookupStep runs a lookup step (SPEC.md §12.1).
func (inv *invocation) lookupStep(st *spec.Step) (any, error) {
	var table []any
	switch x := inv.steps[st.Index].(type) {
	case []any:
		table = x
	case nil:
	default:
		table = []any{x}
	}
	var want any
	switch {
	case st.LookupPath != nil:
		want = st.LookupPath.Get(stepContext(inv.steps))
	case st.LookupThis != "":
		want, _, _ = inv.this(st.LookupThis)
	case st.LookupTmpl != nil:
		v, _, err := inv.template(st.LookupTmpl)
		if err != nil {
			return nil, err
		}
		want = v
	}
	find := func(w any) any {
		key := jsonv.Text(w)
		for _, row := range table {
			m, ok := row.(map[string]any)
			if !ok {
				continue
			}
			if f, ok := m[st.Match]; ok && jsonv.Text(f) == key {
				out := map[string]any{}
				for _, name := range st.Fields {
					out[name] = m[name]
				}
				return out
			}
		}
		return nil
	}
	if list, ok := want.([]any); ok {
		res := make([]any, len(list))
		for i, w := range list {
			res[i] = find(w)
		}
		return res, nil
	}
	if want == nil {
		return nil, nil
	}
	return find(want), nil
}
