package spec

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// LintRules lists the rules that Lint adds to the loader's (SPEC.md §3),
// for documentation.
var LintRules = []Rule{
	{"namespace-unique", "a namespace is used twice across consumes, exposes, binds and aggregates (error)"},
	{"path-param-undeclared", "a {x} or {{x}} placeholder of a consumed path has no `in: path` parameter"},
	{"path-param-unused", "an `in: path` parameter does not appear in its path"},
	{"template-unknown-variable", "a {{…}} names no parameter, bound variable or env.VAR: an error in authentication and baseUri, else a warning (it becomes a caller input)"},
	{"unused-bind", "a bound variable that no template references"},
	{"bind-name-literal", "a credential, header or parameter value is the bare name of a bound variable (`token: TOKEN`): it is sent as that text"},
	{"bind-without-auth", "binds declare secrets but a consumes adapter has no authentication using them, so no credentials are sent"},
	{"bind-duplicate-variable", "two bindings declare one variable; the later wins"},
	{"with-unknown-target", "a `with` key names no parameter of the target operation"},
	{"required-not-supplied", "a required parameter of the target operation is supplied neither by `with` nor by a same-named input"},
	{"mcp-tool-name-length", "an MCP tool name longer than 64 characters (many MCP clients reject it)"},
	{"oauth2-https", "an OAuth2 authorizationServerUri or tokenEndpoint is not https (loopback excepted) (error)"},
	{"control-singleton", "more than one control adapter, or a control port shared with another adapter (error)"},
	{"no-script-in-text", "`<script` or `eval(` in a description or label (error)"},
	{"body-params-shadowed", "an operation has `body` data and `in: body` parameters, which then only feed templates"},
	{"body-on-get", "a GET or HEAD operation defines a body"},
}

// LintDocument runs the lint rules of SPEC.md §3 that the loader does not
// already report and that need no compiled program, on a loaded
// capability. The resolution of `call`, `ref`, step calls and forward
// targets (call-unresolved, call-ambiguous, steps-and-call) is the
// loader's (element errors); the rules about the calls of exposed
// elements against the inputs of their targets (with-unknown-target,
// required-not-supplied) run on the compiled program: use program.Lint,
// which runs both. It reads the model and the raw nodes of exposes
// adapters and aggregates (placeholders referenced, tool name lengths,
// inbound OAuth2 endpoints, texts); it touches neither network nor
// environment. The diagnostics are sorted.
func LintDocument(c *Capability) []Diagnostic {
	l := newLinter(c)
	l.run()
	SortDiagnostics(l.out)
	return l.out
}

// linter holds the indexes of one Lint run.
type linter struct {
	c   *Capability
	out []Diagnostic

	// vars maps bound variable names to their bindings.
	vars map[string][]*Bind
	// bindNS maps binding namespaces to their bindings.
	bindNS map[string][]*Bind
	// exposeNS lists the exposes namespaces (template rule 2 prefixes).
	exposeNS map[string]bool
	// refs holds every placeholder name referenced anywhere.
	refs map[string]bool
}

func newLinter(c *Capability) *linter {
	l := &linter{c: c,
		vars: map[string][]*Bind{}, bindNS: map[string][]*Bind{}, exposeNS: map[string]bool{},
		refs: map[string]bool{}}
	for _, b := range c.Binds {
		l.bindNS[b.Namespace] = append(l.bindNS[b.Namespace], b)
		for _, k := range b.Keys {
			l.vars[k.Var] = append(l.vars[k.Var], b)
		}
	}
	for _, x := range c.Exposes {
		if x.Namespace != "" {
			l.exposeNS[x.Namespace] = true
		}
	}
	return l
}

// emit records a diagnostic of rule.
func (l *linter) emit(rule string, p Pos, sev Severity, msg, hint string) {
	l.out = append(l.out, Diagnostic{Pos: p, Severity: sev, Rule: rule, Message: msg, Hint: hint})
}

func (l *linter) run() {
	l.namespaces()
	l.consumes()
	l.exposes()
	l.aggregates()
	l.authWithoutBinds()
	l.binds()
	l.bindNameLiterals()
	l.texts()
}

// ---------------------------------------------------------------------------
// Namespaces.

