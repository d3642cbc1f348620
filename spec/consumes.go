package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// item is one entry of a list of named entries: key is nil in the list
// form, and the entry's name in the (ikanos) map-keyed form.
type item struct {
	key, val *yaml.Node
}

// items returns the entries of a list, or of a mapping keyed by name
// (ikanos; SPEC.md §1.3), in document order. Any other kind is fatal.
func (l *loader) items(n *yaml.Node, field string) []item {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	switch d.Kind {
	case yaml.SequenceNode:
		out := make([]item, len(d.Content))
		for i, c := range d.Content {
			out[i] = item{val: c}
		}
		return out
	case yaml.MappingNode:
		if !l.ikanos && !l.mapFormSeen {
			l.mapFormSeen = true
			l.info(d, "dialect", fmt.Sprintf("`%s` written as a mapping keyed by name (ikanos form) is read as a list", field))
		}
		ps := pairs(d)
		out := make([]item, 0, len(ps)/2)
		for i := 0; i+1 < len(ps); i += 2 {
			out = append(out, item{key: ps[i], val: ps[i+1]})
		}
		return out
	}
	l.fatal(n, "wrong-kind", fmt.Sprintf("`%s` must be a list, not a %s", field, kindName(d)), "")
	return nil
}

// entry returns the mapping of an item; ok is false (after a fatal
// diagnostic) when it is not one. A null value in the map-keyed form is an
// empty entry.
func (l *loader) entry(it item, what string) (*yaml.Node, bool) {
	d := deref(it.val)
	if d != nil && d.Kind == yaml.MappingNode {
		return d, true
	}
	if it.key != nil && isNull(d) {
		return &yaml.Node{Kind: yaml.MappingNode, Line: it.key.Line, Column: it.key.Column}, true
	}
	l.fatal(it.val, "wrong-kind", fmt.Sprintf("%s must be a mapping, not a %s", what, kindName(d)), "")
	return nil, false
}

// itemName returns an entry's name: its key in the map-keyed form (an own
// `name` that differs is an element error), else its `name` field.
func (l *loader) itemName(it item, nameV *yaml.Node, what string) string {
	if it.key == nil {
		return l.str(nameV, "name")
	}
	k, _ := keyText(it.key)
	if nameV != nil {
		if own := l.str(nameV, "name"); own != "" && own != k {
			l.elemError(nameV, "name-mismatch", fmt.Sprintf("%s is keyed `%s` but has `name: %s`", what, k, own),
				"remove `name` or make it equal to the key")
		}
	}
	return k
}

// ---------------------------------------------------------------------------
// Consumes adapters.

func (l *loader) consumesList(n *yaml.Node) []*Adapter {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	if d.Kind != yaml.SequenceNode {
		l.fatal(n, "wrong-kind", fmt.Sprintf("`consumes` must be a list, not a %s", kindName(d)), "")
		return nil
	}
	out := make([]*Adapter, 0, len(d.Content))
	for _, it := range d.Content {
		out = append(out, l.consumesItem(it)...)
	}
	return out
}

// consumesItem loads one consumes entry: an http adapter, an import entry,
// or an entry that is skipped (SPEC.md §2.4 #23).
func (l *loader) consumesItem(n *yaml.Node) []*Adapter {
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		l.fatal(n, "wrong-kind", fmt.Sprintf("a consumes entry must be a mapping, not a %s", kindName(d)), "")
		return nil
	}
	var typeV, importV, fromV, locationV, baseV, refV, resV, nsV *yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		key, _ := keyText(ps[i])
		v := ps[i+1]
		switch key {
		case "type":
			typeV = v
		case "import":
			importV = v
		case "from":
			fromV = v
		case "location":
			locationV = v
		case "baseUri":
			baseV = v
		case "ref":
			refV = v
		case "resources":
			resV = v
		case "namespace":
			nsV = v
		}
	}
	if importV != nil || fromV != nil || (locationV != nil && baseV == nil && resV == nil && typeV == nil) {
		return l.importEntry(d)
	}
	ns := ""
	if nsV != nil {
		if nd := deref(nsV); nd.Kind == yaml.ScalarNode {
			ns = nd.Value
		}
	}
	typ := ""
	if typeV != nil {
		typ = l.str(typeV, "type")
	}
	switch lt := strings.ToLower(strings.TrimSpace(typ)); {
	case lt == "http":
		if typ != "http" {
			l.info(typeV, "dialect", fmt.Sprintf("consumes type %q is read as `http`", typ))
		}
	case lt == "mcp":
		l.warn(typeV, "unsupported-feature", fmt.Sprintf("consumes adapters of type `mcp` are not supported; `%s` is skipped", ns), "")
		return nil
	case lt != "":
		l.warn(typeV, "consumes-skipped", fmt.Sprintf("consumes entry `%s` has type `%s`, which naftiko cannot call; it is skipped", ns, typ), "")
		return nil
	case baseV != nil:
		l.info(d, "dialect", fmt.Sprintf("consumes entry `%s` has no `type`; with a `baseUri` it is read as `http`", ns))
	case refV != nil:
		l.warn(refV, "consumes-skipped", fmt.Sprintf("consumes entry `%s` has a `ref` and no `type` or `baseUri`; it is skipped", ns), "")
		return nil
	case resV != nil:
		l.info(d, "dialect", fmt.Sprintf("consumes entry `%s` has no `type`; with `resources` it is read as `http`", ns))
	default:
		l.warn(d, "consumes-skipped", fmt.Sprintf("consumes entry `%s` has no `type` and no `baseUri`; it is skipped", ns), "")
		return nil
	}
	return []*Adapter{l.adapter(d)}
}

