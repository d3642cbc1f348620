package spec

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
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
// empty entry. pos is the entry's position: its key's in the map-keyed
// form.
func (l *loader) entry(it item, what string) (d *yaml.Node, pos Pos, ok bool) {
	d = deref(it.val)
	switch {
	case d != nil && d.Kind == yaml.MappingNode:
	case it.key != nil && isNull(d):
		d = &yaml.Node{Kind: yaml.MappingNode, Line: it.key.Line, Column: it.key.Column}
	default:
		l.fatal(it.val, "wrong-kind", fmt.Sprintf("%s must be a mapping, not a %s", what, kindName(d)), "")
		return nil, Pos{}, false
	}
	if it.key != nil {
		return d, l.at(it.key), true
	}
	return d, l.at(d), true
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

// sequence returns the entries of a top-level list field: nil for an
// absent or null field, and nil after a fatal diagnostic when it is not a
// list.
func (l *loader) sequence(n *yaml.Node, field string) []*yaml.Node {
	if d := l.optional(n, field, yaml.SequenceNode, true); d != nil {
		return d.Content
	}
	return nil
}

// ---------------------------------------------------------------------------
// Consumes adapters.

func (l *loader) consumesList(n *yaml.Node) []*Adapter {
	seq := l.sequence(n, "consumes")
	out := make([]*Adapter, 0, len(seq))
	for _, it := range seq {
		out = append(out, l.consumesItem(it)...)
	}
	return out
}

// consumesItem loads one consumes entry: an http adapter, an import entry,
// or an entry that is skipped (SPEC.md §2.4 #23).
// consumesHTTP decides whether a consumes entry is an HTTP adapter naftiko
// calls, from its type or, without one, its baseUri or resources; it
// reports the dialect forms and the skipped entries.
func (l *loader) consumesHTTP(d, typeV, baseV, refV, resV *yaml.Node, ns string) bool {
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
		l.warn(typeV, "unsupported-feature", fmt.Sprintf("consumes adapters of type `mcp` are not supported; entry%s is skipped", quoteName(ns)), "")
		return false
	case lt != "":
		l.warn(typeV, "consumes-skipped", fmt.Sprintf("consumes entry%s has type `%s`, which naftiko cannot call; it is skipped", quoteName(ns), typ), "")
		return false
	case baseV != nil:
		l.info(d, "dialect", fmt.Sprintf("consumes entry%s has no `type`; with a `baseUri` it is read as `http`", quoteName(ns)))
	case refV != nil:
		l.warn(refV, "consumes-skipped", fmt.Sprintf("consumes entry%s has a `ref` and no `type` or `baseUri`; it is skipped", quoteName(ns)), "")
		return false
	case resV != nil:
		l.info(d, "dialect", fmt.Sprintf("consumes entry%s has no `type`; with `resources` it is read as `http`", quoteName(ns)))
	default:
		l.warn(d, "consumes-skipped", fmt.Sprintf("consumes entry%s has no `type` and no `baseUri`; it is skipped", quoteName(ns)), "")
		return false
	}
	return true
}

// consumesItemKeys are the keys that tell an import entry from an
// adapter, and the kind of adapter.
var consumesItemKeys = []string{"type", "import", "from", "location", "baseUri", "ref", "resources", "namespace"}

func (l *loader) consumesItem(n *yaml.Node) []*Adapter {
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		l.fatal(n, "wrong-kind", fmt.Sprintf("a consumes entry must be a mapping, not a %s", kindName(d)), "")
		return nil
	}
	fs := fieldsOf(d, consumesItemKeys)
	typeV, baseV, resV := fs.get("type"), fs.get("baseUri"), fs.get("resources")
	if fs.has("import") || fs.has("from") || (fs.has("location") && baseV == nil && resV == nil && typeV == nil) {
		return l.importEntry(d)
	}
	ns := ""
	if nd := deref(fs.get("namespace")); nd != nil && nd.Kind == yaml.ScalarNode {
		ns = nd.Value
	}
	if !l.consumesHTTP(d, typeV, baseV, fs.get("ref"), resV, ns) {
		return nil
	}
	return []*Adapter{l.adapter(d)}
}

