package spec

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Known fields of the exposes side (SPEC.md §11, §12), for unknown-field
// warnings and did-you-mean hints. Dialect fields are recognised.
var (
	fieldsExposeCommon = []string{"type", "namespace", "description", "address", "port", "authentication", "auth",
		"label", "display", "ttlMs", "cacheScope"}
	fieldsExposeRest    = []string{"resources", "inputParameters"}
	fieldsExposeMCP     = []string{"transport", "tools", "resources", "prompts"}
	fieldsExposeSkill   = []string{"skills", "tools", "location"}
	fieldsExposeControl = []string{"management", "observability"}
	fieldsRestResource  = []string{"name", "label", "display", "description", "path", "inputParameters", "operations",
		"forward", "tags"}
	fieldsBehavior     = []string{"call", "with", "steps", "mappings", "ref", "outputParameters"}
	fieldsRestOp       = []string{"name", "label", "display", "description", "method", "path", "inputParameters", "tags"}
	fieldsTool         = []string{"name", "label", "display", "description", "inputParameters", "hints", "tags"}
	fieldsMCPResource  = []string{"name", "label", "display", "description", "uri", "mimeType", "location"}
	fieldsPrompt       = []string{"name", "label", "display", "description", "arguments", "template", "location"}
	fieldsPromptArg    = []string{"name", "label", "display", "description", "required"}
	fieldsPromptMsg    = []string{"role", "content"}
	fieldsExposedParam = []string{"name", "in", "type", "description", "required", "pattern", "value", "mapping",
		"label", "display", "default", "items"}
	fieldsExposedOut = []string{"name", "type", "mapping", "value", "const", "properties", "items", "maxLength",
		"description", "label"}
	fieldsHints     = []string{"readOnly", "destructive", "idempotent", "openWorld"}
	fieldsSemantics = []string{"safe", "idempotent", "cacheable"}
	fieldsStep      = []string{"type", "name", "call", "with", "index", "match", "lookupValue", "outputParameters",
		"description", "label"}
	fieldsMapping  = []string{"targetName", "target", "value"}
	fieldsForward  = []string{"targetNamespace", "trustedHeaders"}
	fieldsFunction = []string{"name", "label", "display", "description", "semantics", "inputParameters", "tags"}
	// fieldsExposeType are read before the others, which depend on the type.
	fieldsExposeType = []string{"type", "namespace"}
	fieldsManagement = []string{"info"}
	fieldsAggregate  = []string{"label", "display", "namespace", "description", "functions", "flows"}
)

// exposesList loads exposes adapters.
func (l *loader) exposesList(n *yaml.Node) []*Expose {
	return sectionList(l, n, "exposes", "an exposes entry", l.importExpose, l.expose)
}

// exposeFields are the fields specific to each served adapter type.
var exposeFields = map[string][]string{
	"rest": fieldsExposeRest, "mcp": fieldsExposeMCP, "skill": fieldsExposeSkill, "control": fieldsExposeControl,
}

// exposePort reads an adapter's port (0–65535).
func (l *loader) exposePort(x *Expose, portV *yaml.Node) {
	p, ok := l.integer(portV, "port")
	if !ok {
		return
	}
	if p < 0 || p > 65535 {
		l.elemError(portV, "port-invalid", fmt.Sprintf("port %d is outside 1–65535", p), "")
		return
	}
	x.Port = int(p)
}

// exposeByType reads what is specific to the adapter's type.
func (l *loader) exposeByType(x *Expose, fs fieldSet, portV, authenticationV, authV *yaml.Node) {
	switch x.Type {
	case "mcp":
		if x.Transport == "" {
			x.Transport = "http"
		}
		if x.Transport == "stdio" {
			if portV != nil {
				l.warn(portV, "mcp-stdio-port", fmt.Sprintf("MCP adapter%s uses stdio; its port is ignored", quoteName(x.Namespace)), "")
			}
			if x.Auth != nil {
				l.warn(cmpNode(authenticationV, authV), "mcp-stdio-auth",
					fmt.Sprintf("MCP adapter%s uses stdio; its authentication is ignored", quoteName(x.Namespace)), "")
			}
		}
		l.mcpAdapter(x, fs)
	case "rest":
		x.InputParameters = l.exposedParams(fs.get("inputParameters"), "rest")
		l.restResources(x, fs.get("resources"))
	case "skill":
		l.skillAdapter(x, fs)
	case "control":
		if v := deref(fs.get("management")); v != nil && v.Kind == yaml.MappingNode {
			x.Management = &Management{Pos: l.at(v)}
			if iv := fieldsOf(v, fieldsManagement).get("info"); iv != nil {
				x.Management.Info, _ = l.boolean(iv, "info")
			}
		}
		if v := deref(fs.get("observability")); v != nil && v.Kind == yaml.MappingNode {
			x.Observability = l.observability(v)
		}
	}
}