// adapter loads an http consumes adapter.
func (l *loader) adapter(d *yaml.Node) *Adapter {
	a := &Adapter{Type: "http", Pos: l.at(d)}
	defer l.setSink(l.setSink(&a.Errors))
	var baseV, authV, authK, authenticationV, resV, paramsV, headersV *yaml.Node
	var unknown []*yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		k, v := ps[i], ps[i+1]
		key, _ := keyText(k)
		switch key {
		case "type":
		case "namespace":
			a.Namespace = l.str(v, "namespace")
		case "description":
			a.Description = l.str(v, "description")
		case "baseUri":
			baseV = v
		case "inputParameters":
			paramsV = v
		case "authentication":
			authenticationV = v
		case "auth":
			authK, authV = k, v
		case "resources":
			resV = v
		case "headers":
			headersV = v
		case "label", "display":
			// documentation only
		case "maxBinarySize":
			a.MaxResponseSize = l.binarySize(v)
		case "tunnel", "ref":
			l.warn(k, "unsupported-feature", fmt.Sprintf("`%s` on a consumes adapter is not supported and is ignored", key), "")
		default:
			unknown = append(unknown, k)
		}
	}
	where := "consumes adapter `" + a.Namespace + "`"
	for _, k := range unknown {
		l.unknownField(k, where, fieldsAdapter)
	}
	if a.Namespace == "" {
		l.warn(d, "required-field", "consumes adapter has no `namespace`; its operations can be called only by their own names", "")
	} else {
		l.checkName(d, a.Namespace, kebabName)
	}
	l.baseURI(a, d, baseV)
	a.Auth = l.authPair(authenticationV, authK, authV, false)
	a.Headers = l.headers(headersV)
	a.InputParameters = l.params(paramsV, nil)
	l.resources(a, resV)
	return a
}

// baseURI loads `baseUri` (SPEC.md §2.4 #7–9).
func (l *loader) baseURI(a *Adapter, d, v *yaml.Node) {
	s := ""
	if v != nil {
		s = l.str(v, "baseUri")
	}
	if strings.TrimSpace(s) == "" {
		at := v
		if at == nil || deref(at).Line == 0 {
			at = d
		}
		l.warn(at, "baseuri-empty", fmt.Sprintf("consumes adapter `%s` has no baseUri; calls need --base-uri", a.Namespace), "")
		return
	}
	if t := strings.TrimRight(s, "/"); t != s && !strings.HasSuffix(t, ":") && t != "" {
		l.warn(v, "baseuri-trailing-slash", fmt.Sprintf("baseUri %q ends with `/`; the trailing slash is removed", s), "")
		s = t
	}
	a.BaseURI = l.templateText(deref(v), s, URLTemplate)
	if _, whole := a.BaseURI.Whole(); whole {
		return
	}
	host, ok := uriHost(s)
	if !ok {
		l.warn(v, "baseuri-not-absolute", fmt.Sprintf("baseUri %q is not an absolute http or https URL", s),
			"write it as https://host/path, or pass --base-uri")
		return
	}
	host = strings.ToLower(host)
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	if host == "example.com" || strings.HasSuffix(host, ".example.com") {
		l.warn(v, "baseuri-example", fmt.Sprintf("baseUri %q points at example.com, a placeholder host", s),
			"pass the real address with --base-uri")
	}
}