type nsDecl struct {
	ns, what string
	pos      Pos
}

// namespaces reports namespaces used twice across consumes, exposes, binds
// and aggregates.
func (l *linter) namespaces() {
	var decls []nsDecl
	for _, a := range l.c.Consumes {
		decls = append(decls, nsDecl{a.Namespace, "consumes adapter", a.Pos})
	}
	for _, x := range l.c.Exposes {
		decls = append(decls, nsDecl{x.Namespace, x.Type + " adapter", x.Pos})
	}
	envSeen := false
	for _, b := range l.c.Binds {
		if isStringBind(b) {
			// `binds: [VAR, …]` makes one env binding per string: one
			// namespace, written once.
			if envSeen {
				continue
			}
			envSeen = true
		}
		decls = append(decls, nsDecl{b.Namespace, "binds entry", b.Pos})
	}
	for _, g := range l.c.Aggregates {
		decls = append(decls, nsDecl{g.Namespace, "aggregate", g.Pos})
	}
	// "First" is first in the document: the root file before imported
	// ones, then by position.
	slices.SortStableFunc(decls, func(a, b nsDecl) int {
		ra, rb := a.pos.File != l.c.File, b.pos.File != l.c.File
		switch {
		case ra != rb && ra:
			return 1
		case ra != rb:
			return -1
		case a.pos.File != b.pos.File:
			return strings.Compare(a.pos.File, b.pos.File)
		case a.pos.Line != b.pos.Line:
			return a.pos.Line - b.pos.Line
		}
		return a.pos.Col - b.pos.Col
	})
	first := map[string]nsDecl{}
	for _, d := range decls {
		if d.ns == "" {
			continue
		}
		f, dup := first[d.ns]
		if !dup {
			first[d.ns] = d
			continue
		}
		l.emit("namespace-unique", d.pos, SeverityError,
			fmt.Sprintf("namespace `%s` of this %s is already used by the %s at %s", d.ns, d.what, f.what, f.pos),
			"namespaces must be unique across consumes, exposes, binds and aggregates")
	}
}

// isStringBind reports whether b comes from the `binds: [VAR]` dialect
// form (SPEC.md §2.4 #27): its one key sits where the binding does.
func isStringBind(b *Bind) bool {
	return b.Namespace == "env" && len(b.Keys) == 1 && b.Keys[0].Pos == b.Pos
}

// ---------------------------------------------------------------------------
// Consumed operations.

// scope is what templates of one element can name.
type scope struct {
	adapter *Adapter
	params  map[string]bool
}

// consumes checks the consumes adapters declared in the document (imported
// ones are checked when their own file is validated) and records the
// variables that every adapter's templates reference.
func (l *linter) consumes() {
	for _, a := range l.c.Consumes {
		l.adapterRefs(a)
		if a.Shadowed || a.ImportedFrom != "" {
			continue
		}
		l.adapterTemplates(a)
		for _, r := range a.Resources {
			l.resourceChecks(a, r)
			for _, o := range r.Operations {
				l.operationChecks(a, r, o)
			}
		}
	}
}

// adapterRefs records the placeholder names of every template of a.
func (l *linter) adapterRefs(a *Adapter) {
	var data func(d *Data)
	data = func(d *Data) {
		if d == nil {
			return
		}
		l.refsOf(d.Tmpl)
		for _, v := range d.Vals {
			data(v)
		}
		for _, v := range d.Items {
			data(v)
		}
	}
	auth := func(au *Auth) {
		if au == nil {
			return
		}
		for _, t := range []*Template{au.Token, au.Username, au.Password} {
			l.refsOf(t)
		}
		for _, c := range au.Credentials {
			l.refsOf(c.Value)
		}
		for _, t := range au.Fields {
			l.refsOf(t)
		}
	}
	level := func(hs []*Header, ps []*Param) {
		for _, h := range hs {
			l.refsOf(h.Value)
		}
		for _, p := range ps {
			data(p.Value)
		}
	}
	l.refsOf(a.BaseURI)
	auth(a.Auth)
	level(a.Headers, a.InputParameters)
	for _, r := range a.Resources {
		l.refsOf(r.PathTmpl)
		level(r.Headers, r.InputParameters)
		for _, o := range r.Operations {
			l.refsOf(o.PathTmpl)
			level(o.Headers, o.InputParameters)
			auth(o.Auth)
			if o.Body != nil {
				data(o.Body.Data)
			}
		}
	}
}