func (l *loader) expose(d *yaml.Node) *Expose {
	x := &Expose{Node: d, Pos: l.at(d)}
	defer l.setSink(l.setSink(&x.Errors))
	var portV, authV, authK, authenticationV, transportV *yaml.Node
	pre := fieldsOf(d, fieldsExposeType)
	x.Namespace = l.text(pre, "namespace")
	typeV := pre.get("type")
	raw := strings.TrimSpace(l.str(typeV, "type"))
	x.Type = strings.ToLower(raw)
	specific := exposeFields[x.Type]
	if specific == nil {
		at := typeV
		if at == nil {
			at = d
		}
		what := fmt.Sprintf("exposes adapter%s of type `%s` cannot be served; it is skipped", quoteName(x.Namespace), raw)
		if raw == "" {
			what = fmt.Sprintf("exposes adapter%s has no `type`; it is skipped", quoteName(x.Namespace))
		}
		l.warn(at, "expose-unsupported", what, "use rest, mcp, skill or control")
		return nil
	}
	where := x.Type + " adapter" + quoteName(x.Namespace)
	fs := l.fields(d, where, fieldsExposeCommon, specific)
	for _, k := range []string{"ttlMs", "cacheScope"} {
		if fs.has(k) {
			kn := fs.keyNode(k)
			l.warn(kn, "unsupported-feature", fmt.Sprintf("`%s` is not supported and is ignored", k), "")
		}
	}
	x.Description = l.text(fs, "description")
	x.Address = l.text(fs, "address")
	for _, k := range []string{"label", "display"} {
		if v := fs.get(k); v != nil && x.Label == "" {
			x.Label = l.str(v, k)
		}
	}
	portV, transportV = fs.get("port"), fs.get("transport")
	authenticationV = fs.get("authentication")
	if v := fs.get("auth"); v != nil {
		authK, authV = fs.keyNode("auth"), v
	}
	if portV != nil {
		l.exposePort(x, portV)
	}
	if transportV != nil {
		x.Transport = l.keyword(transportV, "transport")
	}
	x.Auth = l.authPair(authenticationV, authK, authV, true)
	l.exposeByType(x, fs, portV, authenticationV, authV)
	return x
}

func cmpNode(a, b *yaml.Node) *yaml.Node {
	if a != nil {
		return a
	}
	return b
}

// ---------------------------------------------------------------------------
// REST.

func (l *loader) restResources(x *Expose, n *yaml.Node) {
	for _, it := range l.items(n, "resources") {
		d, pos, ok := l.entry(it, "a REST resource")
		if !ok {
			continue
		}
		r := &RestResource{Pos: pos}
		// Problems of the resource's own fields belong to each of its
		// operations (and its forward).
		var resErrs []Diagnostic
		prev := l.setSink(&resErrs)
		fs := l.named(it, d, &r.Name, "REST resource", "REST resource", fieldsRestResource)
		r.Label = l.labelOf(fs)
		r.Description = l.text(fs, "description")
		if v := fs.get("path"); v != nil {
			r.Path = strings.TrimSpace(l.str(v, "path"))
		}
		if r.Path == "" {
			l.elemError(d, "required-field", fmt.Sprintf("REST resource%s has no `path`", quoteName(r.Name)), "")
		} else if r.Path[0] != '/' {
			pv := fs.get("path")
			l.info(pv, "dialect", fmt.Sprintf("REST path %q does not start with `/`; one is added", r.Path))
			r.Path = "/" + r.Path
		}
		r.InputParameters = l.exposedParams(fs.get("inputParameters"), "rest")
		if v := fs.get("forward"); v != nil {
			r.Forward = l.forward(v)
		}
		l.setSink(prev)
		for _, oi := range l.items(fs.get("operations"), "operations") {
			if o := l.restOperation(oi, resErrs); o != nil {
				r.Operations = append(r.Operations, o)
			}
		}
		if r.Forward != nil {
			r.Forward.Errors = append(slices.Clone(resErrs), r.Forward.Errors...)
		}
		if len(r.Operations) == 0 && r.Forward == nil {
			l.warn(d, "required-field", fmt.Sprintf("REST resource%s has neither `operations` nor `forward`; it answers 405", quoteName(r.Name)), "")
		}
		x.Resources = append(x.Resources, r)
	}
}

func (l *loader) restOperation(it item, inherited []Diagnostic) *RestOperation {
	d, pos, ok := l.entry(it, "a REST operation")
	if !ok {
		return nil
	}
	o := &RestOperation{Pos: pos, Method: "GET"}
	o.Errors = slices.Clone(inherited)
	defer l.setSink(l.setSink(&o.Errors))
	fs := l.named(it, d, &o.Name, "REST operation", "REST operation", fieldsRestOp, fieldsBehavior)
	o.Label = l.labelOf(fs)
	o.Description = l.text(fs, "description")
	if v := fs.get("method"); v != nil {
		if m := strings.ToUpper(strings.TrimSpace(l.str(v, "method"))); m != "" {
			o.Method = m
			if !IsToken(m) {
				l.elemError(v, "method-invalid", fmt.Sprintf("method %q is not a valid HTTP method token", m), "")
			}
		}
	}
	if v := fs.get("path"); v != nil {
		o.Path = strings.TrimSpace(l.str(v, "path"))
		l.info(v, "dialect", fmt.Sprintf("REST operation path %q is appended to the resource path", o.Path))
	}
	o.InputParameters = l.exposedParams(fs.get("inputParameters"), "rest")
	l.behavior(&o.Behavior, fs, d)
	return o
}

func (l *loader) forward(n *yaml.Node) *Forward {
	d := deref(n)
	f := &Forward{Pos: l.at(d)}
	defer l.setSink(l.setSink(&f.Errors))
	if d.Kind != yaml.MappingNode {
		l.elemError(n, "wrong-kind", fmt.Sprintf("`forward` must be a mapping, not a %s", kindName(d)), "")
		return f
	}
	fs := l.fields(d, "`forward`", fieldsForward)
	f.TargetNamespace = l.text(fs, "targetNamespace")
	if f.TargetNamespace == "" {
		l.elemError(d, "required-field", "`forward` has no `targetNamespace`", "")
	}
	f.TrustedHeaders = l.strList(fs.get("trustedHeaders"), "trustedHeaders")
	return f
}