// uriHost returns the host of an absolute http(s) URL.
func uriHost(s string) (string, bool) {
	ls := strings.ToLower(s)
	var rest string
	switch {
	case strings.HasPrefix(ls, "https://"):
		rest = s[len("https://"):]
	case strings.HasPrefix(ls, "http://"):
		rest = s[len("http://"):]
	default:
		return "", false
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return rest, rest != ""
}

func (l *loader) resources(a *Adapter, n *yaml.Node) {
	its := l.items(n, "resources")
	if len(its) == 0 {
		return
	}
	a.Resources = make([]*Resource, 0, len(its))
	for _, it := range its {
		if r := l.resource(a, it); r != nil {
			a.Resources = append(a.Resources, r)
		}
	}
	l.duplicateOps(a)
}

type opSeen struct {
	res *Resource
	op  *Operation
}

// duplicateOps warns about operation names repeated within a namespace;
// the second of one name in the same resource is shadowed (SPEC.md §6.1).
func (l *loader) duplicateOps(a *Adapter) {
	n := 0
	for _, r := range a.Resources {
		n += len(r.Operations)
	}
	if n < 2 {
		return
	}
	seen := make(map[string]opSeen, n)
	for _, r := range a.Resources {
		for _, o := range r.Operations {
			first, dup := seen[o.Name]
			if !dup {
				seen[o.Name] = opSeen{r, o}
				continue
			}
			msg := fmt.Sprintf("operation name `%s` is declared more than once in namespace `%s` (first at %s)", o.Name, a.Namespace, first.op.Pos)
			hint := "call it as namespace.resource.operation"
			if first.res == r {
				o.Shadowed = true
				msg += "; this one is never called"
				hint = "rename one of them"
			}
			l.report(o.Pos, SeverityWarning, "duplicate-operation-name", msg, hint)
		}
	}
}

func (l *loader) resource(a *Adapter, it item) *Resource {
	d, ok := l.entry(it, "a resource")
	if !ok {
		return nil
	}
	r := &Resource{Pos: l.at(d)}
	if it.key != nil {
		r.Pos = l.at(it.key)
	}
	var resErrs []Diagnostic
	defer l.setSink(l.setSink(&resErrs))
	var nameV, pathV, paramsV, opsV, headersV *yaml.Node
	var unknown []*yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		k, v := ps[i], ps[i+1]
		key, _ := keyText(k)
		switch key {
		case "name":
			nameV = v
		case "label", "display":
			if r.Label == "" {
				r.Label = l.str(v, key)
			}
		case "description":
			r.Description = l.str(v, "description")
		case "path":
			pathV = v
		case "inputParameters":
			paramsV = v
		case "operations":
			opsV = v
		case "headers":
			headersV = v
		case "tags":
		default:
			unknown = append(unknown, k)
		}
	}
	r.Name = l.itemName(it, nameV, "resource")
	for _, k := range unknown {
		l.unknownField(k, "resource `"+r.Name+"`", fieldsResource)
	}
	if pathV == nil {
		l.warn(d, "required-field", fmt.Sprintf("resource `%s` has no `path`", r.Name), "")
		r.PathTmpl = &Template{Pos: r.Pos}
	} else {
		r.Path, r.PathTmpl = l.urlPath(pathV, true)
	}
	if r.Name == "" {
		r.Name = nameFromPath(r.Path)
		l.warn(d, "required-field", fmt.Sprintf("resource has no `name`; it is called `%s` after its path", r.Name), "")
	}
	if nameV != nil || it.key != nil {
		l.checkName(cmpNode(it.key, nameV), r.Name, kebabName)
	}
	r.Headers = l.headers(headersV)
	r.InputParameters = l.params(paramsV, []*Template{r.PathTmpl})
	ops := l.items(opsV, "operations")
	r.Operations = make([]*Operation, 0, len(ops))
	var implicit []string
	for _, oi := range ops {
		if o := l.operation(r, oi); o != nil {
			implicit = l.implicitPathParams(a, r, o, implicit)
			r.Operations = append(r.Operations, o)
		}
	}
	if len(resErrs) > 0 {
		for _, o := range r.Operations {
			o.Errors = append(slices.Clone(resErrs), o.Errors...)
		}
	}
	return r
}