// adapterParams returns the names of every parameter and path placeholder
// of an adapter, at every level.
func adapterParams(a *Adapter) map[string]bool {
	m := map[string]bool{}
	addParams(m, a.InputParameters)
	if a.BaseURI != nil {
		addPlaceholders(m, a.BaseURI, true)
	}
	for _, r := range a.Resources {
		addParams(m, r.InputParameters)
		addPlaceholders(m, r.PathTmpl, false)
		for _, o := range r.Operations {
			addParams(m, o.InputParameters)
			addPlaceholders(m, o.PathTmpl, false)
		}
	}
	return m
}

func addParams(m map[string]bool, ps []*Param) {
	for _, p := range ps {
		m[p.Name] = true
	}
}

// addPlaceholders adds a URL template's placeholders (only single-brace
// ones when singleOnly).
func addPlaceholders(m map[string]bool, t *Template, singleOnly bool) {
	if t == nil {
		return
	}
	for _, p := range t.Parts {
		if p.Name != "" && (p.Single || !singleOnly) {
			m[p.Name] = true
		}
	}
}

// adapterTemplates checks the templates shared by every operation of an
// adapter: baseUri, authentication, headers and parameter values.
func (l *linter) adapterTemplates(a *Adapter) {
	sc := scope{adapter: a, params: adapterParams(a)}
	if a.BaseURI != nil {
		l.refsOf(a.BaseURI)
		for _, p := range a.BaseURI.Parts {
			if p.Name != "" && !p.Single {
				l.checkName(sc, p, true, "baseUri")
			}
		}
	}
	l.authTemplates(sc, a.Auth)
	l.headerTemplates(sc, a.Headers)
	l.paramTemplates(sc, a.InputParameters)
	l.oauth2(a.Auth)
}

func (l *linter) resourceChecks(a *Adapter, r *Resource) {
	sc := scope{adapter: a, params: map[string]bool{}}
	addParams(sc.params, a.InputParameters)
	addParams(sc.params, r.InputParameters)
	addPlaceholders(sc.params, a.BaseURI, true)
	addPlaceholders(sc.params, r.PathTmpl, false)
	for _, o := range r.Operations {
		addParams(sc.params, o.InputParameters)
		addPlaceholders(sc.params, o.PathTmpl, false)
	}
	l.refsOf(r.PathTmpl)
	l.headerTemplates(sc, r.Headers)
	l.paramTemplates(sc, r.InputParameters)

	// Path placeholders of the resource path: declared at the adapter, the
	// resource, or by every operation.
	for _, p := range r.PathTmpl.Parts {
		if !l.pathPlaceholder(p) {
			continue
		}
		if hasPathParam(p.Name, a.InputParameters, r.InputParameters) {
			continue
		}
		some := false
		for _, o := range r.Operations {
			some = some || hasPathParam(p.Name, o.InputParameters)
		}
		if !some {
			// Operations that declare it are fine; when some do, the
			// others are reported by operationChecks.
			l.undeclared(p, r.InputParameters)
		}
	}
	// Resource-level path parameters must appear in a path of the resource.
	for _, p := range r.InputParameters {
		if p.In != "path" {
			continue
		}
		used := hasPlaceholder(p.Name, []*Template{r.PathTmpl})
		for _, o := range r.Operations {
			used = used || hasPlaceholder(p.Name, []*Template{o.PathTmpl})
		}
		if !used {
			l.emit("path-param-unused", p.Pos, SeverityWarning,
				fmt.Sprintf("path parameter `%s` does not appear in the path of resource `%s` (%s)", p.Name, r.Name, r.Path), "")
		}
	}
}

// pathPlaceholder reports whether a path template part is a placeholder
// that needs a path parameter: not a bound variable or a dotted reference.
func (l *linter) pathPlaceholder(p Part) bool {
	return p.Name != "" && strings.IndexByte(p.Name, '.') < 0 && l.vars[p.Name] == nil
}

func hasPathParam(name string, levels ...[]*Param) bool {
	for _, ps := range levels {
		for _, p := range ps {
			if p.Name == name && p.In == "path" {
				return true
			}
		}
	}
	return false
}