// strList reads a list of strings (or a single string).
func (l *loader) strList(n *yaml.Node, field string) []string {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind == yaml.ScalarNode {
		return []string{l.str(d, field)}
	}
	if d.Kind != yaml.SequenceNode {
		l.elemError(n, "wrong-kind", fmt.Sprintf("`%s` must be a list of strings, not a %s", field, kindName(d)), "")
		return nil
	}
	out := make([]string, 0, len(d.Content))
	for _, c := range d.Content {
		if s := l.str(c, field); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (l *loader) labelOf(fs fieldSet) string {
	for _, k := range []string{"label", "display"} {
		if v := fs.get(k); v != nil {
			if s := l.str(v, k); s != "" {
				return s
			}
		}
	}
	return ""
}

// ---------------------------------------------------------------------------
// Exposed inputs.

// exposedParams loads the inputs of an exposed element. kind is "rest",
// "mcp" or "function".
func (l *loader) exposedParams(n *yaml.Node, kind string) []*ExposedParam {
	its := l.items(n, "inputParameters")
	if len(its) == 0 {
		return nil
	}
	out := make([]*ExposedParam, 0, len(its))
	for _, it := range its {
		d, pos, ok := l.entry(it, "an input parameter")
		if !ok {
			continue
		}
		p := &ExposedParam{Pos: pos}
		fs := l.named(it, d, &p.Name, "exposed input parameter", "input parameter", fieldsExposedParam)
		if p.Name == "" {
			l.warn(d, "param-name-empty", "an input parameter without a name is dropped", "")
			continue
		}
		p.Label = l.labelOf(fs)
		if v := fs.get("description"); v != nil {
			p.Description = l.str(v, "description")
		} else if kind == "mcp" {
			l.info(d, "dialect", fmt.Sprintf("tool input `%s` has no description", p.Name))
		}
		p.Type = l.keyword(fs.get("type"), "type")
		if v := fs.get("in"); v != nil {
			p.In = l.keyword(v, "in")
			if p.In != "" && !slices.Contains([]string{"path", "query", "header", "cookie", "body"}, p.In) {
				l.warn(v, "param-in-unknown", fmt.Sprintf("input parameter `%s` has an unknown `in: %s`", p.Name, p.In),
					"use one of path, query, header, cookie, body")
			}
		} else if kind == "rest" {
			l.info(d, "dialect", fmt.Sprintf("REST input `%s` has no `in`; `path` is used when the route has a {%s} placeholder, else `query`", p.Name, p.Name))
		}
		if v := fs.get("required"); v != nil {
			p.Required, p.RequiredSet = l.boolean(v, "required")
		}
		if v := fs.get("pattern"); v != nil {
			p.Pattern = l.str(v, "pattern")
			re, err := regexp.Compile(p.Pattern)
			if err != nil {
				l.elemError(v, "pattern-invalid", fmt.Sprintf("pattern %q of input `%s` is not a valid regular expression: %v", p.Pattern, p.Name, err), "")
			} else {
				p.PatternRe = re
			}
		}
		if v := fs.get("mapping"); v != nil {
			if kind == "mcp" {
				mk := fs.keyNode("mapping")
				l.warn(mk, "ignored-field", fmt.Sprintf("`mapping` on tool input `%s` is ignored", p.Name), "")
			} else if dv := deref(v); dv.Kind == yaml.ScalarNode {
				p.Path = l.jsonPath(v, "mapping")
			}
		}
		if v := fs.get("value"); v != nil && !isNull(deref(v)) {
			if dv := deref(v); dv.Kind == yaml.ScalarNode && strings.HasPrefix(strings.TrimSpace(dv.Value), "$") &&
				!strings.HasPrefix(strings.TrimSpace(dv.Value), "$this") && !strings.HasPrefix(strings.TrimSpace(dv.Value), "$env") {
				p.Path = l.jsonPath(v, "value")
			} else {
				p.Value = l.data(v, true)
			}
		}
		out = append(out, p)
	}
	return out
}

// ---------------------------------------------------------------------------
// Behaviour: call, with, steps, mappings, ref, outputs.

// behavior loads the behaviour fields of an exposed element from fs. The
// element-error sink must be the element's Errors.
func (l *loader) behavior(b *Behavior, fs fieldSet, d *yaml.Node) {
	if v := fs.get("call"); v != nil {
		b.Call = strings.TrimSpace(l.str(v, "call"))
		b.CallPos, _ = l.valueStart(deref(v))
		if b.Call == "" {
			l.elemError(v, "required-field", "`call` is empty", "")
		}
	}
	if v := fs.get("ref"); v != nil {
		b.Ref = strings.TrimSpace(l.str(v, "ref"))
		b.RefPos, _ = l.valueStart(deref(v))
	}
	b.With = l.withValues(fs.get("with"))
	if v := fs.get("steps"); v != nil {
		b.Steps = l.steps(v)
	}
	if v := fs.get("mappings"); v != nil {
		b.Mappings = l.mappings(v)
	}
	b.OutputParameters = l.exposedOutputs(fs.get("outputParameters"))
	switch {
	case b.Call != "" && len(b.Steps) > 0:
		sk := fs.keyNode("steps")
		l.elemError(sk, "steps-and-call", "`steps` and `call` cannot both be given; the element cannot run",
			"keep `call` for one consumed call, or `steps` for an orchestration")
	case b.Ref != "" && (b.Call != "" || len(b.Steps) > 0):
		rk := fs.keyNode("ref")
		l.elemError(rk, "steps-and-call", "`ref` cannot be given together with `call` or `steps`; the element cannot run",
			"keep only `ref`")
	}
	if len(b.With) > 0 && b.Call == "" && b.Ref == "" {
		wk := fs.keyNode("with")
		l.warn(wk, "ignored-field", "`with` is only used with `call` or `ref`; it is ignored", "")
	}
}

func (l *loader) withValues(n *yaml.Node) []*WithValue {
	d := l.optMapping(n, "with")
	if d == nil {
		return nil
	}
	fs := l.namedKeys(d, "a `with` key must be a parameter name")
	out := make([]*WithValue, 0, len(fs))
	for _, f := range fs {
		out = append(out, &WithValue{Name: f.name, Value: l.data(f.val, true), Pos: l.at(f.key)})
	}
	return out
}

func (l *loader) steps(n *yaml.Node) []*Step {
	var out []*Step
	for _, it := range l.items(n, "steps") {
		d, pos, ok := l.entry(it, "a step")
		if !ok {
			continue
		}
		s := &Step{Pos: pos}
		fs := l.named(it, d, &s.Name, "step", "step", fieldsStep)
		s.Type = l.keyword(fs.get("type"), "type")
		if s.Type == "" {
			switch {
			case fs.has("call"):
				s.Type = "call"
			case fs.has("index"):
				s.Type = "lookup"
			}
		}
		if s.Name == "" {
			l.elemError(d, "required-field", "a step has no `name`", "")
		}
		switch s.Type {
		case "call":
			if v := fs.get("call"); v != nil {
				s.Call = strings.TrimSpace(l.str(v, "call"))
				s.CallPos, _ = l.valueStart(deref(v))
			}
			if s.Call == "" {
				l.elemError(d, "required-field", fmt.Sprintf("call step%s has no `call`", quoteName(s.Name)), "")
			}
			s.With = l.withValues(fs.get("with"))
		case "lookup":
			for _, f := range []struct {
				k   string
				dst *string
			}{{"index", &s.Index}, {"match", &s.Match}} {
				if v := fs.get(f.k); v != nil {
					*f.dst = strings.TrimSpace(l.str(v, f.k))
				}
				if *f.dst == "" {
					l.elemError(d, "required-field", fmt.Sprintf("lookup step%s has no `%s`", quoteName(s.Name), f.k), "")
				}
			}
			if v := fs.get("lookupValue"); v != nil {
				src := strings.TrimSpace(l.str(v, "lookupValue"))
				switch {
				case strings.HasPrefix(src, "$this."):
					s.LookupThis = strings.TrimPrefix(src, "$this.")
				case strings.HasPrefix(src, "$"):
					s.LookupPath = l.jsonPath(v, "lookupValue")
				default:
					s.LookupTmpl = l.template(v, "lookupValue", TextTemplate)
				}
			} else {
				l.elemError(d, "required-field", fmt.Sprintf("lookup step%s has no `lookupValue`", quoteName(s.Name)), "")
			}
			s.Fields = l.strList(fs.get("outputParameters"), "outputParameters")
		case "script":
			l.warn(d, "unsupported-feature", fmt.Sprintf("script step%s is not supported; the element fails when run", quoteName(s.Name)), "")
		default:
			tv := cmpNode(fs.get("type"), d)
			l.elemError(tv, "step-invalid", fmt.Sprintf("step%s has type `%s`; naftiko runs call and lookup steps", quoteName(s.Name), s.Type), "")
		}
		out = append(out, s)
	}
	return out
}

func (l *loader) mappings(n *yaml.Node) []*Mapping {
	var out []*Mapping
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	var entries []*yaml.Node
	switch d.Kind {
	case yaml.SequenceNode:
		entries = d.Content
	case yaml.MappingNode:
		// {targetName: value} shorthand.
		ps := pairs(d)
		for i := 0; i+1 < len(ps); i += 2 {
			k, _ := keyText(ps[i])
			m := &Mapping{TargetName: k, Pos: l.at(ps[i])}
			l.mappingValue(m, ps[i+1])
			out = append(out, m)
		}
		return out
	default:
		l.elemError(n, "wrong-kind", fmt.Sprintf("`mappings` must be a list, not a %s", kindName(d)), "")
		return nil
	}
	for _, e := range entries {
		e = deref(e)
		if e.Kind != yaml.MappingNode {
			l.elemError(e, "wrong-kind", fmt.Sprintf("a mapping entry must be a mapping, not a %s", kindName(e)), "")
			continue
		}
		fs := l.fields(e, "mapping entry", fieldsMapping)
		m := &Mapping{Pos: l.at(e)}
		for _, k := range []string{"targetName", "target"} {
			if v := fs.get(k); v != nil && m.TargetName == "" {
				m.TargetName = l.str(v, k)
			}
		}
		if m.TargetName == "" {
			l.elemError(e, "required-field", "a mapping has no `targetName`", "")
		}
		if v := fs.get("value"); v != nil {
			l.mappingValue(m, v)
		} else {
			l.elemError(e, "required-field", "a mapping has no `value`", "")
		}
		out = append(out, m)
	}
	return out
}

func (l *loader) mappingValue(m *Mapping, v *yaml.Node) {
	m.Value = strings.TrimSpace(l.str(v, "value"))
	if s, ok := strings.CutPrefix(m.Value, "$this."); ok {
		m.This = s
		return
	}
	m.Path = l.jsonPath(v, "value")
}

// ---------------------------------------------------------------------------
// Exposed outputs (SPEC.md §9.3): {type, mapping, value, const,
// properties, items, maxLength}.

func (l *loader) exposedOutputs(n *yaml.Node) []*Output { return l.outputList(n, l.exposedOutput) }

func (l *loader) exposedOutput(it item) *Output {
	d := deref(it.val)
	if d != nil && d.Kind == yaml.ScalarNode && it.key != nil {
		// properties: {name: $.path} shorthand.
		k, _ := keyText(it.key)
		return &Output{Name: k, Path: l.jsonPath(d, "mapping"), Pos: l.at(it.key)}
	}
	d, pos, ok := l.entry(it, "an output parameter")
	if !ok {
		return nil
	}
	o := &Output{Pos: pos}
	fs := l.named(it, d, &o.Name, "exposed output parameter", "output parameter", fieldsExposedOut)
	o.Type = l.keyword(fs.get("type"), "type")
	if v := fs.get("mapping"); v != nil {
		switch dv := deref(v); dv.Kind {
		case yaml.ScalarNode:
			if !isNull(dv) {
				o.Path = l.jsonPath(v, "mapping")
			}
		case yaml.MappingNode:
			// Published v0.4 form: mapping: {properties: …} or {items: …}.
			mps := pairs(dv)
			for i := 0; i+1 < len(mps); i += 2 {
				switch k, _ := keyText(mps[i]); k {
				case "properties":
					o.Properties = l.exposedOutputs(mps[i+1])
				case "items":
					o.Items = l.exposedOutput(item{val: mps[i+1]})
				default:
					l.unknownField(mps[i], "`mapping`", []string{"properties", "items"})
				}
			}
		default:
			l.elemError(v, "wrong-kind", fmt.Sprintf("`mapping` must be a JSONPath or a mapping, not a %s", kindName(dv)), "")
		}
	}
	if v := fs.get("value"); v != nil && !isNull(deref(v)) {
		o.Template = l.template(v, "value", TextTemplate)
	}
	if v := fs.get("const"); v != nil {
		o.Const = l.data(v, false)
	}
	if v := fs.get("properties"); v != nil {
		o.Properties = l.exposedOutputs(v)
	}
	if v := fs.get("items"); v != nil {
		o.Items = l.exposedItems(v)
	}
	if v := fs.get("maxLength"); v != nil {
		if n, ok := l.integer(v, "maxLength"); ok && n > 0 {
			o.MaxLength = int(n)
		}
	}
	return o
}

// exposedItems reads the `items` of an array output: one output schema, or
// (beta5) a mapping of field schemas ({fullName: {type: string}, type:
// {type: string}}), read as an object with those properties.
func (l *loader) exposedItems(v *yaml.Node) *Output {
	if d := deref(v); fieldSchemas(d) {
		return &Output{Type: "object", Properties: l.exposedOutputs(d), Pos: l.at(d)}
	}
	return l.exposedOutput(item{val: v})
}

// fieldSchemas reports whether an `items` mapping is written as field
// schemas: every value is a mapping, and `type`, when present, is one too
// (a field named "type"), so that it is not the {type, properties, …} form.
func fieldSchemas(d *yaml.Node) bool {
	if d == nil || d.Kind != yaml.MappingNode || len(d.Content) == 0 {
		return false
	}
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		if dv := deref(ps[i+1]); dv == nil || dv.Kind != yaml.MappingNode {
			return false
		}
		if k, _ := keyText(ps[i]); k == "properties" || k == "items" || k == "mapping" || k == "const" {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// MCP.

func (l *loader) mcpAdapter(x *Expose, fs fieldSet) {
	for _, it := range l.items(fs.get("tools"), "tools") {
		d, pos, ok := l.entry(it, "a tool")
		if !ok {
			continue
		}
		t := &Tool{Pos: pos}
		prev := l.setSink(&t.Errors)
		tfs := l.named(it, d, &t.Name, "MCP tool", "tool", fieldsTool, fieldsBehavior)
		if t.Name == "" {
			l.elemError(d, "required-field", "a tool has no `name`", "")
		}
		t.Label = l.labelOf(tfs)
		t.Description = l.text(tfs, "description")
		t.InputParameters = l.exposedParams(tfs.get("inputParameters"), "mcp")
		if v := tfs.get("hints"); v != nil {
			t.Hints = l.hints(v)
		}
		l.behavior(&t.Behavior, tfs, d)
		l.setSink(prev)
		x.Tools = append(x.Tools, t)
	}
	for _, it := range l.items(fs.get("resources"), "resources") {
		d, pos, ok := l.entry(it, "an MCP resource")
		if !ok {
			continue
		}
		r := &MCPResource{Pos: pos}
		prev := l.setSink(&r.Errors)
		rfs := l.named(it, d, &r.Name, "MCP resource", "MCP resource", fieldsMCPResource, fieldsBehavior)
		r.Label = l.labelOf(rfs)
		for _, f := range []struct {
			k   string
			dst *string
		}{{"description", &r.Description}, {"uri", &r.URI}, {"mimeType", &r.MIMEType}, {"location", &r.Location}} {
			if v := rfs.get(f.k); v != nil {
				*f.dst = strings.TrimSpace(l.str(v, f.k))
			}
		}
		if r.URI == "" {
			l.elemError(d, "required-field", fmt.Sprintf("MCP resource%s has no `uri`", quoteName(r.Name)), "")
		}
		l.behavior(&r.Behavior, rfs, d)
		if r.Location == "" && r.Behavior.Mode() == "" && len(r.Errors) == 0 {
			l.elemError(d, "required-field", fmt.Sprintf("MCP resource%s has neither `location` nor `call`/`steps`", quoteName(r.Name)), "")
		}
		l.setSink(prev)
		x.MCPResources = append(x.MCPResources, r)
	}
	for _, it := range l.items(fs.get("prompts"), "prompts") {
		if p := l.prompt(it); p != nil {
			x.Prompts = append(x.Prompts, p)
		}
	}
}

func (l *loader) hints(n *yaml.Node) Hints {
	var h Hints
	d := l.optMapping(n, "hints")
	if d == nil {
		return h
	}
	fs := l.fields(d, "`hints`", fieldsHints)
	h.ReadOnly, h.Destructive = l.optBool(fs, "readOnly"), l.optBool(fs, "destructive")
	h.Idempotent, h.OpenWorld = l.optBool(fs, "idempotent"), l.optBool(fs, "openWorld")
	return h
}

func (l *loader) prompt(it item) *Prompt {
	d, pos, ok := l.entry(it, "a prompt")
	if !ok {
		return nil
	}
	p := &Prompt{Pos: pos}
	defer l.setSink(l.setSink(&p.Errors))
	fs := l.named(it, d, &p.Name, "MCP prompt", "prompt", fieldsPrompt)
	if p.Name == "" {
		l.elemError(d, "required-field", "a prompt has no `name`", "")
	}
	p.Label = l.labelOf(fs)
	p.Description = l.text(fs, "description")
	if v := fs.get("location"); v != nil {
		p.Location = strings.TrimSpace(l.str(v, "location"))
	}
	for _, ai := range l.items(fs.get("arguments"), "arguments") {
		ad, _, ok := l.entry(ai, "a prompt argument")
		if !ok {
			continue
		}
		a := &PromptArgument{Pos: l.at(ad)}
		afs := l.named(ai, ad, &a.Name, "prompt argument", "prompt argument", fieldsPromptArg)
		a.Label = l.labelOf(afs)
		a.Description = l.text(afs, "description")
		if v := afs.get("required"); v != nil {
			a.Required, _ = l.boolean(v, "required")
		}
		if a.Name != "" {
			p.Arguments = append(p.Arguments, a)
		}
	}
	if v := deref(fs.get("template")); v != nil && !isNull(v) {
		switch v.Kind {
		case yaml.ScalarNode:
			p.Messages = append(p.Messages, &PromptMessage{Role: "user", Content: v.Value, Pos: l.at(v)})
		case yaml.SequenceNode:
			for _, m := range v.Content {
				m = deref(m)
				if m.Kind == yaml.ScalarNode {
					p.Messages = append(p.Messages, &PromptMessage{Role: "user", Content: m.Value, Pos: l.at(m)})
					continue
				}
				if m.Kind != yaml.MappingNode {
					l.elemError(m, "wrong-kind", fmt.Sprintf("a prompt message must be a mapping, not a %s", kindName(m)), "")
					continue
				}
				mfs := l.fields(m, "prompt message", fieldsPromptMsg)
				msg := &PromptMessage{Role: "user", Pos: l.at(m)}
				if r := mfs.get("role"); r != nil {
					msg.Role = l.keyword(r, "role")
				}
				if msg.Role != "user" && msg.Role != "assistant" {
					rv := cmpNode(mfs.get("role"), m)
					l.elemError(rv, "wrong-kind", fmt.Sprintf("prompt message role %q must be user or assistant", msg.Role), "")
				}
				msg.Content = l.str(mfs.get("content"), "content")
				p.Messages = append(p.Messages, msg)
			}
		default:
			l.elemError(v, "wrong-kind", fmt.Sprintf("`template` must be a list of messages, not a %s", kindName(v)), "")
		}
	}
	if len(p.Messages) == 0 && p.Location == "" {
		l.elemError(d, "required-field", fmt.Sprintf("prompt%s has neither `template` nor `location`", quoteName(p.Name)), "")
	}
	return p
}

// ---------------------------------------------------------------------------
// Aggregates.

// aggregates loads aggregates and their functions.
func (l *loader) aggregates(n *yaml.Node) []*Aggregate {
	return sectionList(l, n, "aggregates", "an aggregate", l.importAggregate, l.aggregate)
}

// aggregate loads one aggregate and its functions.
func (l *loader) aggregate(e *yaml.Node) *Aggregate {
	ag := &Aggregate{Node: e, Pos: l.at(e)}
	fs := fieldsOf(e, fieldsAggregate)
	ag.Label = l.labelOf(fs)
	ag.Namespace = l.text(fs, "namespace")
	ag.Description = l.text(fs, "description")
	l.unknownFields(fs, "aggregate"+quoteName(ag.Namespace))
	var functionsV *yaml.Node
	if f := fs.last("functions", "flows"); f != nil {
		functionsV = f.val
	}
	seen := map[string]*Function{}
	for _, fi := range l.items(functionsV, "functions") {
		if f := l.function(ag, fi); f != nil {
			if first := seen[f.Name]; first != nil && f.Name != "" {
				l.errorInto(&f.Errors, Diagnostic{Pos: f.Pos, Rule: "duplicate-function", Message: fmt.Sprintf("function `%s` is declared twice in aggregate `%s` (first at %s)", f.Name, ag.Namespace, first.Pos), Hint: "rename one of them"})
			} else {
				seen[f.Name] = f
			}
			ag.Functions = append(ag.Functions, f)
		}
	}
	return ag
}

func (l *loader) function(ag *Aggregate, it item) *Function {
	d, pos, ok := l.entry(it, "a function")
	if !ok {
		return nil
	}
	f := &Function{Aggregate: ag, Pos: pos}
	defer l.setSink(l.setSink(&f.Errors))
	fs := l.named(it, d, &f.Name, "aggregate function", "function", fieldsFunction, fieldsBehavior)
	if f.Name == "" {
		l.elemError(d, "required-field", "a function has no `name`", "")
	}
	f.Label = l.labelOf(fs)
	f.Description = l.text(fs, "description")
	if v := l.optMapping(deref(fs.get("semantics")), "semantics"); v != nil {
		sfs := l.fields(v, "`semantics`", fieldsSemantics)
		f.Semantics.Safe, f.Semantics.Idempotent = l.optBool(sfs, "safe"), l.optBool(sfs, "idempotent")
		f.Semantics.Cacheable = l.optBool(sfs, "cacheable")
	}
	f.InputParameters = l.exposedParams(fs.get("inputParameters"), "function")
	l.behavior(&f.Behavior, fs, d)
	if f.Ref != "" {
		l.elemErrorAt(f.RefPos, "call-unresolved", "a function cannot itself have a `ref`", "use `call` or `steps`")
	}
	return f
}

// ---------------------------------------------------------------------------
// Linking: resolve calls, refs, lookup indexes and forward targets once
// the whole document is loaded.

// linker resolves references of the exposes side.
type linker struct {
	l     *loader
	c     *Capability
	ops   *OpIndex
	funcs map[string]*Function
}

// linkExposes resolves every `call`, `ref`, step call, lookup index and
// forward target of c; unresolvable ones are element errors of their
// element (SPEC.md §2.2, §12).
func (l *loader) linkExposes(c *Capability) {
	if len(c.Exposes) == 0 && len(c.Aggregates) == 0 {
		return
	}
	l.linkSkills(c)
	k := &linker{l: l, c: c, ops: NewOpIndex(c), funcs: map[string]*Function{}}
	for _, ag := range c.Aggregates {
		for _, f := range ag.Functions {
			ref := ag.Namespace + "." + f.Name
			if _, dup := k.funcs[ref]; !dup {
				k.funcs[ref] = f
			}
		}
	}
	for _, ag := range c.Aggregates {
		for _, f := range ag.Functions {
			k.behavior(&f.Behavior, f.Name, f.Pos, false)
		}
	}
	for _, x := range c.Exposes {
		for _, r := range x.Resources {
			for _, o := range r.Operations {
				k.behavior(&o.Behavior, o.Name, o.Pos, false)
			}
			if f := r.Forward; f != nil && f.TargetNamespace != "" {
				k.forward(f)
			}
		}
		seen := map[string]*Tool{}
		for _, t := range x.Tools {
			k.behavior(&t.Behavior, t.Name, t.Pos, false)
			if len(t.Name) > 64 {
				l.report(t.Pos, SeverityWarning, "mcp-tool-name-length",
					fmt.Sprintf("tool name `%s` is %d characters long; many MCP clients reject names over 64", t.Name, len(t.Name)), "shorten it")
			}
			if first := seen[t.Name]; first != nil && t.Name != "" {
				k.errorAt(&t.Errors, Diagnostic{Pos: t.Pos, Rule: "duplicate-tool", Message: fmt.Sprintf("tool `%s` is declared twice in MCP adapter `%s` (first at %s); this one is not served", t.Name, x.Namespace, first.Pos), Hint: "rename one of them"})
			} else {
				seen[t.Name] = t
			}
		}
		for _, r := range x.MCPResources {
			k.behavior(&r.Behavior, r.Name, r.Pos, r.Location != "")
		}
	}
}

func (k *linker) errorAt(sink *[]Diagnostic, d Diagnostic) {
	k.l.errorInto(sink, d)
}

// errorInto reports the element error d into sink (and the load's
// diagnostics).
func (l *loader) errorInto(sink *[]Diagnostic, d Diagnostic) {
	prev := l.setSink(sink)
	l.elemErrorAt(d.Pos, d.Rule, d.Message, d.Hint)
	l.setSink(prev)
}

// resolveCall finds the operation a document `call` names: the first
// declaration when several match (with a warning).
func (k *linker) resolveCall(ref string, at Pos, sink *[]Diagnostic) (*OpRef, *Function) {
	cands := k.ops.Match(ref)
	if len(cands) > 0 {
		if len(cands) > 1 {
			k.l.report(at, SeverityWarning, "call-ambiguous",
				fmt.Sprintf("`%s` matches %s; the first is called", ref, strings.Join(FullRefs(cands), ", ")), "name it as namespace.resource.operation")
		}
		r := cands[0]
		return &r, nil
	}
	if f := k.funcs[ref]; f != nil {
		return nil, f
	}
	if d, ok := k.ops.Broken(ref); ok {
		k.errorAt(sink, Diagnostic{Pos: at, Rule: "call-unresolved", Message: fmt.Sprintf("`call: %s` cannot be resolved: %s", ref, d.Message), Hint: d.Hint})
		return nil, nil
	}
	hint := ""
	if s := k.ops.Suggest(ref); s != "" {
		hint = "did you mean `" + s + "`?"
	}
	k.errorAt(sink, Diagnostic{Pos: at, Rule: "call-unresolved", Message: fmt.Sprintf("`call: %s` names no consumed operation", ref), Hint: hint})
	return nil, nil
}

func (k *linker) behavior(b *Behavior, name string, at Pos, static bool) {
	if b.Call != "" && len(b.Steps) == 0 && b.Ref == "" {
		b.Target, b.CallFunction = k.resolveCall(b.Call, b.CallPos, &b.Errors)
	}
	if b.Ref != "" {
		if f := k.funcs[b.Ref]; f != nil {
			b.Function = f
			if len(f.Errors) > 0 {
				d := f.Errors[0]
				k.errorAt(&b.Errors, Diagnostic{Pos: b.RefPos, Rule: "call-unresolved", Message: fmt.Sprintf("`ref: %s` names a function that cannot run: %s", b.Ref, d.Message), Hint: d.Hint})
			}
		} else {
			names := make([]string, 0, len(k.funcs))
			for n := range k.funcs {
				names = append(names, n)
			}
			slices.Sort(names)
			hint := ""
			if s := suggest(b.Ref, names); s != "" {
				hint = "did you mean `" + s + "`?"
			}
			k.errorAt(&b.Errors, Diagnostic{Pos: b.RefPos, Rule: "call-unresolved", Message: fmt.Sprintf("`ref: %s` names no aggregate function", b.Ref), Hint: hint})
		}
	}
	if b.Call == "" && b.Ref == "" {
		var earlier []string
		for _, s := range b.Steps {
			switch s.Type {
			case "call":
				if s.Call != "" {
					var f *Function
					s.Target, f = k.resolveCall(s.Call, s.CallPos, &b.Errors)
					if f != nil {
						k.errorAt(&b.Errors, Diagnostic{Pos: s.CallPos, Rule: "call-unresolved", Message: fmt.Sprintf("step `%s` calls function `%s`; steps call consumed operations", s.Name, s.Call), Hint: ""})
					}
				}
			case "lookup":
				if s.Index != "" && !slices.Contains(earlier, s.Index) {
					hint := ""
					if sg := suggest(s.Index, earlier); sg != "" {
						hint = "did you mean `" + sg + "`?"
					}
					k.errorAt(&b.Errors, Diagnostic{Pos: s.Pos, Rule: "step-invalid", Message: fmt.Sprintf("lookup step `%s` uses index `%s`, which names no earlier step", s.Name, s.Index), Hint: hint})
				}
			}
			earlier = append(earlier, s.Name)
		}
	}
	if b.Mode() == "" && len(b.Errors) == 0 && !static {
		k.errorAt(&b.Errors, Diagnostic{Pos: at, Rule: "required-field", Message: fmt.Sprintf("exposed element%s has no `call`, `steps`, `ref` or static outputs; it cannot run", quoteName(name)), Hint: ""})
	}
}

func (k *linker) forward(f *Forward) {
	for _, a := range k.c.Consumes {
		if a.Namespace == f.TargetNamespace && !a.Shadowed {
			f.Target = a
			return
		}
	}
	names := make([]string, 0, len(k.c.Consumes))
	for _, a := range k.c.Consumes {
		names = append(names, a.Namespace)
	}
	hint := ""
	if s := suggest(f.TargetNamespace, names); s != "" {
		hint = "did you mean `" + s + "`?"
	}
	k.errorAt(&f.Errors, Diagnostic{Pos: f.Pos, Rule: "call-unresolved", Message: fmt.Sprintf("`forward.targetNamespace: %s` names no consumes adapter", f.TargetNamespace), Hint: hint})
}

// observability reads a control adapter's `observability` section: the
// fields naftiko uses (enabled, traces.sampling, traces.propagation,
// exporters.otlp.endpoint); others are left to the schema.
func (l *loader) observability(v *yaml.Node) *Observability {
	o := &Observability{Pos: l.at(v)}
	child := func(n *yaml.Node, name string) *yaml.Node {
		if n = deref(n); n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		mps := pairs(n)
		for i := 0; i+1 < len(mps); i += 2 {
			if k, _ := keyText(mps[i]); k == name {
				return deref(mps[i+1])
			}
		}
		return nil
	}
	if n := child(v, "enabled"); n != nil {
		if on, ok := l.boolean(n, "enabled"); ok && !on {
			o.Disabled = true
		}
	}
	traces := child(v, "traces")
	if n := child(traces, "sampling"); n != nil {
		f, err := strconv.ParseFloat(l.str(n, "sampling"), 64)
		if err != nil || f < 0 || f > 1 {
			l.elemError(n, "scalar-type", fmt.Sprintf("`sampling` must be a number from 0 to 1, not %q", n.Value), "")
		} else {
			o.Sampling = &f
		}
	}
	o.Propagation = l.str(child(traces, "propagation"), "propagation")
	o.Endpoint = l.str(child(child(child(v, "exporters"), "otlp"), "endpoint"), "endpoint")
	return o
}