// nameFromPath derives a resource name from its path: "/users/{id}" →
// "users-id".
func nameFromPath(p string) string {
	var b strings.Builder
	dash := false
	for _, r := range p {
		switch {
		case r == '{' || r == '}':
		case r == '/' || r == '?' || r == '&' || r == '=':
			dash = b.Len() > 0
		default:
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "root"
	}
	return b.String()
}

// urlPath loads a resource or operation path as a URL template. A
// resource path without a leading "/" gets one (SPEC.md §2.4 #12).
func (l *loader) urlPath(v *yaml.Node, resource bool) (string, *Template) {
	s := l.str(v, "path")
	t := l.template(v, "path", URLTemplate)
	if resource && s != "" && s[0] != '/' {
		l.info(v, "dialect", fmt.Sprintf("resource path %q does not start with `/`; one is added", s))
		s = "/" + s
		t.Src = s
		if len(t.Parts) > 0 && t.Parts[0].Name == "" {
			t.Parts[0].Lit = "/" + t.Parts[0].Lit
		} else {
			t.Parts = append([]Part{{Lit: "/"}}, t.Parts...)
		}
	}
	if strings.IndexByte(s, '?') >= 0 {
		l.warn(v, "consumed-path-query", fmt.Sprintf("path %q contains a query string; it is kept and parameters are appended with `&`", s), "")
	}
	return s, t
}

var stdMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

var knownFormats = []string{"json", "xml", "yaml", "csv", "tsv", "psv", "html", "markdown", "text", "binary"}

func (l *loader) operation(r *Resource, it item) *Operation {
	d, ok := l.entry(it, "an operation")
	if !ok {
		return nil
	}
	o := &Operation{Pos: l.at(d), OutputRawFormat: "json", Method: "GET"}
	if it.key != nil {
		o.Pos = l.at(it.key)
	}
	defer l.setSink(l.setSink(&o.Errors))
	var nameV, idV, idK, methodV, pathV, pathK, paramsV, outV, bodyV, authV, authK, authenticationV, headersV, formatV *yaml.Node
	var unknown []*yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		k, v := ps[i], ps[i+1]
		key, _ := keyText(k)
		switch key {
		case "name":
			nameV = v
		case "id":
			idK, idV = k, v
		case "label", "display":
			if o.Label == "" {
				o.Label = l.str(v, key)
			}
		case "description":
			o.Description = l.str(v, "description")
		case "method":
			methodV = v
		case "path":
			pathK, pathV = k, v
		case "inputParameters":
			paramsV = v
		case "outputRawFormat":
			formatV = v
		case "outputSchema":
			o.OutputSchema = l.str(v, "outputSchema")
		case "outputParameters":
			outV = v
		case "body":
			bodyV = v
		case "authentication":
			authenticationV = v
		case "auth":
			authK, authV = k, v
		case "headers":
			headersV = v
		case "maxBinarySize":
			o.MaxResponseSize = l.binarySize(v)
		case "tags", "mappings", "outputMediaType":
		default:
			unknown = append(unknown, k)
		}
	}

	if methodV != nil {
		m := strings.TrimSpace(l.str(methodV, "method"))
		if m != "" {
			o.Method = strings.ToUpper(m)
			if !isToken(m) {
				l.elemError(methodV, "method-invalid", fmt.Sprintf("method %q is not a valid HTTP method token", m), "")
			} else if !slices.Contains(stdMethods, o.Method) {
				l.warn(methodV, "method-unknown", fmt.Sprintf("method `%s` is not one of %s", o.Method, strings.Join(stdMethods, ", ")), "")
			}
		}
	}

	o.Name = l.itemName(it, nameV, "operation")
	if idV != nil {
		id := l.str(idV, "id")
		if o.Name == "" && id != "" {
			o.Name = id
			l.info(idK, "dialect", fmt.Sprintf("operation `id` %q is read as its name", id))
		}
	}
	if o.Name == "" {
		o.Name = strings.ToLower(o.Method) + "-" + r.Name
		l.warn(d, "operation-name-missing", fmt.Sprintf("operation has no `name` or `id`; it is called `%s`", o.Name), "")
	} else {
		l.checkName(cmpNode(it.key, cmpNode(nameV, idV)), o.Name, kebabName)
	}
	for _, k := range unknown {
		l.unknownField(k, "operation `"+o.Name+"`", fieldsOperation)
	}

	if pathV != nil {
		o.Path, o.PathTmpl = l.urlPath(pathV, false)
		l.info(pathK, "dialect", fmt.Sprintf("operation path %q is appended to the resource path", o.Path))
	} else {
		o.PathTmpl = &Template{Pos: o.Pos}
	}
	if formatV != nil {
		f := strings.ToLower(strings.TrimSpace(l.str(formatV, "outputRawFormat")))
		if f != "" {
			o.OutputRawFormat = f
			if !slices.Contains(knownFormats, f) {
				l.warn(formatV, "output-format-unsupported",
					fmt.Sprintf("outputRawFormat `%s` is not supported; calls of `%s` fail when decoding the response", f, o.Name), "")
			}
		}
	}
	o.Headers = l.headers(headersV)
	o.InputParameters = l.params(paramsV, []*Template{r.PathTmpl, o.PathTmpl})
	o.OutputParameters = l.outputs(outV)
	o.Body = l.body(bodyV)
	o.Auth = l.authPair(authenticationV, authK, authV, false)
	return o
}