func (l *linter) undeclared(p Part, near ...[]*Param) {
	hint := "declare it with `in: path`"
	for _, ps := range near {
		for _, q := range ps {
			if q.Name == p.Name {
				hint = fmt.Sprintf("the parameter `%s` is declared `in: %s`", q.Name, q.In)
			}
		}
	}
	l.emit("path-param-undeclared", p.Pos, SeverityWarning,
		fmt.Sprintf("path placeholder `%s` has no `in: path` parameter; it is an implicit required string", p.Name), hint)
}

func (l *linter) operationChecks(a *Adapter, r *Resource, o *Operation) {
	sc := scope{adapter: a, params: map[string]bool{}}
	addParams(sc.params, a.InputParameters)
	addParams(sc.params, r.InputParameters)
	addParams(sc.params, o.InputParameters)
	addPlaceholders(sc.params, a.BaseURI, true)
	addPlaceholders(sc.params, r.PathTmpl, false)
	addPlaceholders(sc.params, o.PathTmpl, false)
	l.refsOf(o.PathTmpl)
	l.headerTemplates(sc, o.Headers)
	l.paramTemplates(sc, o.InputParameters)
	l.authTemplates(sc, o.Auth)
	l.oauth2(o.Auth)
	if o.Body != nil {
		l.dataTemplates(sc, o.Body.Data, "body")
	}

	l.operationPaths(a, r, o)
	l.operationBodies(a, r, o)
}

// operationPaths checks the path placeholders and path parameters of an
// operation.
func (l *linter) operationPaths(a *Adapter, r *Resource, o *Operation) {
	// Path placeholders of the operation path.
	for _, p := range o.PathTmpl.Parts {
		if l.pathPlaceholder(p) && !hasPathParam(p.Name, a.InputParameters, r.InputParameters, o.InputParameters) {
			l.undeclared(p, o.InputParameters, r.InputParameters)
		}
	}
	// Resource path placeholders declared only by some operations: the
	// others are reported here.
	for _, p := range r.PathTmpl.Parts {
		if !l.pathPlaceholder(p) || hasPathParam(p.Name, a.InputParameters, r.InputParameters, o.InputParameters) {
			continue
		}
		some := false
		for _, q := range r.Operations {
			some = some || hasPathParam(p.Name, q.InputParameters)
		}
		if some {
			l.emit("path-param-undeclared", o.Pos, SeverityWarning,
				fmt.Sprintf("operation `%s` declares no `in: path` parameter for the placeholder `%s` of its resource path", o.Name, p.Name),
				"declare it with `in: path`")
		}
	}
	for _, p := range o.InputParameters {
		if p.In == "path" && !hasPlaceholder(p.Name, []*Template{r.PathTmpl, o.PathTmpl}) {
			l.emit("path-param-unused", p.Pos, SeverityWarning,
				fmt.Sprintf("path parameter `%s` does not appear in the path of operation `%s` (%s)", p.Name, o.Name, JoinPath(r.Path, o.Path)), "")
		}
	}
}

// operationBodies checks the body and in: body parameters of an operation.
func (l *linter) operationBodies(a *Adapter, r *Resource, o *Operation) {
	// Bodies.
	var bodyParams []string
	for _, ps := range [][]*Param{a.InputParameters, r.InputParameters, o.InputParameters} {
		for _, p := range ps {
			if p.In == "body" && !slices.Contains(bodyParams, p.Name) {
				bodyParams = append(bodyParams, p.Name)
			}
		}
	}
	if o.Body != nil && o.Body.Data != nil && o.Body.Data.Kind != DataNull && len(bodyParams) > 0 {
		l.emit("body-params-shadowed", o.Body.Pos, SeverityWarning,
			fmt.Sprintf("operation `%s` has `body` data and `in: body` parameters (%s); the parameters only feed templates", o.Name, strings.Join(bodyParams, ", ")),
			"reference them in the body data, or remove `body`")
	}
	if o.Method == "GET" || o.Method == "HEAD" {
		switch {
		case o.Body != nil:
			l.emit("body-on-get", o.Body.Pos, SeverityWarning,
				fmt.Sprintf("%s operation `%s` defines a body; it is sent, but many servers ignore or reject it", o.Method, o.Name), "")
		default:
			for _, p := range o.InputParameters {
				if p.In == "body" {
					l.emit("body-on-get", p.Pos, SeverityWarning,
						fmt.Sprintf("%s operation `%s` has the `in: body` parameter `%s`; a body is sent, but many servers ignore or reject it", o.Method, o.Name, p.Name), "")
					break
				}
			}
		}
	}
}