// adapter loads an http consumes adapter.
func (l *loader) adapter(d *yaml.Node) *Adapter {
	a := &Adapter{Type: "http", Pos: l.at(d)}
	defer l.setSink(l.setSink(&a.Errors))
	fs := fieldsOf(d, vocab.FieldsAdapter)
	// type is known to be http; label and display are documentation only.
	a.Namespace = l.text(fs, "namespace")
	a.Description = l.text(fs, "description")
	if v := fs.get("maxBinarySize"); v != nil {
		a.MaxResponseSize = l.binarySize(v)
	}
	for _, f := range fs.list {
		if f.name == "tunnel" || f.name == "ref" {
			l.warn(f.key, "unsupported-feature", fmt.Sprintf("`%s` on a consumes adapter is not supported and is ignored", f.name), "")
		}
	}
	l.unknownFields(fs, "consumes adapter"+quoteName(a.Namespace))
	if a.Namespace == "" {
		l.warn(d, "required-field", "consumes adapter has no `namespace`; its operations can be called only by their own names", "")
	} else {
		l.checkName(d, a.Namespace, kebabName)
	}
	l.baseURI(a, d, fs.get("baseUri"))
	a.Auth = l.authPair(fs.get("authentication"), fs.keyNode("auth"), fs.get("auth"), false)
	a.Headers = l.headers(fs.get("headers"))
	a.InputParameters = l.params(fs.get("inputParameters"), nil)
	l.resources(a, fs.get("resources"))
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
		l.warn(at, "baseuri-empty", fmt.Sprintf("consumes adapter%s has no baseUri; calls need --base-uri", quoteName(a.Namespace)), "")
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
	d, pos, ok := l.entry(it, "a resource")
	if !ok {
		return nil
	}
	r := &Resource{Pos: pos}
	var resErrs []Diagnostic
	defer l.setSink(l.setSink(&resErrs))
	fs := l.named(it, d, &r.Name, "resource", "resource", vocab.FieldsResource)
	r.Label = l.labelOf(fs)
	r.Description = l.text(fs, "description")
	nameV, pathV := fs.get("name"), fs.get("path")
	if pathV == nil {
		l.warn(d, "required-field", fmt.Sprintf("resource%s has no `path`", quoteName(r.Name)), "")
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
	r.Headers = l.headers(fs.get("headers"))
	r.InputParameters = l.params(fs.get("inputParameters"), []*Template{r.PathTmpl})
	ops := l.items(fs.get("operations"), "operations")
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
	t := l.templateText(deref(v), s, URLTemplate)
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

var knownFormats = FormatNames()

// operationMethod reads an operation's method: upper-cased, an element
// error when it is no HTTP method token, a warning when it is not standard.
func (l *loader) operationMethod(o *Operation, methodV *yaml.Node) {
	m := strings.TrimSpace(l.str(methodV, "method"))
	if m == "" {
		return
	}
	o.Method = strings.ToUpper(m)
	switch {
	case !IsToken(m):
		l.elemError(methodV, "method-invalid", fmt.Sprintf("method %q is not a valid HTTP method token", m), "")
	case strings.Trim(o.Method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "":
		l.elemError(methodV, "method-invalid", fmt.Sprintf("method `%s` is not an HTTP method name (letters and hyphens)", m),
			"write one of "+strings.Join(stdMethods, ", "))
	case !slices.Contains(stdMethods, o.Method):
		l.warn(methodV, "method-unknown", fmt.Sprintf("method `%s` is not one of %s", o.Method, strings.Join(stdMethods, ", ")), "")
	}
}

// operationFormat reads an operation's outputRawFormat (the format table,
// spec.Formats), warning on one naftiko cannot decode.
func (l *loader) operationFormat(o *Operation, formatV *yaml.Node) {
	f := l.keyword(formatV, "outputRawFormat")
	if f == "" {
		return
	}
	o.OutputRawFormat = f
	if !slices.Contains(knownFormats, f) {
		l.warn(formatV, "output-format-unsupported",
			fmt.Sprintf("outputRawFormat `%s` is not supported; calls of `%s` fail when decoding the response", f, o.Name), "")
	}
}

// operationName names an operation: name, else id (a dialect form), else
// METHOD-resource (warned).
func (l *loader) operationName(o *Operation, r *Resource, it item, d, nameV, idK, idV *yaml.Node) {
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
		return
	}
	l.checkName(cmpNode(it.key, cmpNode(nameV, idV)), o.Name, kebabName)
}

func (l *loader) operation(r *Resource, it item) *Operation {
	d, pos, ok := l.entry(it, "an operation")
	if !ok {
		return nil
	}
	o := &Operation{Pos: pos, OutputRawFormat: "json", Method: "GET"}
	defer l.setSink(l.setSink(&o.Errors))
	fs := fieldsOf(d, vocab.FieldsOperation)
	// tags, mappings and outputMediaType are documentation only.
	o.Label = l.labelOf(fs)
	o.Description = l.text(fs, "description")
	o.OutputSchema = l.text(fs, "outputSchema")
	if v := fs.get("maxBinarySize"); v != nil {
		o.MaxResponseSize = l.binarySize(v)
	}
	if v := fs.get("method"); v != nil {
		l.operationMethod(o, v)
	}

	l.operationName(o, r, it, d, fs.get("name"), fs.keyNode("id"), fs.get("id"))
	l.unknownFields(fs, "operation `"+o.Name+"`")

	if path := fs.find("path"); path != nil {
		o.Path, o.PathTmpl = l.urlPath(path.val, false)
		l.info(path.key, "dialect", fmt.Sprintf("operation path %q is appended to the resource path", o.Path))
	} else {
		o.PathTmpl = &Template{Pos: o.Pos}
	}
	if v := fs.get("outputRawFormat"); v != nil {
		l.operationFormat(o, v)
	}
	o.Headers = l.headers(fs.get("headers"))
	o.InputParameters = l.params(fs.get("inputParameters"), []*Template{r.PathTmpl, o.PathTmpl})
	o.OutputParameters = l.outputs(fs.get("outputParameters"))
	o.Body = l.body(fs.get("body"))
	o.Auth = l.authPair(fs.get("authentication"), fs.keyNode("auth"), fs.get("auth"), false)
	return o
}

// IsToken reports whether s is an HTTP token (RFC 9110 §5.6.2): a method
// or a header field name.
func IsToken(s string) bool {
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
