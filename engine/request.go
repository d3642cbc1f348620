package engine

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

// CallOption changes one call.
type CallOption func(*callConfig)

type callConfig struct {
	rawBody   []byte
	bodyFile  string
	hasRaw    bool
	fileParts bool
}

// WithRawBody sends data as the whole request body, overriding the
// operation's body and its in: body parameters.
func WithRawBody(data []byte) CallOption {
	return func(c *callConfig) { c.rawBody, c.hasRaw = data, true }
}

// WithBodyFile streams the file at path as the whole request body; the
// file is reopened when the request must be resent.
func WithBodyFile(path string) CallOption {
	return func(c *callConfig) { c.bodyFile = path }
}

// Prepared is a request ready to send: the result of Prepare, printed by
// --dry-run.
type Prepared struct {
	// Method and URL of the request.
	Method string
	URL    string
	// Header holds the request headers (secrets included: use Dump to
	// print them).
	Header http.Header
	// Body is the request body, or nil; BodyFile names a file streamed as
	// the body instead.
	Body     []byte
	BodyFile string

	ref     string
	plan    *plan
	e       *Engine
	envRefs []envRef
	// authHeaders are the header names produced by authentication, removed
	// on cross-host redirects.
	authHeaders []string
	noAuth      bool
	// x holds what only some requests need; nil for most.
	x *prepExtra
}

// prepExtra is the rarely needed part of a Prepared.
type prepExtra struct {
	// authQuery are the query pairs authentication produced (escaped),
	// removed on cross-host redirects.
	authQuery []formField
	// stream is a multipart body with file parts, written while it is
	// sent.
	stream *multipartBody
	// dyn is the authentication performed when sending (digest, oauth2,
	// aws-sig-v4).
	dyn sendAuth
	// payloadSum caches the body's SHA-256 for aws-sig-v4.
	payloadSum string
}

func (pr *Prepared) ext() *prepExtra {
	if pr.x == nil {
		pr.x = &prepExtra{}
	}
	return pr.x
}

func (pr *Prepared) sendAuth() sendAuth {
	if pr.x == nil {
		return nil
	}
	return pr.x.dyn
}

func (pr *Prepared) streamBody() *multipartBody {
	if pr.x == nil {
		return nil
	}
	return pr.x.stream
}

func (pr *Prepared) authQuery() []formField {
	if pr.x == nil {
		return nil
	}
	return pr.x.authQuery
}

// Call calls the operation ref with params and returns its result. params
// values may be strings (converted by the declared type), []string for
// repeated values, or JSON-typed values (int64, float64, bool, []any,
// map[string]any) which keep their type. Call resolves ref on every call:
// programs that call one operation repeatedly resolve it once (Resolve)
// and use CallOp.
func (e *Engine) Call(ctx context.Context, ref string, params map[string]any, opts ...CallOption) (*Result, error) {
	op, err := e.Resolve(ref)
	if err != nil {
		return nil, e.finish(err, ref)
	}
	pr, err := e.prepare(ctx, op, ref, params, opts)
	if err != nil {
		return nil, err
	}
	return e.Send(ctx, pr)
}

// CallOp calls a resolved operation (from Resolve or Operations) with
// params, like Call.
func (e *Engine) CallOp(ctx context.Context, op *Operation, params map[string]any, opts ...CallOption) (*Result, error) {
	pr, err := e.Prepare(ctx, op, params, opts...)
	if err != nil {
		return nil, err
	}
	return e.Send(ctx, pr)
}

// Prepare builds the request CallOp would send, and sends nothing.
func (e *Engine) Prepare(ctx context.Context, op *Operation, params map[string]any, opts ...CallOption) (*Prepared, error) {
	if op == nil {
		return nil, spec.Errorf(spec.KindUsage, "engine.Prepare: nil operation")
	}
	return e.prepare(ctx, op, op.Ref, params, opts)
}

