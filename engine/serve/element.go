package serve

import (
	"fmt"
	"net/http"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/engine/internal/jsonv"
	"github.com/naftiko/naftiko/spec"
)

// elementFor prepares an exposed element for serving. A `ref` is merged
// with its function: the element's own description, inputs and outputs
// override the function's. It fails with the element's first element
// error, or when its call cannot be resolved by the engine.
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
	if err := s.resolveTargets(el); err != nil {
		return nil, err
	}
	return el, nil
}

// functionElement prepares an aggregate function reached through `call`.
func (s *Server) functionElement(f *spec.Function, ns string) (*element, error) {
	if len(f.Errors) > 0 {
		return nil, diagError(f.Errors[0])
	}
	el := &element{name: f.Name, description: f.Description, ns: ns, inputs: f.InputParameters, beh: &f.Behavior,
		outputs: f.OutputParameters}
	if err := s.resolveTargets(el); err != nil {
		return nil, err
	}
	return el, nil
}

// resolveTargets finds the engine operations of the element's call and
// call steps, by their full namespace.resource.operation reference.
func (s *Server) resolveTargets(el *element) error {
	b := el.beh
	if b.Target != nil {
		ref := fullRef(b.Target)
		op, err := s.eng.Resolve(ref)
		if err != nil {
			return err
		}
		el.target, el.ref = op, ref
	}
	if b.Call == "" && b.Ref == "" && len(b.Steps) > 0 {
		el.stepTargets = make([]*engine.Operation, len(b.Steps))
		el.stepRefs = make([]string, len(b.Steps))
		for i, st := range b.Steps {
			if st.Type != "call" {
				continue
			}
			if st.Target == nil {
				return spec.Errorf(spec.KindSpec, "step `%s`: `call: %s` is unresolved", st.Name, st.Call)
			}
			ref := fullRef(st.Target)
			op, err := s.eng.Resolve(ref)
			if err != nil {
				return err
			}
			el.stepTargets[i], el.stepRefs[i] = op, ref
		}
	}
	return nil
}

func fullRef(r *spec.OpRef) string {
	return r.Adapter.Namespace + "." + r.Resource.Name + "." + r.Op.Name
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