func (l *linter) headerTemplates(sc scope, hs []*Header) {
	for _, h := range hs {
		l.templateNames(sc, h.Value, false, "header "+h.Name)
	}
}

func (l *linter) paramTemplates(sc scope, ps []*Param) {
	for _, p := range ps {
		l.dataTemplates(sc, p.Value, "parameter "+p.Name)
	}
}

func (l *linter) dataTemplates(sc scope, d *Data, where string) {
	if d == nil {
		return
	}
	switch d.Kind {
	case DataString:
		l.templateNames(sc, d.Tmpl, false, where)
	case DataMap:
		for _, v := range d.Vals {
			l.dataTemplates(sc, v, where)
		}
	case DataList:
		for _, v := range d.Items {
			l.dataTemplates(sc, v, where)
		}
	}
}

func (l *linter) authTemplates(sc scope, a *Auth) {
	if a == nil {
		return
	}
	var ts []*Template
	ts = append(ts, a.Token, a.Username, a.Password)
	for _, c := range a.Credentials {
		ts = append(ts, c.Value)
	}
	names := make([]string, 0, len(a.Fields))
	for n := range a.Fields {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		ts = append(ts, a.Fields[n])
	}
	for _, t := range ts {
		l.templateNames(sc, t, true, "authentication")
	}
}

// refsOf records the placeholder names of t as referenced.
func (l *linter) refsOf(t *Template) {
	if t == nil {
		return
	}
	for _, p := range t.Parts {
		if p.Name != "" {
			l.refs[p.Name] = true
		}
	}
}

func (l *linter) templateNames(sc scope, t *Template, strict bool, where string) {
	if t == nil {
		return
	}
	l.refsOf(t)
	for _, p := range t.Parts {
		if p.Name != "" {
			l.checkName(sc, p, strict, where)
		}
	}
}

// checkName reports a placeholder that names no parameter, bound
// variable or env.VAR (SPEC.md §5.2). In authentication and baseUri
// (strict) that is an error; elsewhere the name becomes a caller input.
func (l *linter) checkName(sc scope, p Part, strict bool, where string) {
	n := p.Name
	if sc.params[n] || l.vars[n] != nil || strings.HasPrefix(n, "env.") {
		return
	}
	input := n
	if pre, rest, ok := strings.Cut(n, "."); ok {
		if bs := l.bindNS[pre]; bs != nil {
			for _, b := range bs {
				for _, k := range b.Keys {
					if k.Var == rest {
						return
					}
				}
			}
		}
		if pre == "tools" || pre == "rest" || pre == sc.adapter.Namespace || l.exposeNS[pre] {
			if sc.params[rest] {
				return
			}
			input = rest
		}
	}
	if strict {
		hint := fmt.Sprintf("declare it under `binds` with keys: {%s: %s}, or write {{env.%s}}", n, n, n)
		if strings.Contains(n, ".") {
			hint = "declare it under `binds`, or write {{env.VAR}}"
		}
		l.emit("template-unknown-variable", p.Pos, SeverityError,
			fmt.Sprintf("`{{%s}}` in %s names no parameter, bound variable or env.VAR", n, where), hint)
		return
	}
	l.emit("template-unknown-variable", p.Pos, SeverityWarning,
		fmt.Sprintf("`{{%s}}` in %s names no declared parameter or bound variable; callers must supply `%s`", n, where, input),
		"declare it under inputParameters, or under `binds` if it is a secret")
}