func (e *Engine) prepare(ctx context.Context, op *Operation, ref string, params map[string]any, opts []CallOption) (pr *Prepared, err error) {
	defer func() {
		if r := recover(); r != nil {
			pr, err = nil, &spec.Error{Kind: spec.KindInternal, Ref: ref, Msg: "panic while building the request: " + e.red.Redact(toString(r))}
		}
		if err != nil {
			err = e.finish(err, ref)
		}
	}()
	var cfg callConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	p, err := e.plan(op)
	if err != nil {
		return nil, err
	}
	s := &scope{ctx: ctx, e: e, p: p, vals: make(map[string]value, len(params)+2)}
	if err := e.bindParams(s, params, cfg.hasRaw || cfg.bodyFile != ""); err != nil {
		return nil, err
	}
	return e.build(s, p.Method, ref, &cfg, nil)
}

// build builds the request of scope s, whose values are set: its URL
// (with fwd's path and query when it is a forward), query, headers,
// authentication, cookies and body.
func (e *Engine) build(s *scope, method, ref string, cfg *callConfig, fwd *ForwardRequest) (*Prepared, error) {
	pr := &Prepared{Method: method, ref: ref, plan: s.p, e: e, Header: http.Header{}, noAuth: s.p.Auth == nil}
	u, err := e.buildURL(s)
	if err != nil {
		return nil, err
	}
	var qb strings.Builder
	qb.WriteString(u.RawQuery)
	if fwd != nil {
		if err := fwd.addPathQuery(u, &qb); err != nil {
			return nil, err
		}
	}
	if err := e.buildQuery(s, &qb); err != nil {
		return nil, err
	}
	if err := e.headersAuthBody(s, pr, &qb, cfg); err != nil {
		return nil, err
	}
	if pr.sendAuth() != nil && pr.Header.Get("Authorization") != "" {
		// A declared or caller-supplied Authorization wins over the
		// authentication scheme (§7.6).
		pr.x.dyn = nil
	}
	if fwd != nil {
		if err := fwd.passOn(pr); err != nil {
			return nil, err
		}
	}
	u.RawQuery = qb.String()
	pr.URL = u.String()
	pr.envRefs = s.envRefs
	return pr, nil
}

// headersAuthBody sets the headers, lowest precedence first, the
// authentication, the cookies and the body, then checks every header value.
func (e *Engine) headersAuthBody(s *scope, pr *Prepared, qb *strings.Builder, cfg *callConfig) error {
	h := pr.Header
	h.Set("User-Agent", e.userAgent)
	if s.p.Accept != "" {
		h.Set("Accept", s.p.Accept)
	}
	for _, kv := range s.fragHeaders {
		h.Set(kv[0], kv[1])
	}
	for _, hd := range s.p.Headers {
		v, err := s.text(hd.Value, inGeneral, nil)
		if err != nil {
			return err
		}
		h.Set(hd.Name, v)
	}
	if err := e.paramHeaders(s, h, true); err != nil {
		return err
	}
	if err := e.applyAuth(s, pr, qb); err != nil {
		return err
	}
	if err := e.paramHeaders(s, h, false); err != nil {
		return err
	}
	if err := e.cookies(s, h); err != nil {
		return err
	}
	if err := e.body(s, pr, cfg); err != nil {
		return err
	}
	if err := e.extraHeaders(s, h); err != nil {
		return err
	}
	return checkHeaderValues(h)
}

// checkHeaderValues refuses a header value holding a CR, LF or NUL.
func checkHeaderValues(h http.Header) error {
	for name, vs := range h {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n\x00") {
				return &spec.Error{Kind: spec.KindRequest, Msg: "header " + name + " contains a CR, LF or NUL character; nothing was sent"}
			}
		}
	}
	return nil
}

// extraHeaders applies the WithHeader (-H) headers, over every other
// source; an empty value removes the header.
func (e *Engine) extraHeaders(s *scope, h http.Header) error {
	for _, x := range e.headers {
		if x.remove {
			h.Del(x.name)
			continue
		}
		v, err := s.text(x.value, inGeneral, nil)
		if err != nil {
			return err
		}
		if x.name == "Cookie" && h.Get("Cookie") != "" {
			v = h.Get("Cookie") + "; " + v
		}
		h.Set(x.name, v)
	}
	return nil
}

func atPos(p spec.Pos) string {
	if p.IsZero() {
		return ""
	}
	return " (" + p.String() + ")"
}

func toString(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	if s, ok := v.(string); ok {
		return s
	}
	return "unexpected value"
}

