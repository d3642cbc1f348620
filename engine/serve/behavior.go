package serve

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
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
	// target is the consumed operation of a call.
	target *engine.Operation
	// with are the compiled `with` values of the call.
	with []*program.With
	// function is the aggregate function a `call` names (functionErr when
	// it cannot run).
	function    *element
	functionErr error
	// generated elements pass their arguments to the call unchanged.
	generated bool
	// stepTargets are the operations of call steps, stepWith their
	// compiled `with` values, lookupThis the compiled $this of lookup
	// steps, by step index; mappingThis the $this of mappings.
	stepTargets []*engine.Operation
	stepWith    [][]*program.With
	lookupThis  []*program.Value
	mappingThis []*program.Value
}

// outcome is the result of running an element.
type outcome struct {
	// status is the upstream's 2xx status (200 for mocks and steps).
	status int
	value  any
	// noBody is set for an upstream 204 (and 205).
	noBody bool
	// parts is a binary or multipart answer passed through (see
	// binaryParts); value is then unset.
	parts []part
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
func (inv *invocation) prefixed(p string) bool { return inv.s.prog.Names.ElementPrefix(p, inv.el.ns) }

// run executes the element.
func (inv *invocation) run() (*outcome, error) {
	b := inv.el.beh
	switch {
	case inv.el.generated:
		return inv.call()
	case b.Call != "" && (b.Target != nil || b.CallFunction != nil):
		if b.CallFunction != nil && b.Target == nil {
			return inv.runFunction()
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
func (inv *invocation) runFunction() (*outcome, error) {
	if inv.el.functionErr != nil {
		return nil, inv.el.functionErr
	}
	ctx, end := inv.s.startSpan(inv.ctx, "function.call", attrFunction.String(inv.el.beh.Call))
	sub := &invocation{s: inv.s, ctx: ctx, el: inv.el.function, args: inv.args, implicit: inv.implicit}
	out, err := sub.run()
	end(err)
	return out, err
}

// call runs one consumed call with the `with` values (SPEC.md §11.2).
func (inv *invocation) call() (*outcome, error) {
	el := inv.el
	var params map[string]any
	var err error
	if el.generated {
		params = inv.args
	} else {
		params, err = inv.withParams(el.with, el.target)
		if err != nil {
			return nil, err
		}
	}
	res, err := inv.s.eng.CallOp(inv.ctx, el.target, params)
	if err != nil {
		return nil, err
	}
	out := &outcome{status: res.Status}
	if res.Status == http.StatusNoContent || res.Status == http.StatusResetContent {
		out.noBody = true
		return out, nil
	}
	if out.parts = binaryParts(el, res); out.parts != nil {
		return out, nil
	}
	out.value, err = inv.applyOutputs(el.outputs, inv.s.callResult(res))
	return out, err
}

// callResult is what an exposed element or a step sees of a consumed
// call: its result (SPEC.md §9.3); in an ikanos document, the decoded
// response itself, since there consumed outputParameters describe the
// operation for `naftiko run` and the reference engine never applies them
// to what the exposed side shapes (the tutorial's step 11 declares
// `imo-number: $.imo_number` on the list of ships).
func (s *Server) callResult(res *engine.Result) any {
	if s.cap.Root == "ikanos" {
		return res.Tree
	}
	return res.Value
}

// withParams evaluates `with` against the invocation and adds the inputs
// whose name equals a target parameter that `with` does not mention.
// Keys the target does not have are ignored.
func (inv *invocation) withParams(with []*program.With, target *engine.Operation) (map[string]any, error) {
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
		v, ok, err := inv.value(w.Value)
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

// value evaluates a compiled `with` value (or one leaf of a structured
// one). ok is false when the value is absent and the key must not be set.
func (inv *invocation) value(v *program.Value) (any, bool, error) {
	switch v.Kind {
	case program.ValueAbsent:
		return nil, false, nil
	case program.ValueLiteral:
		return v.Lit, true, nil
	case program.ValueNumber:
		return jsonv.Number(v.Lit.(string)), true, nil
	case program.ValueMap:
		m := make(map[string]any, len(v.Keys))
		for i, k := range v.Keys {
			x, ok, err := inv.value(v.Vals[i])
			if err != nil {
				return nil, false, err
			}
			if ok {
				m[k] = x
			}
		}
		return m, true, nil
	case program.ValueList:
		l := make([]any, 0, len(v.Vals))
		for _, it := range v.Vals {
			x, ok, err := inv.value(it)
			if err != nil {
				return nil, false, err
			}
			if ok {
				l = append(l, x)
			}
		}
		return l, true, nil
	case program.ValueTemplate:
		return inv.template(v.Tmpl)
	case program.ValueInput:
		x, ok := inv.input(v.Name)
		return x, ok, nil
	case program.ValueVar:
		bv, err := inv.s.binds.NSVar(inv.ctx, v.Prefix, v.Name)
		if err != nil {
			return nil, false, err
		}
		return bv.Reveal(), true, nil
	case program.ValueStep:
		x := navigate(inv.steps[v.Prefix], v.Name)
		return x, x != nil, nil
	case program.ValuePath:
		x := v.Path.Get(inv.steps)
		return x, x != nil, nil
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
		if _, ok := inv.steps[pre]; ok {
			v := navigate(inv.steps[pre], rest)
			return v, v != nil, nil
		}
		if inv.s.prog.Names.BindNamespace(pre) {
			bv, err := inv.s.binds.NSVar(inv.ctx, pre, rest)
			if err != nil {
				return nil, false, err
			}
			return bv.Reveal(), true, nil
		}
	}
	if inv.s.prog.Names.Bound(name) {
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
			params, err := inv.withParams(inv.el.stepWith[i], target)
			if err != nil {
				return nil, err
			}
			ctx, end := inv.s.startSpan(inv.ctx, "step.call", attrStepIndex.Int(i), attrStepCall.String(st.Call), engine.AttrNamespace.String(ns))
			res, err := inv.s.eng.CallOp(ctx, target, params)
			end(err)
			inv.s.m.step("call", ns, time.Since(start))
			if err != nil {
				return nil, err
			}
			v = inv.s.callResult(res)
		case "lookup":
			var err error
			_, end := inv.s.startSpan(inv.ctx, "step.lookup", attrStepIndex.Int(i))
			v, err = inv.lookupStep(st, inv.el.lookupThis[i])
			end(err)
			inv.s.m.step("lookup", "", time.Since(start))
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
		for i, m := range b.Mappings {
			var v any
			switch {
			case m.Path != nil:
				v = m.Path.Get(stepContext(inv.steps))
			case inv.el.mappingThis[i] != nil:
				v, _, _ = inv.value(inv.el.mappingThis[i])
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
func (inv *invocation) lookupStep(st *spec.Step, this *program.Value) (any, error) {
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
	case this != nil:
		want, _, _ = inv.value(this)
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
