package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

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

// paramIn reads `in` of a parameter; without one, path when a path has
// the parameter's placeholder, else query (both warned).
func (l *loader) paramIn(p *Param, d, inV *yaml.Node, paths []*Template) {
	if inV != nil {
		p.In = l.keyword(inV, "in")
		if p.In != "" && !slices.Contains(knownIns, p.In) {
			l.warn(inV, "param-in-unknown", fmt.Sprintf("input parameter `%s` has an unknown `in: %s`", p.Name, p.In),
				"use one of "+strings.Join(knownIns, ", "))
		}
	}
	if p.In != "" {
		return
	}
	at := inV
	if at == nil {
		at = d
	}
	if hasPlaceholder(p.Name, paths) {
		p.In = "path"
		l.warn(at, "param-in-missing", fmt.Sprintf("input parameter `%s` has no `in`; `path` is used because the path has a {%s} placeholder", p.Name, p.Name),
			"add `in: path`")
		return
	}
	p.In = "query"
	l.warn(at, "param-in-missing", fmt.Sprintf("input parameter `%s` has no `in`; `query` is used", p.Name), "add `in: query`")
}

func (l *loader) param(it item, paths []*Template) *Param {
	d, pos, ok := l.entry(it, "an input parameter")
	if !ok {
		return nil
	}
	p := &Param{Pos: pos}
	fs := fieldsOf(d, vocab.FieldsParam)
	p.Type = l.keyword(fs.get("type"), "type")
	p.Description = l.text(fs, "description")
	nameV, valueV, requiredV, defaultV := fs.get("name"), fs.get("value"), fs.get("required"), fs.get("default")
	p.Name = l.itemName(it, nameV, "input parameter")
	if p.Name == "" {
		at := nameV
		if at == nil {
			at = d
		}
		l.warn(at, "param-name-empty", "an input parameter with an empty name is dropped", "")
		return nil
	}
	l.unknownFields(fs, "input parameter `"+p.Name+"`")
	l.checkName(cmpNode(it.key, nameV), p.Name, extendedName)
	l.paramIn(p, d, fs.get("in"), paths)
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

func (l *loader) outputs(n *yaml.Node) []*Output { return l.outputList(n, l.output) }

// outputList loads an outputParameters list with one, the decoder of an
// entry (consumed or exposed), naming unnamed outputs when there are
// several.
func (l *loader) outputList(n *yaml.Node, one func(item) *Output) []*Output {
	its := l.items(n, "outputParameters")
	if len(its) == 0 {
		return nil
	}
	out := make([]*Output, 0, len(its))
	for _, it := range its {
		if o := one(it); o != nil {
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
	d, pos, ok := l.entry(it, "an output parameter")
	if !ok {
		return nil
	}
	o := &Output{Pos: pos}
	fs := l.named(it, d, &o.Name, "output parameter", "output parameter", vocab.FieldsOutput)
	o.Type = l.keyword(fs.get("type"), "type")
	valueV := fs.get("value")
	if valueV == nil {
		l.warn(d, "required-field", fmt.Sprintf("output parameter%s has no `value`; the whole response is used", quoteName(o.Name)), "add `value: $.`")
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

// quoteName returns " `name`" for messages, or "" for an empty name.
func quoteName(name string) string {
	if name == "" {
		return ""
	}
	return " `" + name + "`"
}