// oauth2 checks that the OAuth2 endpoints of a consumed authentication use
// https.
func (l *linter) oauth2(a *Auth) {
	if a == nil || a.Type != "oauth2" {
		return
	}
	for _, f := range []string{"authorizationServerUri", "tokenEndpoint"} {
		t := a.Fields[f]
		if t == nil {
			continue
		}
		if _, whole := t.Whole(); whole || t.Src == "" {
			continue
		}
		if !httpsOrLoopback(t.Src) {
			l.emit("oauth2-https", t.Pos, SeverityError, fmt.Sprintf("OAuth2 `%s` %q is not an https URL", f, t.Src),
				"credentials would travel in clear text; use https, or http only for a loopback host")
		}
	}
}

// httpsOrLoopback reports whether s is an https URL, or an http URL of a
// loopback host.
func httpsOrLoopback(s string) bool {
	ls := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(ls, "https://") {
		return true
	}
	host, ok := uriHost(ls)
	if !ok || !strings.HasPrefix(ls, "http://") {
		return false
	}
	if strings.HasPrefix(host, "[") {
		h, _, _ := strings.Cut(host[1:], "]")
		return h == "::1"
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return host == "localhost" || strings.HasPrefix(host, "127.")
}

// authWithoutBinds reports consumes adapters that send no credentials
// while the capability binds secrets that nothing uses (the seed's case).
func (l *linter) authWithoutBinds() {
	var unused []string
	for _, b := range l.c.Binds {
		for _, k := range b.Keys {
			if !l.referenced(k.Var) && !slices.Contains(unused, k.Var) {
				unused = append(unused, k.Var)
			}
		}
	}
	if len(unused) == 0 {
		return
	}
	for _, a := range l.c.Consumes {
		if a.Shadowed || a.ImportedFrom != "" || a.Auth != nil || adapterUsesBinds(a, l.vars) {
			continue
		}
		opAuth := false
		for _, r := range a.Resources {
			for _, o := range r.Operations {
				opAuth = opAuth || o.Auth != nil
			}
		}
		if opAuth {
			continue
		}
		ex := unused[0]
		l.emit("bind-without-auth", a.Pos, SeverityWarning,
			fmt.Sprintf("consumes adapter%s has no `authentication`, so no credentials are sent; the capability binds %s, which no template uses",
				quoteName(a.Namespace), strings.Join(unused, ", ")),
			fmt.Sprintf("add authentication: {type: bearer, token: '{{%s}}'}, or the type the API expects", ex))
	}
}

// adapterUsesBinds reports whether any template of a references a bound
// variable (credentials sent by hand, in a header or a parameter).
func adapterUsesBinds(a *Adapter, vars map[string][]*Bind) bool {
	u := bindUse(vars)
	if u.tmpl(a.BaseURI) || u.headers(a.Headers) || u.params(a.InputParameters) {
		return true
	}
	for _, r := range a.Resources {
		if u.tmpl(r.PathTmpl) || u.headers(r.Headers) || u.params(r.InputParameters) {
			return true
		}
		for _, o := range r.Operations {
			if u.tmpl(o.PathTmpl) || u.headers(o.Headers) || u.params(o.InputParameters) || (o.Body != nil && u.data(o.Body.Data)) {
				return true
			}
		}
	}
	return false
}

// bindUse tells whether templates reference a bound variable: VAR,
// NS.VAR or env.VAR.
type bindUse map[string][]*Bind

func (u bindUse) tmpl(t *Template) bool {
	if t == nil {
		return false
	}
	for _, p := range t.Parts {
		if p.Name == "" {
			continue
		}
		if u[p.Name] != nil || strings.HasPrefix(p.Name, "env.") {
			return true
		}
		if _, rest, ok := strings.Cut(p.Name, "."); ok && u[rest] != nil {
			return true
		}
	}
	return false
}

func (u bindUse) data(d *Data) bool {
	if d == nil {
		return false
	}
	if u.tmpl(d.Tmpl) {
		return true
	}
	for _, v := range d.Vals {
		if u.data(v) {
			return true
		}
	}
	for _, v := range d.Items {
		if u.data(v) {
			return true
		}
	}
	return false
}

func (u bindUse) headers(hs []*Header) bool {
	for _, h := range hs {
		if u.tmpl(h.Value) {
			return true
		}
	}
	return false
}

func (u bindUse) params(ps []*Param) bool {
	for _, p := range ps {
		if u.data(p.Value) {
			return true
		}
	}
	return false
}

// referenced reports whether a template references the bound variable v
// (as VAR, B.VAR or env.VAR).
func (l *linter) referenced(v string) bool {
	if l.refs[v] || l.refs["env."+v] {
		return true
	}
	for b := range l.bindNS {
		if l.refs[b+"."+v] {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Binds.

func (l *linter) binds() {
	type decl struct {
		b *Bind
		k BindKey
	}
	first := map[string]decl{}
	for _, b := range l.c.Binds {
		for _, k := range b.Keys {
			if !l.referenced(k.Var) {
				l.emit("unused-bind", k.Pos, SeverityWarning,
					fmt.Sprintf("bound variable `%s` (binds namespace `%s`) is never referenced by a template", k.Var, b.Namespace),
					fmt.Sprintf("use it as {{%s}}, or remove it", k.Var))
			}
			f, dup := first[k.Var]
			if !dup {
				first[k.Var] = decl{b, k}
				continue
			}
			l.emit("bind-duplicate-variable", k.Pos, SeverityWarning,
				fmt.Sprintf("variable `%s` is declared again (first by binds namespace `%s` at %s); this declaration wins", k.Var, f.b.Namespace, f.k.Pos),
				"remove one of them")
		}
	}
}

// bindNameLiterals warns where a consumed credential, header or parameter
// value is written as the bare name of a bound variable, braces forgotten
// (the tutorial's step 11 writes token: "REGISTRY_TOKEN"): that text is
// what is sent.
func (l *linter) bindNameLiterals() {
	if len(l.vars) == 0 {
		return
	}
	check := func(t *Template, what string, at Pos) {
		if t == nil || !t.IsLiteral() {
			return
		}
		name := strings.TrimSpace(t.Src)
		if l.vars[name] == nil {
			return
		}
		if !t.Pos.IsZero() {
			at = t.Pos
		}
		l.emit("bind-name-literal", at, SeverityWarning,
			fmt.Sprintf("the %s is the text `%s`, the name of a bound variable: that text is sent, not the variable's value", what, name),
			fmt.Sprintf("write '{{%s}}' to send the bound value", name))
	}
	auth := func(a *Auth, at Pos) {
		if a == nil {
			return
		}
		check(a.Token, a.Type+" token", at)
		check(a.Username, a.Type+" username", at)
		check(a.Password, a.Type+" password", at)
		for _, c := range a.Credentials {
			check(c.Value, "value of "+c.Key, at)
		}
	}
	values := func(hs []*Header, ps []*Param, at Pos) {
		for _, h := range hs {
			check(h.Value, "value of header "+h.Name, at)
		}
		for _, p := range ps {
			if p.Value != nil {
				check(p.Value.Tmpl, "value of parameter "+p.Name, at)
			}
		}
	}
	for _, a := range l.c.Consumes {
		if a.Shadowed {
			continue
		}
		auth(a.Auth, a.Pos)
		values(a.Headers, a.InputParameters, a.Pos)
		for _, r := range a.Resources {
			values(r.Headers, r.InputParameters, r.Pos)
			for _, o := range r.Operations {
				auth(o.Auth, o.Pos)
				values(o.Headers, o.InputParameters, o.Pos)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Exposes and aggregates.

func (l *linter) exposes() {
	controls := 0
	for _, x := range l.c.Exposes {
		file := x.Pos.File
		l.collectRefs(x.Node)
		if x.Type == "control" {
			controls++
			if controls > 1 {
				l.emit("control-singleton", x.Pos, SeverityError, "a capability has at most one control adapter; this is another one", "")
			}
			if x.Port != 0 {
				for _, y := range l.c.Exposes {
					if y != x && y.Port == x.Port {
						l.emit("control-singleton", x.Pos, SeverityError,
							fmt.Sprintf("the control port %d is shared with the %s adapter at %s", x.Port, y.Type, y.Pos), "give the control adapter its own port")
						break
					}
				}
			}
		}
		l.inboundOAuth2(file, x.Node)
		if x.Type == "mcp" {
			l.mcp(file, x)
		}
	}
}

// collectRefs records the variables that the strings of a raw node
// reference: {{…}} placeholders, and whole values env.VAR, $env.VAR and
// $this.B.VAR.
func (l *linter) collectRefs(n *yaml.Node) {
	lintWalkStrings(n, func(_ string, v *yaml.Node) {
		s := v.Value
		if strings.Contains(s, "{{") {
			t, _ := ParseTemplate(s, Pos{}, false, TextTemplate)
			l.refsOf(t)
		}
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, "env."):
			l.refs[s] = true
		case strings.HasPrefix(s, "$env."):
			l.refs[s[1:]] = true
		case strings.HasPrefix(s, "$this."):
			l.refs[s[len("$this."):]] = true
		}
	})
}

// inboundOAuth2 checks the OAuth2 endpoints of an exposes adapter's
// authentication.
func (l *linter) inboundOAuth2(file string, n *yaml.Node) {
	a := lintField(n, "authentication")
	if a == nil {
		a = lintField(n, "auth")
	}
	if !strings.EqualFold(lintString(a, "type"), "oauth2") {
		return
	}
	for _, f := range []string{"authorizationServerUri", "tokenEndpoint"} {
		v := lintField(a, f)
		s := lintScalar(v)
		if s == "" {
			continue
		}
		if t, _ := ParseTemplate(s, Pos{}, false, TextTemplate); t != nil {
			if _, whole := t.Whole(); whole {
				continue
			}
		}
		if !httpsOrLoopback(s) {
			l.emit("oauth2-https", lintPos(file, v), SeverityError, fmt.Sprintf("OAuth2 `%s` %q is not an https URL", f, s),
				"tokens would travel in clear text; use https, or http only for a loopback host")
		}
	}
}

func (l *linter) mcp(file string, x *Expose) {
	for _, t := range lintEntries(lintField(x.Node, "tools")) {
		if utf8.RuneCountInString(t.name) > 64 {
			l.emit("mcp-tool-name-length", t.pos(file), SeverityWarning,
				fmt.Sprintf("MCP tool name `%s` is %d characters long; many MCP clients reject names over 64", t.name, utf8.RuneCountInString(t.name)),
				"shorten it")
		}
	}
}

func (l *linter) aggregates() {
	for _, g := range l.c.Aggregates {
		l.collectRefs(g.Node)
	}
}

// ---------------------------------------------------------------------------
// Texts.

// texts reports `<script` and `eval(` in descriptions and labels.
func (l *linter) texts() {
	c := l.c
	check := func(p Pos, what, s string) {
		ls := strings.ToLower(s)
		for _, bad := range []string{"<script", "eval("} {
			if strings.Contains(ls, bad) {
				l.emit("no-script-in-text", p, SeverityError, fmt.Sprintf("%s contains `%s`", what, bad),
					"descriptions and labels are shown to people and models: remove the script")
				return
			}
		}
	}
	check(c.Info.Pos, "the capability label", c.Info.Label)
	check(c.Info.Pos, "the capability description", c.Info.Description)
	for _, a := range c.Consumes {
		if a.ImportedFrom != "" {
			continue
		}
		check(a.Pos, "the description of consumes adapter"+quoteName(a.Namespace), a.Description)
		for _, r := range a.Resources {
			check(r.Pos, "the label of resource"+quoteName(r.Name), r.Label)
			check(r.Pos, "the description of resource"+quoteName(r.Name), r.Description)
			for _, o := range r.Operations {
				check(o.Pos, "the label of operation"+quoteName(o.Name), o.Label)
				check(o.Pos, "the description of operation"+quoteName(o.Name), o.Description)
				for _, p := range o.InputParameters {
					check(p.Pos, "the description of parameter"+quoteName(p.Name), p.Description)
				}
			}
			for _, p := range r.InputParameters {
				check(p.Pos, "the description of parameter"+quoteName(p.Name), p.Description)
			}
		}
		for _, p := range a.InputParameters {
			check(p.Pos, "the description of parameter"+quoteName(p.Name), p.Description)
		}
	}
	raw := func(file string, n *yaml.Node) {
		lintWalkStrings(n, func(key string, v *yaml.Node) {
			switch key {
			case "description", "label", "display", "title":
				check(lintPos(file, v), "a "+key, v.Value)
			}
		})
	}
	for _, x := range c.Exposes {
		raw(x.Pos.File, x.Node)
	}
	for _, g := range c.Aggregates {
		raw(g.Pos.File, g.Node)
	}
}