// isToken reports whether s is an HTTP token (RFC 9110).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------
// Parameters.

var knownIns = []string{"query", "header", "path", "cookie", "body", "environment"}

// params loads an inputParameters list. paths are the URL templates whose
// placeholders decide the `in` of parameters that have none.
func (l *loader) params(n *yaml.Node, paths []*Template) []*Param {
	its := l.items(n, "inputParameters")
	if len(its) == 0 {
		return nil
	}
	out := make([]*Param, 0, len(its))
	for _, it := range its {
		if p := l.param(it, paths); p != nil {
			out = append(out, p)
		}
	}
	return out
}

func (l *loader) param(it item, paths []*Template) *Param {
	d, ok := l.entry(it, "an input parameter")
	if !ok {
		return nil
	}
	p := &Param{Pos: l.at(d)}
	if it.key != nil {
		p.Pos = l.at(it.key)
	}
	var nameV, inV, valueV, requiredV, defaultV *yaml.Node
	var unknown []*yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		k, v := ps[i], ps[i+1]
		key, _ := keyText(k)
		switch key {
		case "name":
			nameV = v
		case "in":
			inV = v
		case "value":
			valueV = v
		case "type":
			p.Type = strings.ToLower(strings.TrimSpace(l.str(v, "type")))
		case "required":
			requiredV = v
		case "description":
			p.Description = l.str(v, "description")
		case "default":
			defaultV = v
		default:
			unknown = append(unknown, k)
		}
	}
	p.Name = l.itemName(it, nameV, "input parameter")
	if p.Name == "" {
		at := nameV
		if at == nil {
			at = d
		}
		l.warn(at, "param-name-empty", "an input parameter with an empty name is dropped", "")
		return nil
	}
	for _, k := range unknown {
		l.unknownField(k, "input parameter `"+p.Name+"`", fieldsParam)
	}
	l.checkName(cmpNode(it.key, nameV), p.Name, extendedName)
	if inV != nil {
		p.In = strings.ToLower(strings.TrimSpace(l.str(inV, "in")))
		if p.In != "" && !slices.Contains(knownIns, p.In) {
			l.warn(inV, "param-in-unknown", fmt.Sprintf("input parameter `%s` has an unknown `in: %s`", p.Name, p.In),
				"use one of "+strings.Join(knownIns, ", "))
		}
	}
	if p.In == "" {
		at := inV
		if at == nil {
			at = d
		}
		if hasPlaceholder(p.Name, paths) {
			p.In = "path"
			l.warn(at, "param-in-missing", fmt.Sprintf("input parameter `%s` has no `in`; `path` is used because the path has a {%s} placeholder", p.Name, p.Name),
				"add `in: path`")
		} else {
			p.In = "query"
			l.warn(at, "param-in-missing", fmt.Sprintf("input parameter `%s` has no `in`; `query` is used", p.Name), "add `in: query`")
		}
	}
	if requiredV != nil {
		p.Required, _ = l.boolean(requiredV, "required")
	}
	if p.In == "path" {
		p.Required = true
	}
	if valueV != nil && !isNull(deref(valueV)) {
		p.Value = l.data(valueV, true)
		if p.Value.Kind == DataMap || p.Value.Kind == DataList {
			l.info(valueV, "dialect", fmt.Sprintf("structured `value` of parameter `%s`: every string leaf is a template", p.Name))
		}
	}
	if defaultV != nil && !isNull(deref(defaultV)) {
		p.Default = l.data(defaultV, false)
	}
	return p
}

