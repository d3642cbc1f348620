package serve

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

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

// run executes the element.
func (inv *invocation) run() (*outcome, error) {
	el := inv.el
	b := el.Behavior
	switch {
	case el.Generated || el.Target != nil:
		return inv.call()
	case b.Call != "" && b.CallFunction != nil:
		return inv.runFunction()
	case len(el.Steps) > 0:
		return inv.orchestrate()
	case b.Mode() == "mock":
		v, err := inv.applyOutputs(el.Outputs, nil)
		if err != nil {
			return nil, err
		}
		return &outcome{status: http.StatusOK, value: v}, nil
	}
	return nil, &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("`%s` has nothing to run", el.Name)}
}

// runFunction runs an aggregate function reached through `call`.
func (inv *invocation) runFunction() (*outcome, error) {
	if inv.el.FunctionErr != nil {
		return nil, inv.el.FunctionErr
	}
	ctx, end := inv.s.startSpan(inv.ctx, "function.call", attrFunction.String(inv.el.Behavior.Call))
	sub := &invocation{s: inv.s, ctx: ctx, el: inv.el.Function, args: inv.args, implicit: inv.implicit}
	out, err := sub.run()
	end(err)
	return out, err
}

// call runs one consumed call with the `with` values (SPEC.md §11.2).
func (inv *invocation) call() (*outcome, error) {
	el := inv.el
	var params map[string]any
	var err error
	if el.Generated {
		params = inv.args
	} else {
		params, err = inv.withParams(el.With, el.Pass)
		if err != nil {
			return nil, err
		}
	}
	res, err := inv.s.eng.CallOp(inv.ctx, el.Target, params)
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
	out.value, err = inv.applyOutputs(el.Outputs, inv.s.callResult(res))
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

// withParams evaluates the compiled `with` entries of a call against the
// invocation, then passes the caller's inputs named like a target input
// that `with` does not mention (program.CompileCall decided which).
func (inv *invocation) withParams(with []*program.With, pass []string) (map[string]any, error) {
	params := make(map[string]any, len(with)+len(pass))
	for _, w := range with {
		v, ok, err := inv.value(w.Value)
		if err != nil {
			return nil, err
		}
		if ok {
			params[w.Name] = v
		}
	}
	for _, name := range pass {
		if v, ok := inv.input(name); ok {
			params[name] = v
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
		return inv.template(v)
	case program.ValueInput:
		x, ok := inv.input(v.Name)
		return x, ok, nil
	case program.ValueVar:
		return inv.variable(v)
	case program.ValueStep:
		x := navigate(inv.steps[v.Prefix], v.Segs)
		return x, x != nil, nil
	case program.ValuePath:
		x := v.Path.Get(inv.steps)
		return x, x != nil, nil
	}
	return nil, false, nil
}

// variable reveals a bound variable: Prefix.Name, or Name when Prefix is
// "".
func (inv *invocation) variable(v *program.Value) (any, bool, error) {
	var bv binder.Value
	var err error
	if v.Prefix == "" {
		bv, err = inv.s.binds.Var(inv.ctx, v.Name)
	} else {
		bv, err = inv.s.binds.NSVar(inv.ctx, v.Prefix, v.Name)
	}
	if err != nil {
		return nil, false, err
	}
	return bv.Reveal(), true, nil
}

// navigate walks the segments of a dotted path into a JSON-like value.
func navigate(v any, segs []string) any {
	for _, seg := range segs {
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

// placeholder resolves one compiled placeholder: a caller input of its
// own name, else what the program classified it as.
func (inv *invocation) placeholder(sl *program.Slot) (any, bool, error) {
	if v, ok := inv.input(sl.Name); ok {
		return v, true, nil
	}
	if sl.Ref == nil {
		return nil, false, nil
	}
	return inv.value(sl.Ref)
}

// template renders a compiled template. A template that is exactly one
// placeholder keeps the value's type, and is absent when the value is;
// any other missing placeholder is a usage error.
func (inv *invocation) template(t *program.Value) (any, bool, error) {
	if len(t.Slots) == 1 && t.Slots[0].Name != "" {
		v, ok, err := inv.placeholder(&t.Slots[0])
		return v, ok && v != nil, err
	}
	var b strings.Builder
	for i := range t.Slots {
		sl := &t.Slots[i]
		if sl.Name == "" {
			b.WriteString(sl.Lit)
			continue
		}
		v, ok, err := inv.placeholder(sl)
		if err != nil {
			return nil, false, err
		}
		if !ok || v == nil {
			return nil, false, &spec.Error{Kind: spec.KindUsage, Pos: sl.Pos,
				Msg: fmt.Sprintf("`%s` is needed by the template %q but was not supplied", sl.Name, t.Tmpl.Src)}
		}
		b.WriteString(jsonv.Text(v))
	}
	return b.String(), true, nil
}

// ---------------------------------------------------------------------------
// Orchestration (SPEC.md §12).

func (inv *invocation) orchestrate() (*outcome, error) {
	el := inv.el
	inv.steps = make(map[string]any, len(el.Steps))
	var last any
	for i, st := range el.Steps {
		start := time.Now()
		var v any
		var err error
		switch st.Type {
		case "call":
			v, err = inv.callStep(i, st, start)
		case "lookup":
			_, end := inv.s.startSpan(inv.ctx, "step.lookup", attrStepIndex.Int(i))
			v, err = inv.lookupStep(st)
			end(err)
			inv.s.m.step("lookup", "", time.Since(start))
		default:
			err = &spec.Error{Kind: spec.KindSpec, Pos: st.Pos, Msg: fmt.Sprintf("step `%s` of type `%s` is not supported", st.Name, st.Type)}
		}
		if err != nil {
			return nil, err
		}
		inv.steps[st.Name] = v
		last = v
	}
	result := last
	if len(el.Mappings) > 0 {
		result = inv.mappings()
	}
	if el.Restrictive {
		return &outcome{status: http.StatusOK, value: restrict(el.Outputs, result)}, nil
	}
	if o, ok := result.(*jsonv.Object); ok && len(el.Outputs) > 0 {
		// Outputs navigate the mapped result with JSONPath.
		result = plainMaps(o)
	}
	v, err := inv.applyOutputs(el.Outputs, result)
	if err != nil {
		return nil, err
	}
	return &outcome{status: http.StatusOK, value: v}, nil
}

// callStep runs the call step i.
func (inv *invocation) callStep(i int, st *program.Step, start time.Time) (any, error) {
	ns := st.Target.Namespace
	params, err := inv.withParams(st.With, st.Pass)
	if err != nil {
		return nil, err
	}
	ctx, end := inv.s.startSpan(inv.ctx, "step.call", attrStepIndex.Int(i), attrStepCall.String(st.Call), engine.AttrNamespace.String(ns))
	res, err := inv.s.eng.CallOp(ctx, st.Target, params)
	end(err)
	inv.s.m.step("call", ns, time.Since(start))
	if err != nil {
		return nil, err
	}
	return inv.s.callResult(res), nil
}

// mappings builds the result of an orchestration from its mappings, in
// declaration order (a dotted target creates nested objects, SPEC.md
// §12.3).
func (inv *invocation) mappings() *jsonv.Object {
	n := len(inv.el.Mappings)
	obj := &jsonv.Object{Keys: make([]string, 0, n), Vals: make([]any, 0, n)}
	for _, m := range inv.el.Mappings {
		var v any
		if m.Value != nil {
			v, _, _ = inv.value(m.Value)
		}
		setDotted(obj, m.Target, v)
	}
	return obj
}

// setDotted sets obj[a][b]… = v for the target a.b…, keeping the order in
// which keys first appear.
func setDotted(obj *jsonv.Object, path []string, v any) {
	for _, p := range path[:len(path)-1] {
		x, _ := obj.Get(p)
		next, ok := x.(*jsonv.Object)
		if !ok {
			next = &jsonv.Object{}
			obj.Set(p, next)
		}
		obj = next
	}
	obj.Set(path[len(path)-1], v)
}

// plainMaps turns ordered objects into maps, for JSONPath.
func plainMaps(v any) any {
	switch x := v.(type) {
	case *jsonv.Object:
		m := make(map[string]any, len(x.Keys))
		for i, k := range x.Keys {
			m[k] = plainMaps(x.Vals[i])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainMaps(e)
		}
		return out
	}
	return v
}

// restrict keeps the declared names of an orchestrated result, in the
// order the outputs declare them, each coerced to its declared type.
func restrict(outs []*program.Output, result any) *jsonv.Object {
	o := &jsonv.Object{Keys: make([]string, 0, len(outs)), Vals: make([]any, 0, len(outs))}
	for _, out := range outs {
		c, _ := jsonv.Coerce(out.Type, declaredOrder(out, field(result, out.Name)))
		o.Set(out.Name, c)
	}
	return o
}

// declaredOrder puts the members of an object in the order its declared
// properties give (members not declared follow, in their own order), and
// does the same for the elements of a list whose items declare
// properties; values are otherwise unchanged.
func declaredOrder(out *program.Output, v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(out.Props) == 0 {
			return v
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = x[k]
		}
		return orderedObject(out.Props, keys, vals)
	case *jsonv.Object:
		if len(out.Props) == 0 {
			return v
		}
		return orderedObject(out.Props, x.Keys, x.Vals)
	case []any:
		if out.Item == nil || len(out.Item.Props) == 0 {
			return v
		}
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = declaredOrder(out.Item, e)
		}
		return l
	}
	return v
}

// orderedObject builds the object of keys and vals (distinct keys) with
// the declared properties first, in declaration order; each member is
// placed once, in time linear in the number of members.
func orderedObject(props []*program.Output, keys []string, vals []any) *jsonv.Object {
	o := &jsonv.Object{Keys: make([]string, 0, len(keys)), Vals: make([]any, 0, len(keys))}
	at := make(map[string]int, len(keys))
	for i, k := range keys {
		at[k] = i
	}
	placed := make([]bool, len(keys))
	for _, p := range props {
		if i, ok := at[p.Name]; ok && !placed[i] {
			placed[i] = true
			o.Keys = append(o.Keys, p.Name)
			o.Vals = append(o.Vals, declaredOrder(p, vals[i]))
		}
	}
	for i, k := range keys {
		if !placed[i] {
			o.Keys = append(o.Keys, k)
			o.Vals = append(o.Vals, vals[i])
		}
	}
	return o
}

// field returns the member name of an object (a map or an ordered
// object); nil otherwise.
func field(v any, name string) any {
	switch x := v.(type) {
	case map[string]any:
		return x[name]
	case *jsonv.Object:
		f, _ := x.Get(name)
		return f
	}
	return nil
}

// lookupStep runs a lookup step (SPEC.md §12.1).
func (inv *invocation) lookupStep(st *program.Step) (any, error) {
	var table []any
	switch x := inv.steps[st.Index].(type) {
	case []any:
		table = x
	case nil:
	default:
		table = []any{x}
	}
	var want any
	if st.Lookup != nil {
		v, _, err := inv.value(st.Lookup)
		if err != nil && st.Lookup.Kind == program.ValueTemplate {
			return nil, err
		}
		want = v
	}
	if want == nil {
		return nil, nil
	}
	// Each row's key is rendered once; the first row with a key wins.
	rows := make(map[string]map[string]any, len(table))
	for _, row := range table {
		if m, ok := row.(map[string]any); ok {
			if f, ok := m[st.Match]; ok {
				key := jsonv.Text(f)
				if _, seen := rows[key]; !seen {
					rows[key] = m
				}
			}
		}
	}
	find := func(w any) any {
		m, ok := rows[jsonv.Text(w)]
		if !ok {
			return nil
		}
		out := make(map[string]any, len(st.Fields))
		for _, name := range st.Fields {
			out[name] = m[name]
		}
		return out
	}
	if list, ok := want.([]any); ok {
		res := make([]any, len(list))
		for i, w := range list {
			res[i] = find(w)
		}
		return res, nil
	}
	return find(want), nil
}
