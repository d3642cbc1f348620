package program

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// compileOp resolves one consumed operation: its parameters, headers,
// implicit inputs and caller-visible inputs (SPEC.md §6.1–§6.2).
func (p *Program) compileOp(r spec.OpRef) *Op {
	so := r.Op
	op := &Op{
		Namespace:   r.Adapter.Namespace,
		Resource:    r.Resource.Name,
		Name:        so.Name,
		Method:      so.Method,
		Path:        r.FullPath(),
		Description: so.Description,
		Source:      r,
		FullRef:     r.FullRef(),
		Auth:        r.Adapter.Auth,
		Accept:      FormatAccept(so.OutputRawFormat),
		Body:        so.Body,
		inputs:      map[string][]*Param{},
		shadow:      r.Adapter.Shadowed || so.Shadowed,
	}
	if op.Method == "" {
		op.Method = "GET"
	}
	if so.Auth != nil {
		op.Auth = so.Auth
	}
	op.Errs = append(append(op.Errs, r.Adapter.Errors...), so.Errors...)
	if t := r.Adapter.BaseURI; t != nil && t.IsLiteral() {
		op.Base = ParseBase(t.Src)
	}
	op.mergeParams(r)
	op.implicitPathParams(r, p.Names)
	op.mergeHeaders(r)
	op.implicitTemplateInputs(p.Names)
	op.index()
	return op
}

// mergeParams merges parameters by (name, in), the later level winning in
// place.
func (op *Op) mergeParams(r spec.OpRef) {
	type key struct{ name, in string }
	pos := map[key]int{}
	for _, level := range [][]*spec.Param{r.Adapter.InputParameters, r.Resource.InputParameters, r.Op.InputParameters} {
		for _, sp := range level {
			if sp == nil || sp.Name == "" {
				continue
			}
			np := &Param{Name: sp.Name, In: sp.In, Type: strings.ToLower(sp.Type), Description: sp.Description,
				Required: sp.Required || sp.In == "path", Value: sp.Value}
			k := key{np.Name, np.In}
			if i, ok := pos[k]; ok {
				op.Params[i] = np
				continue
			}
			pos[k] = len(op.Params)
			op.Params = append(op.Params, np)
		}
	}
}

func (op *Op) declared(name string) bool {
	for _, q := range op.Params {
		if q.Name == name {
			return true
		}
	}
	return false
}

// implicitPathParams adds undeclared placeholders of paths that name no
// bound variable, and undeclared
// single-brace placeholders of the baseUri that no bind names.
func (op *Op) implicitPathParams(r spec.OpRef, names *Names) {
	for _, t := range []*spec.Template{r.Resource.PathTmpl, r.Op.PathTmpl} {
		if t == nil {
			continue
		}
		for _, n := range t.Names() {
			// A bound variable in a path is the variable, not an input.
			if !op.declared(n) && !names.Bound(n) {
				op.Params = append(op.Params, &Param{Name: n, In: "path", Type: "string", Required: true, Implicit: true})
			}
		}
	}
	if t := r.Adapter.BaseURI; t != nil {
		for _, part := range t.Parts {
			if part.Name != "" && part.Single && !op.declared(part.Name) && !names.Bound(part.Name) {
				op.Params = append(op.Params, &Param{Name: part.Name, In: "path", Type: "string", Required: true, Implicit: true})
			}
		}
	}
}

// mergeHeaders merges headers by name, the later level replacing the
// earlier.
func (op *Op) mergeHeaders(r spec.OpRef) {
	for _, level := range [][]*spec.Header{r.Adapter.Headers, r.Resource.Headers, r.Op.Headers} {
		for _, h := range level {
			replaced := false
			for i, old := range op.Headers {
				if strings.EqualFold(old.Name, h.Name) {
					op.Headers[i], replaced = h, true
				}
			}
			if !replaced {
				op.Headers = append(op.Headers, h)
			}
		}
	}
	for _, h := range op.Headers {
		if strings.EqualFold(h.Name, "Authorization") {
			op.HasAuthHeader = true
		}
	}
}

