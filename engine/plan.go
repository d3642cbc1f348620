package engine

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/naftiko/naftiko/spec"
)

// plan is everything about an operation that does not depend on the call:
// the merged parameter set, the merged headers, the templates to render.
type plan struct {
	ref    spec.OpRef
	public *Operation
	method string
	auth   *spec.Auth
	// params in declaration order (adapter → resource → operation, a
	// redeclared parameter keeping the earlier position), then implicit ones.
	params []*param
	// inputs are the caller-visible parameters by name.
	inputs map[string][]*param
	// inputNames in declaration order, for messages.
	inputNames []string
	headers    []*spec.Header
	errs       []spec.Diagnostic
	accept     string
	hasAuthHdr bool
	// schema is the compiled outputSchema (html selector, markdown
	// heading), or nil.
	schema *outputSchema

	// base caches the parsed base URL when it contains no placeholder.
	baseOnce sync.Once
	base     *url.URL
}

// param is one merged parameter of an operation.
type param struct {
	name     string
	in       string // path, query, header, cookie, body, environment, or "" for a template input
	typ      string
	desc     string
	required bool
	value    *spec.Data // computed parameters
	implicit bool
	// omittable is true for an implicit input every use of which is a whole
	// value that is left out when absent.
	omittable bool
}

func (p *param) visible() bool { return p.value == nil && p.in != "environment" }