// hasPlaceholder reports whether one of ts has a placeholder named name.
func hasPlaceholder(name string, ts []*Template) bool {
	for _, t := range ts {
		if t == nil {
			continue
		}
		for _, p := range t.Parts {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Outputs.

func (l *loader) outputs(n *yaml.Node) []*Output {
	its := l.items(n, "outputParameters")
	if len(its) == 0 {
		return nil
	}
	out := make([]*Output, 0, len(its))
	for _, it := range its {
		if o := l.output(it); o != nil {
			out = append(out, o)
		}
	}
	if len(out) > 1 {
		for i, o := range out {
			if o.Name == "" {
				o.Name = "output" + strconv.Itoa(i+1)
				l.report(o.Pos, SeverityWarning, "output-unnamed",
					fmt.Sprintf("an output parameter without a name is called `%s`", o.Name), "give every output a `name`")
			}
		}
	}
	return out
}

func (l *loader) output(it item) *Output {
	d, ok := l.entry(it, "an output parameter")
	if !ok {
		return nil
	}
	o := &Output{Pos: l.at(d)}
	if it.key != nil {
		o.Pos = l.at(it.key)
	}
	var nameV, valueV *yaml.Node
	var unknown []*yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		k, v := ps[i], ps[i+1]
		key, _ := keyText(k)
		switch key {
		case "name":
			nameV = v
		case "type":
			o.Type = strings.ToLower(strings.TrimSpace(l.str(v, "type")))
		case "value":
			valueV = v
		case "description":
		default:
			unknown = append(unknown, k)
		}
	}
	o.Name = l.itemName(it, nameV, "output parameter")
	for _, k := range unknown {
		l.unknownField(k, "output parameter `"+o.Name+"`", fieldsOutput)
	}
	if valueV == nil {
		l.warn(d, "required-field", fmt.Sprintf("output parameter `%s` has no `value`; the whole response is used", o.Name), "add `value: $.`")
		o.Path, _ = CompilePath("$", o.Pos)
		return o
	}
	o.Path = l.jsonPath(valueV, "value")
	return o
}

// jsonPath compiles a JSONPath held by scalar v; a failure is an element
// error (output-jsonpath-invalid) and yields nil.
func (l *loader) jsonPath(v *yaml.Node, field string) *Path {
	s := l.str(v, field)
	d := deref(v)
	start, _ := l.valueStart(d)
	p, err := CompilePath(s, start)
	if err == nil {
		return p
	}
	at := start
	if off := jsonPathErrOffset(err.Error(), s); off >= 0 {
		at = l.offsetPos(d, off)
	}
	l.elemErrorAt(at, "output-jsonpath-invalid", err.Error(), "")
	return nil
}

// jsonPathErrOffset finds the byte offset that an ojg parse error ("… at N
// in EXPR") points to inside src, or -1 when it cannot be mapped back.
func jsonPathErrOffset(msg, src string) int {
	i := strings.LastIndex(msg, " in ")
	if i < 0 || msg[i+4:] != src || strings.TrimSpace(src) != src {
		return -1
	}
	j := strings.LastIndex(msg[:i], " at ")
	if j < 0 {
		return -1
	}
	n, err := strconv.Atoi(msg[j+4 : i])
	if err != nil {
		return -1
	}
	return max(0, min(n-1, len(src)))
}

// ---------------------------------------------------------------------------
// Bodies and data.

// bodyTypes maps lower-cased body type spellings to the internal names;
// dialect spellings report an info.
var bodyTypes = map[string]struct {
	name    string
	dialect bool
}{
	"json":           {"json", false},
	"text":           {"text", false},
	"xml":            {"xml", false},
	"sparql":         {"sparql", false},
	"formurlencoded": {"formUrlEncoded", false},
	"multipartform":  {"multipartForm", false},
	"form":           {"formUrlEncoded", true},
	"multipart":      {"multipartForm", true},
	"binary":         {"binary", true},
}

func (l *loader) body(n *yaml.Node) *Body {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	b := &Body{Pos: l.at(d)}
	switch d.Kind {
	case yaml.ScalarNode:
		b.Data = l.stringData(d)
		return b
	case yaml.SequenceNode:
		b.Type = "json"
		b.Data = l.data(d, true)
		l.info(d, "dialect", "a list `body` is sent as JSON")
		return b
	}
	var typeV, dataV *yaml.Node
	ps := pairs(d)
	for i := 0; i+1 < len(ps); i += 2 {
		switch key, _ := keyText(ps[i]); key {
		case "type":
			typeV = ps[i+1]
		case "data":
			dataV = ps[i+1]
		}
	}
	if typeV == nil && dataV == nil {
		b.Type = "json"
		b.Data = l.data(d, true)
		l.info(d, "dialect", "a `body` mapping without `type` and `data` is sent as JSON")
		return b
	}
	for i := 0; i+1 < len(ps); i += 2 {
		if key, _ := keyText(ps[i]); key != "type" && key != "data" {
			l.unknownField(ps[i], "`body`", fieldsBody)
		}
	}
	if typeV == nil {
		b.Type = "json"
		l.info(d, "dialect", "a `body` without `type` is sent as JSON")
	} else {
		t := strings.TrimSpace(l.str(typeV, "type"))
		bt, ok := bodyTypes[strings.ToLower(t)]
		switch {
		case !ok:
			b.Type = t
			l.warn(typeV, "body-type-unknown", fmt.Sprintf("unknown body type `%s`", t),
				"use json, text, xml, sparql, formUrlEncoded, multipartForm or binary")
		default:
			b.Type = bt.name
			if bt.dialect {
				l.info(typeV, "dialect", fmt.Sprintf("body type `%s` is read as `%s`", t, bt.name))
			}
		}
	}
	if dataV != nil && !isNull(deref(dataV)) {
		b.Data = l.data(dataV, true)
	} else {
		l.info(d, "dialect", fmt.Sprintf("`body: {type: %s}` has no `data`; the body is built from the `in: body` parameters", b.Type))
	}
	return b
}

// stringData returns scalar n as a string Data whose template is parsed.
func (l *loader) stringData(n *yaml.Node) *Data {
	return &Data{Kind: DataString, Text: n.Value, Tmpl: l.template(n, "body", TextTemplate), Pos: l.at(n)}
}

// data converts a YAML value to a Data tree. With tmpl, string leaves are
// parsed as templates.
func (l *loader) data(n *yaml.Node, tmpl bool) *Data {
	d := deref(n)
	out := &Data{Pos: l.at(d)}
	switch d.Kind {
	case yaml.ScalarNode:
		switch tag := tagOf(d); {
		case tag == tagNull && !isQuoted(d):
			out.Kind = DataNull
		case tag == tagBool:
			out.Kind, out.Text = DataBool, strings.ToLower(d.Value)
			if out.Text != "true" && out.Text != "false" {
				out.Kind, out.Text = DataString, d.Value
			}
		case tag == tagInt || tag == tagFloat:
			if t, ok := numberText(d); ok {
				out.Kind, out.Text = DataNumber, t
			} else {
				out.Kind, out.Text = DataString, d.Value
			}
		default:
			out.Kind, out.Text = DataString, d.Value
		}
		if out.Kind == DataString && tmpl {
			out.Tmpl = l.template(d, "value", TextTemplate)
		}
	case yaml.MappingNode:
		out.Kind = DataMap
		ps := pairs(d)
		out.Keys = make([]string, 0, len(ps)/2)
		out.Vals = make([]*Data, 0, len(ps)/2)
		for i := 0; i+1 < len(ps); i += 2 {
			k, ok := keyText(ps[i])
			if !ok {
				l.warn(ps[i], "wrong-kind", fmt.Sprintf("a %s key in structured data is ignored", kindName(ps[i])), "")
				continue
			}
			out.Keys = append(out.Keys, k)
			out.Vals = append(out.Vals, l.data(ps[i+1], tmpl))
		}
	case yaml.SequenceNode:
		out.Kind = DataList
		out.Items = make([]*Data, len(d.Content))
		for i, c := range d.Content {
			out.Items[i] = l.data(c, tmpl)
		}
	default:
		out.Kind = DataNull
	}
	return out
}

// ---------------------------------------------------------------------------
// Headers and templates.

// headers loads a headers mapping ({Name: value}) or list ([{name, value}]
// or ["Name: value"]).
func (l *loader) headers(n *yaml.Node) []*Header {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	switch d.Kind {
	case yaml.MappingNode:
		ps := pairs(d)
		out := make([]*Header, 0, len(ps)/2)
		for i := 0; i+1 < len(ps); i += 2 {
			name, ok := keyText(ps[i])
			if !ok || name == "" {
				l.elemError(ps[i], "wrong-kind", "a header name must be a non-empty string", "")
				continue
			}
			out = append(out, &Header{Name: name, Value: l.template(ps[i+1], name, TextTemplate), Pos: l.at(ps[i])})
		}
		return out
	case yaml.SequenceNode:
		out := make([]*Header, 0, len(d.Content))
		for _, it := range d.Content {
			e := deref(it)
			switch e.Kind {
			case yaml.MappingNode:
				h := &Header{Pos: l.at(e)}
				var valueV *yaml.Node
				ps := pairs(e)
				for i := 0; i+1 < len(ps); i += 2 {
					switch key, _ := keyText(ps[i]); key {
					case "name":
						h.Name = l.str(ps[i+1], "name")
					case "value":
						valueV = ps[i+1]
					default:
						l.unknownField(ps[i], "a header", fieldsHeader)
					}
				}
				if h.Name == "" {
					l.elemError(e, "required-field", "a header has no `name`", "")
					continue
				}
				if valueV != nil {
					h.Value = l.template(valueV, "value", TextTemplate)
				} else {
					h.Value = &Template{Pos: h.Pos}
				}
				out = append(out, h)
			case yaml.ScalarNode:
				colon := strings.IndexByte(e.Value, ':')
				name := ""
				if colon > 0 {
					name = strings.TrimSpace(e.Value[:colon])
				}
				if name == "" {
					l.elemError(e, "wrong-kind", fmt.Sprintf("header %q is not written `Name: value`", e.Value), "")
					continue
				}
				rest := e.Value[colon+1:]
				value := strings.TrimLeft(rest, " \t")
				lead := colon + 1 + len(rest) - len(value)
				value = strings.TrimRight(value, " \t")
				start, exact := l.valueStart(e)
				if exact {
					start = l.offsetPos(e, lead)
				}
				t, diags := ParseTemplate(value, start, exact, TextTemplate)
				t.Pos = l.at(e)
				l.templateDiags(diags)
				out = append(out, &Header{Name: name, Value: t, Pos: l.at(e)})
			default:
				l.elemError(it, "wrong-kind", fmt.Sprintf("a header must be a mapping or a `Name: value` string, not a %s", kindName(e)), "")
			}
		}
		return out
	}
	l.elemError(n, "wrong-kind", fmt.Sprintf("`headers` must be a mapping or a list, not a %s", kindName(d)), "")
	return nil
}

// template parses scalar v as a template, with exact placeholder positions
// where SPEC.md §2.1 allows them.
func (l *loader) template(v *yaml.Node, field string, mode TemplateMode) *Template {
	d := deref(v)
	return l.templateText(d, l.str(d, field), mode)
}

// templateText parses s, the text (possibly trimmed at its end) of scalar
// d, as a template.
func (l *loader) templateText(d *yaml.Node, s string, mode TemplateMode) *Template {
	pos := l.at(d)
	start, exact := pos, false
	if d != nil && strings.IndexByte(s, '{') >= 0 {
		start, exact = l.valueStart(d)
	}
	t, diags := ParseTemplate(s, start, exact, mode)
	t.Pos = pos
	l.templateDiags(diags)
	return t
}

func (l *loader) templateDiags(diags []Diagnostic) {
	for _, dg := range diags {
		if dg.Severity <= SeverityError {
			l.elemErrorAt(dg.Pos, dg.Rule, dg.Message, dg.Hint)
		} else {
			l.report(dg.Pos, dg.Severity, dg.Rule, dg.Message, dg.Hint)
		}
	}
}

// binarySize reads a size: a number of bytes, or a number with a unit B,
// KiB, MiB or GiB (ikanos maxBinarySize).
func (l *loader) binarySize(v *yaml.Node) int64 {
	d := deref(v)
	if d == nil || isNull(d) {
		return 0
	}
	s := strings.TrimSpace(l.str(d, "maxBinarySize"))
	if s == "" {
		return 0
	}
	num, mult := s, float64(1)
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f > 0) || f*mult > 1<<62 || strings.ContainsAny(num, "eExXpP_") {
		l.elemError(d, "scalar-type", fmt.Sprintf("`maxBinarySize` must be a size such as 512KiB, 10MiB or 1GiB, not %q", s), "")
		return 0
	}
	return int64(f * mult)
}

// implicitPathParams reports (info) path placeholders that no parameter of
// the operation's levels declares and that name no bound variable: the
// engine adds them as required string path parameters (SPEC.md §2.4 #32).
// A resource path placeholder is reported once per resource; done lists
// those already reported and is returned updated.
func (l *loader) implicitPathParams(a *Adapter, r *Resource, o *Operation, done []string) []string {
	for i, t := range [2]*Template{r.PathTmpl, o.PathTmpl} {
		for _, p := range t.Parts {
			if p.Name == "" || strings.IndexByte(p.Name, '.') >= 0 || l.bindVars[p.Name] ||
				declared(p.Name, a.InputParameters, r.InputParameters, o.InputParameters) {
				continue
			}
			if i == 0 {
				if slices.Contains(done, p.Name) {
					continue
				}
				done = append(done, p.Name)
			}
			l.report(p.Pos, SeverityInfo, "dialect",
				fmt.Sprintf("path placeholder `%s` has no declared parameter; it is a required string path parameter", p.Name), "")
		}
	}
	return done
}

func declared(name string, levels ...[]*Param) bool {
	for _, ps := range levels {
		for _, p := range ps {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

// Identifier patterns of the published schema (SPEC.md §2.4 #5).
const (
	kebabName    = iota // ^[a-zA-Z0-9-]+$: namespaces, resources, operations
	extendedName        // ^[a-zA-Z0-9-_*]+$: parameters
	bindVarName         // ^[A-Z][A-Z0-9_]*$: bound variables
)

// checkName reports (info) a name outside its schema pattern; it is
// accepted verbatim.
func (l *loader) checkName(at *yaml.Node, name string, kind int) {
	ok := name != ""
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		switch kind {
		case kebabName:
			ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
		case extendedName:
			ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '*'
		default:
			ok = c >= 'A' && c <= 'Z' || i > 0 && (c >= '0' && c <= '9' || c == '_')
		}
	}
	if !ok {
		l.info(at, "dialect", fmt.Sprintf("name `%s` is outside the schema's identifier pattern; it is accepted as written", name))
	}
}
