package serve

import (
	"fmt"
	"net/http"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

// elementFor prepares an exposed element for serving, once, when the
// server is built. A `ref` is merged with its function: the element's own
// description, inputs and outputs override the function's. Its call and
// call steps are resolved to operations of the program and its `with`
// values compiled. It fails with the element's first element error, or
// when its call cannot be resolved.
func (s *Server) elementFor(name, desc, ns string, inputs []*spec.ExposedParam, b *spec.Behavior) (*element, error) {
	if len(b.Errors) > 0 {
		return nil, diagError(b.Errors[0])
	}
	el := &element{name: name, description: desc, ns: ns, inputs: inputs, beh: b, outputs: b.OutputParameters}
	if b.Ref != "" {
		f := b.Function
		if f == nil {
			return nil, spec.Errorf(spec.KindSpec, "`ref: %s` is unresolved", b.Ref)
		}
		if len(f.Errors) > 0 {
			return nil, diagError(f.Errors[0])
		}
		if el.description == "" {
			el.description = f.Description
		}
		if len(el.inputs) == 0 {
			el.inputs = f.InputParameters
		}
		if len(el.outputs) == 0 {
			el.outputs = f.OutputParameters
		}
		el.beh = &f.Behavior
		if el.name == "" {
			el.name = f.Name
		}
	}
	if err := s.compileElement(el, 0); err != nil {
		return nil, err
	}
	return el, nil
}

// maxCallDepth bounds aggregate functions calling functions.
const maxCallDepth = 16

// functionElement prepares an aggregate function reached through `call`.
func (s *Server) functionElement(f *spec.Function, ns string, depth int) (*element, error) {
	if len(f.Errors) > 0 {
		return nil, diagError(f.Errors[0])
	}
	if depth >= maxCallDepth {
		return nil, spec.Errorf(spec.KindSpec, "function `%s`: calls nest more than %d deep (a call cycle?)", f.Name, maxCallDepth)
	}
	el := &element{name: f.Name, description: f.Description, ns: ns, inputs: f.InputParameters, beh: &f.Behavior,
		outputs: f.OutputParameters}
	if err := s.compileElement(el, depth+1); err != nil {
		return nil, err
	}
	return el, nil
}

// compileElement resolves the element's call and call steps to program
// operations and compiles its `with` values, lookups and mappings.
func (s *Server) compileElement(el *element, depth int) error {
	b := el.beh
	if b.Target != nil {
		op, err := s.operation(b.Target)
		if err != nil {
			return err
		}
		el.target = op
	} else if b.Call != "" && b.CallFunction != nil {
		// An error of the function is the call's, reported when it runs.
		el.function, el.functionErr = s.functionElement(b.CallFunction, el.ns, depth)
	}
	el.with = s.prog.CompileWith(b.With, program.Scope{Own: el.ns})
	if b.Call != "" || b.Ref != "" || len(b.Steps) == 0 {
		return nil
	}
	el.stepTargets = make([]*engine.Operation, len(b.Steps))
	el.stepWith = make([][]*program.With, len(b.Steps))
	el.lookupThis = make([]*program.Value, len(b.Steps))
	sc := program.Scope{Own: el.ns, Orchestrated: true}
	for i, st := range b.Steps {
		el.stepWith[i] = s.prog.CompileWith(st.With, sc)
		if st.LookupThis != "" {
			el.lookupThis[i] = s.prog.This(st.LookupThis, sc)
		}
		sc.Steps = append(sc.Steps, st.Name)
		if st.Type != "call" {
			continue
		}
		if st.Target == nil {
			return spec.Errorf(spec.KindSpec, "step `%s`: `call: %s` is unresolved", st.Name, st.Call)
		}
		op, err := s.operation(st.Target)
		if err != nil {
			return err
		}
		el.stepTargets[i] = op
	}
	el.mappingThis = make([]*program.Value, len(b.Mappings))
	for i, m := range b.Mappings {
		if m.This != "" {
			el.mappingThis[i] = s.prog.This(m.This, sc)
		}
	}
	return nil
}

// operation returns the program operation a resolved reference designates;
// a shadowed one is the error resolving its full reference gives.
func (s *Server) operation(r *spec.OpRef) (*engine.Operation, error) {
	op := s.prog.Lookup(r)
	if op == nil || op.Shadowed() {
		_, err := s.prog.Resolve(r.Adapter.Namespace + "." + r.Resource.Name + "." + r.Op.Name)
		if err == nil {
			err = spec.Errorf(spec.KindSpec, "operation %s.%s.%s cannot be called", r.Adapter.Namespace, r.Resource.Name, r.Op.Name)
		}
		return nil, err
	}
	return op, nil
}

// diagError turns an element error into a spec error.
func diagError(d spec.Diagnostic) *spec.Error {
	msg := d.Message
	if !d.Pos.IsZero() {
		msg += " (" + d.Pos.String() + ")"
	}
	return &spec.Error{Kind: spec.KindSpec, Pos: d.Pos, Msg: msg, Hint: d.Hint}
}

// ---------------------------------------------------------------------------
// JSON responses.

// errorBody is the REST error body {"error": {kind, message, hint?}}.
func errorBody(kind, msg, hint string) any {
	e := &jsonv.Object{}
	e.Set("kind", kind)
	e.Set("message", msg)
	if hint != "" {
		e.Set("hint", hint)
	}
	o := &jsonv.Object{}
	o.Set("error", e)
	return o
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := jsonv.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(fmt.Sprintf(`{"error":{"kind":"internal","message":%q}}`, err.Error()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