// implicitTemplateInputs adds the names templates reference that are
// neither caller-visible parameters, in: environment parameters (templates
// read them from the environment) nor bound variables.
func (op *Op) implicitTemplateInputs(names *Names) {
	visible := func(name string) bool {
		for _, q := range op.Params {
			if q.Name == name && (q.Visible() || q.In == "environment") {
				return true
			}
		}
		return false
	}
	uses := map[string][]bool{} // name → whether each use is omittable
	var order []string
	note := func(t *spec.Template, omittable bool) {
		if t == nil {
			return
		}
		for _, part := range t.Parts {
			if part.Name == "" || part.Single {
				continue
			}
			n, ok := implicitName(names, part.Name, op.Namespace, visible)
			if !ok {
				continue
			}
			if _, seen := uses[n]; !seen {
				order = append(order, n)
			}
			uses[n] = append(uses[n], omittable && len(t.Parts) == 1)
		}
	}
	for _, h := range op.Headers {
		note(h.Value, false)
	}
	for _, q := range op.Params {
		if q.Value != nil {
			WalkData(q.Value, func(t *spec.Template, leaf bool) { note(t, leaf && !q.Required) })
		}
	}
	if b := op.Body; b != nil && b.Data != nil {
		WalkData(b.Data, func(t *spec.Template, leaf bool) { note(t, leaf && b.Data.Kind != spec.DataString) })
	}
	for _, n := range order {
		omit := true
		for _, u := range uses[n] {
			omit = omit && u
		}
		op.Params = append(op.Params, &Param{Name: n, Type: "any", Required: !omit, Implicit: true, Omittable: omit})
	}
}

// implicitName decides whether a placeholder name makes an implicit input
// (SPEC.md §6.2), and which: rule 1 (a bare name) or rule 2 (prefix.name).
func implicitName(names *Names, n, ns string, visible func(string) bool) (string, bool) {
	if visible(n) || names.Bound(n) {
		return "", false
	}
	if i := strings.IndexByte(n, '.'); i > 0 {
		pre, rest := n[:i], n[i+1:]
		if names.BindNamespace(pre) {
			return "", false
		}
		if names.InputPrefix(pre, ns) {
			if visible(rest) {
				return "", false
			}
			return rest, true
		}
		return n, true
	}
	return n, true
}

// index builds the caller-visible inputs.
func (op *Op) index() {
	for _, q := range op.Params {
		if !q.Visible() {
			continue
		}
		if _, ok := op.inputs[q.Name]; !ok {
			op.InputNames = append(op.InputNames, q.Name)
		}
		op.inputs[q.Name] = append(op.inputs[q.Name], q)
	}
	for _, n := range op.InputNames {
		q := op.inputs[n][0]
		in := Input{Name: n, In: q.In, Type: q.Type, Description: q.Description}
		for _, x := range op.inputs[n] {
			in.Required = in.Required || x.Required
		}
		if in.Type == "" || in.Type == "any" {
			in.Type = "string"
		}
		if in.In == "" {
			in.In = "template"
		}
		in.Unsent = in.In == "path" && !op.Source.URLUses(n)
		op.Inputs = append(op.Inputs, in)
	}
	op.CallerBody = callerBody(op)
	if b := op.Body; b != nil && b.Type == "multipartForm" && b.Data == nil {
		op.Multipart = map[string]bool{}
		for _, in := range op.Inputs {
			if in.In == "body" {
				op.Multipart[in.Name] = true
			}
		}
		if len(op.Multipart) == 0 {
			op.Multipart = nil
		}
	}
}

// WalkData calls f for every template in d; leaf is true when the template
// is a whole structured leaf (a map value or list item).
func WalkData(d *spec.Data, f func(t *spec.Template, leaf bool)) {
	var walk func(d *spec.Data, leaf bool)
	walk = func(d *spec.Data, leaf bool) {
		if d == nil {
			return
		}
		switch d.Kind {
		case spec.DataString:
			f(d.Tmpl, leaf)
		case spec.DataMap:
			for _, v := range d.Vals {
				walk(v, true)
			}
		case spec.DataList:
			for _, v := range d.Items {
				walk(v, true)
			}
		}
	}
	walk(d, d != nil && d.Kind == spec.DataString)
}

func callerBody(op *Op) string {
	b := op.Body
	if b == nil || b.Data != nil {
		return ""
	}
	for _, in := range op.Inputs {
		if in.In == "body" {
			return ""
		}
	}
	if b.Type == "" {
		return "json"
	}
	return b.Type
}