func (e *Engine) newPlan(r spec.OpRef) *plan {
	op := r.Op
	p := &plan{ref: r, method: op.Method, inputs: map[string][]*param{}}
	if p.method == "" {
		p.method = http.MethodGet
	}
	p.auth = r.Adapter.Auth
	if op.Auth != nil {
		p.auth = op.Auth
	}
	p.errs = append(append(p.errs, r.Adapter.Errors...), op.Errors...)
	p.accept = acceptFor(op.OutputRawFormat)
	if src := strings.TrimSpace(op.OutputSchema); src != "" {
		switch strings.ToLower(op.OutputRawFormat) {
		case "html":
			sel, err := compileSelector(src)
			if err != nil {
				p.errs = append(p.errs, spec.Diagnostic{Pos: op.Pos, Severity: spec.SeverityError, Rule: "output-schema-invalid",
					Message: "outputSchema " + quote(src) + " is not a valid CSS selector: " + err.Error(),
					Hint:    "use type, #id, .class, [attr], [attr=value], descendant and > combinators, :nth-of-type(n) and , lists"})
			} else {
				p.schema = &outputSchema{sel: sel}
			}
		case "markdown":
			p.schema = &outputSchema{heading: src}
		}
	}

	// Parameters merged by (name, in), the later level winning in place.
	type key struct{ name, in string }
	pos := map[key]int{}
	for _, level := range [][]*spec.Param{r.Adapter.InputParameters, r.Resource.InputParameters, op.InputParameters} {
		for _, sp := range level {
			if sp == nil || sp.Name == "" {
				continue
			}
			np := &param{name: sp.Name, in: sp.In, typ: strings.ToLower(sp.Type), desc: sp.Description,
				required: sp.Required || sp.In == "path", value: sp.Value}
			k := key{np.name, np.in}
			if i, ok := pos[k]; ok {
				p.params[i] = np
				continue
			}
			pos[k] = len(p.params)
			p.params = append(p.params, np)
		}
	}
	declared := func(name string) bool {
		for _, q := range p.params {
			if q.name == name {
				return true
			}
		}
		return false
	}
	// Implicit path parameters: undeclared placeholders in paths.
	for _, t := range []*spec.Template{r.Resource.PathTmpl, op.PathTmpl} {
		if t == nil {
			continue
		}
		for _, n := range t.Names() {
			if !declared(n) {
				p.params = append(p.params, &param{name: n, in: "path", typ: "string", required: true, implicit: true})
			}
		}
	}
	// Implicit baseUri parameters: undeclared single-brace placeholders.
	if t := r.Adapter.BaseURI; t != nil {
		for _, part := range t.Parts {
			if part.Name != "" && part.Single && !declared(part.Name) && !e.binds.Has(part.Name) {
				p.params = append(p.params, &param{name: part.Name, in: "path", typ: "string", required: true, implicit: true})
			}
		}
	}
	// Headers merged by name, the later level replacing the earlier.
	for _, level := range [][]*spec.Header{r.Adapter.Headers, r.Resource.Headers, op.Headers} {
		for _, h := range level {
			replaced := false
			for i, old := range p.headers {
				if strings.EqualFold(old.Name, h.Name) {
					p.headers[i], replaced = h, true
				}
			}
			if !replaced {
				p.headers = append(p.headers, h)
			}
		}
	}
	// Implicit template inputs: names templates reference that are neither
	// caller-visible parameters, in: environment parameters (templates read
	// them from the environment) nor bound variables.
	visible := func(name string) bool {
		for _, q := range p.params {
			if q.name == name && (q.visible() || q.in == "environment") {
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
			n, ok := e.implicitName(part.Name, r.Adapter.Namespace, visible)
			if !ok {
				continue
			}
			if _, seen := uses[n]; !seen {
				order = append(order, n)
			}
			uses[n] = append(uses[n], omittable && len(t.Parts) == 1)
		}
	}
	for _, h := range p.headers {
		note(h.Value, false)
	}
	for _, q := range p.params {
		if q.value != nil {
			walkData(q.value, func(t *spec.Template, leaf bool) { note(t, leaf && !q.required) })
		}
	}
	if op.Body != nil && op.Body.Data != nil {
		walkData(op.Body.Data, func(t *spec.Template, leaf bool) { note(t, leaf && op.Body.Data.Kind != spec.DataString) })
	}
	for _, n := range order {
		omit := true
		for _, u := range uses[n] {
			omit = omit && u
		}
		p.params = append(p.params, &param{name: n, typ: "any", required: !omit, implicit: true, omittable: omit})
	}

	for _, q := range p.params {
		if !q.visible() {
			continue
		}
		if _, ok := p.inputs[q.name]; !ok {
			p.inputNames = append(p.inputNames, q.name)
		}
		p.inputs[q.name] = append(p.inputs[q.name], q)
	}
	for _, h := range p.headers {
		if strings.EqualFold(h.Name, "Authorization") {
			p.hasAuthHdr = true
		}
	}

	pub := &Operation{
		Namespace:   r.Adapter.Namespace,
		Resource:    r.Resource.Name,
		Name:        op.Name,
		Method:      p.method,
		Path:        r.FullPath(),
		Description: op.Description,
		Source:      r,
	}
	for _, n := range p.inputNames {
		q := p.inputs[n][0]
		in := Input{Name: n, In: q.in, Type: q.typ, Description: q.desc}
		for _, x := range p.inputs[n] {
			in.Required = in.Required || x.required
		}
		if in.Type == "" || in.Type == "any" {
			in.Type = "string"
		}
		if in.In == "" {
			in.In = "template"
		}
		pub.Inputs = append(pub.Inputs, in)
	}
	p.public = pub
	return p
}

// implicitName decides whether a placeholder name makes an implicit input
// (§6.2), and which: rule 1 (a bare name) or rule 2 (prefix.name).
func (e *Engine) implicitName(n, ns string, visible func(string) bool) (string, bool) {
	if visible(n) || e.binds.Has(n) {
		return "", false
	}
	if i := strings.IndexByte(n, '.'); i > 0 {
		pre, rest := n[:i], n[i+1:]
		if pre == "env" || e.binds.HasNamespace(pre) {
			return "", false
		}
		if e.prefixes[pre] || pre == ns {
			if visible(rest) {
				return "", false
			}
			return rest, true
		}
		return n, true
	}
	return n, true
}

// walkData calls f for every template in d; leaf is true when the template
// is a whole structured leaf (a map value or list item).
func walkData(d *spec.Data, f func(t *spec.Template, leaf bool)) {
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

func acceptFor(format string) string {
	switch strings.ToLower(format) {
	case "", "json":
		return "application/json"
	case "xml":
		return "application/xml"
	case "yaml":
		return "application/yaml"
	case "csv":
		return "text/csv"
	case "tsv":
		return "text/tab-separated-values"
	case "html":
		return "text/html"
	case "markdown":
		return "text/markdown"
	case "psv", "text":
		return "text/plain"
	default:
		return "*/*"
	}
}