// finish sets the reference and redacts the message of an error.
func (e *Engine) finish(err error, ref string) error {
	se := spec.AsError(err)
	if se.Ref == "" {
		se.Ref = ref
	}
	e.binds.Preload(context.Background())
	se.Msg = e.red.Redact(se.Msg)
	se.Hint = e.red.Redact(se.Hint)
	return se
}

// bindParams checks and converts the caller's values, then computes the
// parameters that have a value.
func (e *Engine) bindParams(s *scope, params map[string]any, rawBody bool) error {
	if err := unknownParams(s.p, params); err != nil {
		return err
	}
	if err := callerValues(s, params, rawBody); err != nil {
		return err
	}
	return e.computedValues(s)
}

// unknownParams rejects caller values that name no input.
func unknownParams(p *plan, params map[string]any) error {
	var unknown []string
	for name := range params {
		if _, ok := p.InputParams(name); !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	name := unknown[0]
	msg := "unknown parameter `" + name + "` for " + p.FullRef + program.DidYouMean(program.Suggest(name, p.InputNames, 2))
	hint := "parameters: " + strings.Join(p.InputNames, ", ")
	if len(p.InputNames) == 0 {
		hint = "the operation takes no parameter"
	}
	if len(unknown) > 1 {
		msg = "unknown parameters " + quoteList(unknown) + " for " + p.FullRef
	}
	return &spec.Error{Kind: spec.KindUsage, Msg: msg, Hint: hint}
}

// callerValues converts the caller's values to their declared types and
// reports the required inputs that are missing.
func callerValues(s *scope, params map[string]any, rawBody bool) error {
	p := s.p
	var missing []string
	for _, name := range p.InputNames {
		raw, ok := params[name]
		if ok && raw != nil {
			v, err := convert(p.ParamsOf(name)[0], raw)
			if err != nil {
				return &spec.Error{Kind: spec.KindUsage, Msg: "parameter " + name + ": " + err.Error()}
			}
			if v.v != nil {
				s.vals[name] = v
				continue
			}
		}
		for _, q := range p.ParamsOf(name) {
			if q.Required && !(rawBody && q.In == "body") {
				missing = append(missing, name)
				break
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	word := "parameter"
	if len(missing) > 1 {
		word = "parameters"
	}
	return &spec.Error{Kind: spec.KindUsage, Msg: "missing required " + word + " " + quoteList(missing), Inputs: missing}
}

// computedValues sets the in: environment parameters, then the computed
// values, in declaration order.
func (e *Engine) computedValues(s *scope) error {
	for _, q := range s.p.Params {
		if q.In == "environment" && q.Value == nil {
			if v, ok := e.binds.Env(q.Name); ok {
				s.vals[q.Name] = secretValue(v)
			}
		}
	}
	for _, q := range s.p.Params {
		if q.Value == nil {
			continue
		}
		v, omit, err := s.data(q.Value, true)
		if err != nil {
			return err
		}
		if omit || v == nil {
			continue
		}
		if o, ok := v.(*jsonv.Object); ok {
			b, err := o.MarshalJSON()
			if err != nil {
				return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
			}
			v = string(b)
		}
		if str, ok := v.(string); ok && q.In == "environment" {
			e.red.Add(str)
		}
		cv, err := convert(q, v)
		if err != nil {
			cv = value{v: v}
		}
		s.vals[q.Name] = cv
	}
	return nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}

// buildURL renders the base URI and the path (SPEC.md §6.5).
func (e *Engine) buildURL(s *scope) (*url.URL, error) {
	a := s.p.Source.Adapter
	ns := a.Namespace
	o := e.bases[ns]
	if o == nil {
		o = e.bases[""]
	}
	t := a.BaseURI
	var u *url.URL
	switch {
	case o != nil:
		t = o.tmpl
		u = cloneURL(o.url)
	case t == nil || t.Src == "":
		return nil, &spec.Error{Kind: spec.KindSpec, Pos: a.Pos, Msg: "namespace " + ns + " has no baseUri",
			Namespace: ns, Remedy: spec.RemedyBaseURI}
	default:
		u = cloneURL(s.p.Base)
	}
	if !t.IsLiteral() {
		rendered, err := e.renderBase(s, t)
		if err != nil {
			return nil, err
		}
		u = program.ParseBase(rendered)
	}
	if u == nil {
		rendered, _ := e.renderBase(s, t)
		return nil, &spec.Error{Kind: spec.KindSpec, Pos: a.Pos,
			Msg:       "namespace " + ns + ": baseUri " + quote(e.red.Redact(rendered)) + " is not an absolute http or https URL",
			Namespace: ns, Remedy: spec.RemedyBaseURI}
	}
	// Path: base path + resource path + operation path, values escaped as
	// one segment each.
	var parts [3]string
	parts[0] = u.EscapedPath()
	for i, t := range []*spec.Template{s.p.Source.Resource.PathTmpl, s.p.Source.Op.PathTmpl} {
		if t == nil {
			continue
		}
		str, err := s.pathText(t)
		if err != nil {
			return nil, err
		}
		parts[i+1] = str
	}
	path := spec.JoinPath(parts[0], parts[1], parts[2])
	if i := strings.IndexByte(path, '#'); i >= 0 {
		hs, err := fragmentHeaders(path[i+1:])
		if err != nil {
			return nil, err
		}
		s.fragHeaders = hs
		path = path[:i]
		if path == "" {
			path = "/"
		}
	}
	query := u.RawQuery
	if i := strings.IndexByte(path, '?'); i >= 0 {
		if query != "" {
			query += "&"
		}
		query += path[i+1:]
		path = path[:i]
	}
	u.RawPath = ""
	if dec, err := url.PathUnescape(path); err == nil {
		u.Path = dec
		u.RawPath = path
	} else {
		u.Path = path
	}
	u.RawQuery = query
	u.Fragment = ""
	return u, nil
}

// fragmentHeaders reads the fragment of a path. A fragment is never sent
// over HTTP; the generated AWS files write "/#X-Amz-Target=Service.Action"
// for the AWS JSON protocol, which sends that header to "/". So a fragment
// of Name=value pairs joined by & becomes those request headers (below
// every declared header); any other fragment is a spec error rather than
// a silently different request.
func fragmentHeaders(frag string) ([][2]string, error) {
	var out [][2]string
	for _, kv := range strings.Split(frag, "&") {
		k, v, ok := strings.Cut(kv, "=")
		dv, err := url.PathUnescape(v)
		if !ok || !validHeaderName(k) || err != nil || strings.ContainsAny(dv, "\r\n") {
			return nil, &spec.Error{Kind: spec.KindSpec,
				Msg:  "the path has a fragment #" + frag + ", which HTTP never sends",
				Hint: "remove it from the path, or write it as #Header-Name=value (as in #X-Amz-Target=Service.Action) to send that header"}
		}
		out = append(out, [2]string{k, dv})
	}
	return out, nil
}

// cloneURL returns a copy of u, or nil.
func cloneURL(u *url.URL) *url.URL {
	if u == nil {
		return nil
	}
	c := *u
	return &c
}

// renderBase renders a base URI: {{…}} per §5, single-brace {x} from the
// call's parameters then bound variables; substituted host parts must be
// valid hosts.
func (e *Engine) renderBase(s *scope, t *spec.Template) (string, error) {
	out, err := t.String(func(part spec.Part) (string, error) {
		v, ok, err := s.lookup(part.Name)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", s.missing(part, inBaseURI)
		}
		return v.render()
	})
	if err != nil {
		return "", err
	}
	if !t.IsLiteral() {
		if u, perr := url.Parse(out); perr == nil && !validHost(u.Host) {
			return "", &spec.Error{Kind: spec.KindRequest, Msg: "baseUri of namespace " + s.p.Source.Adapter.Namespace + " renders to an invalid host " + quote(e.red.Redact(u.Host))}
		}
	}
	return out, nil
}

func validHost(h string) bool {
	if h == "" {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == ':' || r == '[' || r == ']') {
			return false
		}
	}
	return true
}

// pathText renders a path template, each value escaped as one segment.
func (s *scope) pathText(t *spec.Template) (string, error) {
	var bad error
	out, err := s.text(t, inGeneral, func(v string) string {
		if v == "" || v == "." || v == ".." {
			if bad == nil {
				bad = &spec.Error{Kind: spec.KindRequest, Msg: "path parameter value " + quote(v) + " is not a valid path segment"}
			}
		}
		return escapeSegment(v)
	})
	if err != nil {
		return "", err
	}
	if bad != nil {
		return "", bad
	}
	return out, nil
}

const upperhex = "0123456789ABCDEF"

// escapeSegment percent-encodes everything but unreserved characters, ':'
// and '@'.
func escapeSegment(s string) string {
	return escape(s, func(c byte) bool { return unreserved(c) || c == ':' || c == '@' })
}

// escapeQuery percent-encodes per RFC 3986: everything outside the
// unreserved set ('+' becomes %2B, space %20).
func escapeQuery(s string) string { return escape(s, unreserved) }

func unreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func escape(s string, keep func(byte) bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keep(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keep(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperhex[c>>4], upperhex[c&15])
		}
	}
	return string(b)
}

// buildQuery appends the query parameters in declaration order (§6.6).
func (e *Engine) buildQuery(s *scope, qb *strings.Builder) error {
	for _, q := range s.p.Params {
		if q.In != "query" {
			continue
		}
		v, ok := s.vals[q.Name]
		if !ok || v.v == nil {
			continue
		}
		if items, isList := v.v.([]any); isList {
			for _, it := range items {
				str, err := jsonv.Render(it)
				if err != nil {
					return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
				}
				addPair(qb, q.Name, str)
			}
			continue
		}
		str, err := v.render()
		if err != nil {
			return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
		}
		addPair(qb, q.Name, str)
	}
	return nil
}

func addPair(qb *strings.Builder, k, v string) {
	if qb.Len() > 0 {
		qb.WriteByte('&')
	}
	qb.WriteString(escapeQuery(k))
	qb.WriteByte('=')
	qb.WriteString(escapeQuery(v))
}

// paramHeaders sets header parameters: computed ones (computed=true, at the
// level of operation headers) or caller-supplied ones (over auth).
func (e *Engine) paramHeaders(s *scope, h http.Header, computed bool) error {
	for _, q := range s.p.Params {
		if q.In != "header" || (q.Value != nil) != computed {
			continue
		}
		v, ok := s.vals[q.Name]
		if !ok || v.v == nil {
			continue
		}
		if !validHeaderName(q.Name) {
			return &spec.Error{Kind: spec.KindRequest, Msg: "header parameter name " + quote(q.Name) + " is not a valid HTTP header name"}
		}
		var str string
		if items, isList := v.v.([]any); isList {
			parts := make([]string, 0, len(items))
			for _, it := range items {
				x, err := jsonv.Render(it)
				if err != nil {
					return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
				}
				parts = append(parts, x)
			}
			str = strings.Join(parts, ", ")
		} else {
			x, err := v.render()
			if err != nil {
				return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
			}
			str = x
		}
		if binder.SensitiveHeader(q.Name) {
			e.red.Add(str)
		}
		if strings.EqualFold(q.Name, "Cookie") && h.Get("Cookie") != "" {
			str = h.Get("Cookie") + "; " + str
		}
		h.Set(q.Name, str)
	}
	return nil
}

// cookies combines in: cookie parameters into one Cookie header (§6.7).
func (e *Engine) cookies(s *scope, h http.Header) error {
	var parts []string
	for _, q := range s.p.Params {
		if q.In != "cookie" {
			continue
		}
		v, ok := s.vals[q.Name]
		if !ok || v.v == nil {
			continue
		}
		str, err := v.render()
		if err != nil {
			return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
		}
		parts = append(parts, q.Name+"="+escape(str, cookieOctet))
	}
	if len(parts) == 0 {
		return nil
	}
	c := strings.Join(parts, "; ")
	if old := h.Get("Cookie"); old != "" {
		c += "; " + old
	}
	h.Set("Cookie", c)
	return nil
}

func cookieOctet(c byte) bool {
	return c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A || c >= 0x3C && c <= 0x5B || c >= 0x5D && c <= 0x7E && c != '%'
}

// validHeaderName reports whether n is an HTTP token (spec.IsToken).
func validHeaderName(n string) bool { return spec.IsToken(n) }

func quote(s string) string { return "\"" + strings.ReplaceAll(s, "\"", "\\\"") + "\"" }
