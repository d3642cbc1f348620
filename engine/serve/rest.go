package serve

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

// restAdapter serves the routes of one REST adapter (SPEC.md §11.2).
type restAdapter struct {
	s      *Server
	x      *spec.Expose
	routes []*route
}

// route is one path of a REST adapter with its operations by method.
type route struct {
	path string
	segs []seg
	// catchAll names a trailing {{path}} placeholder spanning segments
	// (forward routes only).
	catchAll string
	literals int
	ops      map[string]*restOp
	forward  *spec.Forward
	// passes are the inbound headers a forward carries, by canonical name
	// (forward routes only).
	passes map[string]bool
	res    *spec.RestResource
}

// seg is one path segment: a literal, or a placeholder with an optional
// literal prefix and suffix.
type seg struct {
	lit            string
	param          string
	prefix, suffix string
}

type restOp struct {
	el     *element
	op     *spec.RestOperation
	inputs []*spec.ExposedParam
	// static are the compiled static values of inputs, by index (nil for
	// inputs read from the request).
	static []*program.Value
	id     string
}

// newREST builds the handler of a REST adapter. Operations with element
// errors are left out and logged.
func (s *Server) newREST(x *spec.Expose) http.Handler {
	a := &restAdapter{s: s, x: x}
	byPath := map[string]*route{}
	for _, r := range x.Resources {
		if r.Path == "" {
			continue
		}
		for _, o := range r.Operations {
			full := spec.JoinPath(r.Path, o.Path)
			rt := byPath[full]
			if rt == nil {
				rt = newRoute(full, false)
				rt.res = r
				byPath[full] = rt
				a.routes = append(a.routes, rt)
			}
			el, err := s.prog.Element(&o.Behavior)
			if err != nil {
				s.log.Error("REST operation left out", "adapter", x.Namespace, "route", o.Method+" "+full, "error", err)
				continue
			}
			if rt.ops[o.Method] != nil {
				s.log.Warn("REST operation declared twice; the first is served", "adapter", x.Namespace, "route", o.Method+" "+full)
				continue
			}
			ro := &restOp{el: el, op: o, inputs: el.Inputs, id: full + " " + o.Method, static: make([]*program.Value, len(el.Inputs))}
			for i, p := range el.Inputs {
				if p.Value != nil {
					ro.static[i] = s.prog.CompileValue(p.Value, program.Scope{Own: x.Namespace})
				}
			}
			rt.ops[o.Method] = ro
		}
		if f := r.Forward; f != nil {
			if len(f.Errors) > 0 {
				s.log.Error("REST forward left out", "adapter", x.Namespace, "route", r.Path, "error", program.DiagError(f.Errors[0]))
				continue
			}
			rt := newRoute(r.Path, true)
			rt.res, rt.forward, rt.passes = r, f, forwardPasses(f)
			if rt.catchAll == "" {
				s.log.Warn("forward route has no trailing {{path}} placeholder; only the route itself is forwarded", "route", r.Path)
			}
			a.routes = append(a.routes, rt)
		}
	}
	return a
}

func newRoute(path string, forward bool) *route {
	rt := &route{path: path, ops: map[string]*restOp{}}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 1 && parts[0] == "" {
		parts = nil
	}
	for i, p := range parts {
		t, _ := spec.ParseTemplate(p, spec.Pos{}, false, spec.URLTemplate)
		var sg seg
		names := t.Names()
		switch {
		case len(names) == 0:
			sg.lit = p
			rt.literals++
		case len(names) == 1:
			for _, part := range t.Parts {
				switch {
				case part.Name != "":
					sg.param = part.Name
				case sg.param == "":
					sg.prefix += part.Lit
				default:
					sg.suffix += part.Lit
				}
			}
		default:
			sg.lit = p
			rt.literals++
		}
		if forward && i == len(parts)-1 && sg.param != "" && sg.prefix == "" && sg.suffix == "" {
			rt.catchAll = sg.param
			break
		}
		rt.segs = append(rt.segs, sg)
	}
	return rt
}

// match matches escaped path segments; it returns the decoded path values
// and, for a catch-all, the escaped rest of the path.
func (rt *route) match(segs []string) (map[string]string, string, bool) {
	if rt.catchAll == "" && len(segs) != len(rt.segs) {
		return nil, "", false
	}
	if rt.catchAll != "" && len(segs) < len(rt.segs) {
		return nil, "", false
	}
	var vals map[string]string
	for i, sg := range rt.segs {
		raw := segs[i]
		dec, err := url.PathUnescape(raw)
		if err != nil {
			return nil, "", false
		}
		if sg.param == "" {
			if dec != sg.lit {
				return nil, "", false
			}
			continue
		}
		if !strings.HasPrefix(dec, sg.prefix) || !strings.HasSuffix(dec, sg.suffix) || len(dec) <= len(sg.prefix)+len(sg.suffix) {
			return nil, "", false
		}
		if vals == nil {
			vals = map[string]string{}
		}
		vals[sg.param] = dec[len(sg.prefix) : len(dec)-len(sg.suffix)]
	}
	rest := ""
	if rt.catchAll != "" {
		rest = strings.Join(segs[len(rt.segs):], "/")
		if vals == nil {
			vals = map[string]string{}
		}
		if dec, err := url.PathUnescape(rest); err == nil {
			vals[rt.catchAll] = dec
		}
	}
	return vals, rest, true
}

// allow lists the methods of a route for the Allow header.
func (rt *route) allow() string {
	var ms []string
	for m := range rt.ops {
		ms = append(ms, m)
	}
	if rt.ops[http.MethodGet] != nil && rt.ops[http.MethodHead] == nil {
		ms = append(ms, http.MethodHead)
	}
	slices.Sort(ms)
	return strings.Join(ms, ", ")
}

// splitPath splits an escaped request path into segments; one trailing
// "/" is tolerated.
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// ServeHTTP dispatches a request to its route and operation.
func (a *restAdapter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	segs := splitPath(r.URL.EscapedPath())
	var best *route
	var bestVals map[string]string
	for _, rt := range a.routes {
		vals, _, ok := rt.match(segs)
		if !ok {
			continue
		}
		better := best == nil || (best.catchAll != "" && rt.catchAll == "") ||
			((best.catchAll == "") == (rt.catchAll == "") && rt.literals > best.literals)
		if better {
			best, bestVals = rt, vals
		}
	}
	if best == nil {
		status := a.s.writeError(w, r, &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("no route matches %s %s", r.Method, r.URL.Path)}, http.StatusNotFound)
		a.s.m.request("rest", "unmatched", status, "usage", time.Since(start))
		return
	}
	method := r.Method
	op := best.ops[method]
	head := false
	if op == nil && method == http.MethodHead {
		op, head = best.ops[http.MethodGet], true
	}
	if op == nil {
		// Operations take precedence over forward; any other method of a
		// forward route is forwarded.
		for _, other := range a.routes {
			if other.forward == nil {
				continue
			}
			if _, rest, ok := other.match(segs); ok {
				setOperationID(r.Context(), other.path+" "+method)
				status := a.s.forward(w, r, other, rest)
				a.s.m.request("rest", other.path+" "+method, status, "", time.Since(start))
				return
			}
		}
		if len(best.ops) == 0 && best.forward == nil {
			status := a.s.writeError(w, r, &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("no route matches %s %s", r.Method, r.URL.Path)}, http.StatusNotFound)
			a.s.m.request("rest", "unmatched", status, "usage", time.Since(start))
			return
		}
		w.Header().Set("Allow", best.allow())
		status := a.s.writeError(w, r, &spec.Error{Kind: spec.KindUsage,
			Msg: fmt.Sprintf("method %s is not allowed on %s", method, best.path), Hint: "allowed: " + best.allow()}, http.StatusMethodNotAllowed)
		a.s.m.request("rest", best.path+" "+method, status, "usage", time.Since(start))
		return
	}
	setOperationID(r.Context(), op.id)
	status, kind := a.serveOp(w, r, op, bestVals, head)
	a.s.m.request("rest", op.id, status, kind, time.Since(start))
}

// serveOp runs one operation and writes its response; it returns the
// status and, on failure, the error kind.
func (a *restAdapter) serveOp(w http.ResponseWriter, r *http.Request, op *restOp, pathVals map[string]string, head bool) (int, string) {
	body, rawBody, err := readBody(r)
	if err != nil {
		se := spec.AsError(err)
		st := http.StatusBadRequest
		if strings.Contains(se.Msg, "larger than") {
			st = http.StatusRequestEntityTooLarge
		}
		return a.s.writeError(w, r, se, st), se.Kind.String()
	}
	query := r.URL.Query()
	inv := &invocation{s: a.s, ctx: r.Context(), el: op.el, args: map[string]any{}}
	inv.implicit = func(name string) (any, bool) {
		if v, ok := pathVals[name]; ok {
			return v, true
		}
		if vs, ok := query[name]; ok && len(vs) > 0 {
			return vs[0], true
		}
		if m, ok := body.(map[string]any); ok {
			if v, ok := m[name]; ok {
				return v, true
			}
		}
		if name == "body" && len(rawBody) > 0 {
			if body != nil {
				return body, true
			}
			return string(rawBody), true
		}
		return nil, false
	}
	if err := a.readInputs(inv, r, op, pathVals, query, body); err != nil {
		se := spec.AsError(err)
		return a.s.writeError(w, r, se, 0), se.Kind.String()
	}
	out, err := inv.run()
	if err != nil {
		se := spec.AsError(err)
		return a.s.writeError(w, r, se, 0), se.Kind.String()
	}
	if out.noBody {
		w.WriteHeader(out.status)
		return out.status, ""
	}
	b, err := jsonv.Marshal(out.value)
	if err != nil {
		se := &spec.Error{Kind: spec.KindOutput, Msg: "result cannot be encoded as JSON: " + err.Error()}
		return a.s.writeError(w, r, se, 0), se.Kind.String()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(out.status)
	if !head {
		w.Write(append(b, '\n'))
	}
	return out.status, ""
}

// readInputs reads the declared inputs of op from the request (SPEC.md
// §11.2): static values win, then path, query, header, cookie or body.
func (a *restAdapter) readInputs(inv *invocation, r *http.Request, op *restOp, pathVals map[string]string, query url.Values, body any) error {
	var missing []string
	for i, p := range op.inputs {
		var v any
		found := false
		in := p.In
		if in == "" {
			in = "query"
			if _, ok := pathVals[p.Name]; ok {
				in = "path"
			}
		}
		switch {
		case p.Value != nil:
			x, ok, err := inv.value(op.static[i])
			if err != nil {
				return err
			}
			v, found = x, ok
		case p.Path != nil:
			v = p.Path.Get(body)
			found = v != nil
		default:
			switch in {
			case "path":
				v, found = lookupString(pathVals, p.Name)
			case "query":
				if vs, ok := query[p.Name]; ok && len(vs) > 0 {
					v, found = vs[0], true
				}
			case "header":
				if vs := r.Header.Values(p.Name); len(vs) > 0 {
					v, found = vs[0], true
				}
			case "cookie":
				if c, err := r.Cookie(p.Name); err == nil {
					v, found = c.Value, true
				}
			case "body":
				if m, ok := body.(map[string]any); ok {
					v, found = m[p.Name]
				}
			}
		}
		if !found || v == nil {
			if p.Required || in == "path" {
				missing = append(missing, p.Name)
			}
			continue
		}
		cv, err := convertInput(p, v)
		if err != nil {
			return err
		}
		inv.args[p.Name] = cv
	}
	if len(missing) > 0 {
		return errUsage("missing required input%s %s", plural(len(missing)), strings.Join(quoteAll(missing), ", "))
	}
	return nil
}

func lookupString(m map[string]string, k string) (any, bool) {
	v, ok := m[k]
	return v, ok
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}

// convertInput converts a value to the input's declared type (SPEC.md
// §6.3) and checks its pattern.
func convertInput(p *spec.ExposedParam, v any) (any, error) {
	cv, err := convertValue(p.Type, v)
	if err != nil {
		return nil, errUsage("input `%s`: %v", p.Name, err)
	}
	if p.PatternRe != nil {
		if s, ok := cv.(string); ok && !p.PatternRe.MatchString(s) {
			return nil, errUsage("input `%s`: %q does not match the pattern %s", p.Name, s, p.Pattern)
		}
	}
	return cv, nil
}

// convertValue converts v to typ (SPEC.md §6.3, as for any caller).
func convertValue(typ string, v any) (any, error) {
	cv, _, err := jsonv.Convert(typ, v)
	return cv, err
}

// readRaw reads a request body as it came, capped at 10 MiB; nil when
// there is none.
func readRaw(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return nil, errUsage("cannot read the request body: %v", err)
	}
	if len(raw) > maxRequestBody {
		return nil, errUsage("the request body is larger than the 10 MiB limit")
	}
	return raw, nil
}

// readBody reads a REST request body (capped at 10 MiB) and decodes it
// when it is JSON.
func readBody(r *http.Request) (any, []byte, error) {
	raw, err := readRaw(r)
	if err != nil {
		return nil, nil, err
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, nil, nil
	}
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	isJSON := strings.Contains(ct, "json") || (ct == "" && (trimmed[0] == '{' || trimmed[0] == '['))
	if !isJSON {
		return nil, raw, nil
	}
	var v any
	if err := jsonv.DecodeTyped(raw, &v); err != nil {
		return nil, nil, errUsage("the request body is not valid JSON: %v", err)
	}
	return v, raw, nil
}

// writeError writes err as a REST error (SPEC.md §10): the upstream's
// status and body for upstream errors, else {"error": {kind, message,
// hint}} with the kind's status (or status when non-zero). It returns the
// status written.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error, status int) int {
	se := spec.AsError(err)
	if se.Kind == spec.KindUpstream && se.Status > 0 {
		ct := ""
		if se.Header != nil {
			ct = se.Header.Get("Content-Type")
		}
		if ct == "" {
			ct = "application/json"
		}
		body := []byte(s.redact(string(se.Raw)))
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(se.Status)
		if r.Method != http.MethodHead {
			w.Write(body)
		}
		return se.Status
	}
	if status == 0 {
		status = se.HTTPStatus()
	}
	s.log.Debug("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "error", s.redact(se.Error()))
	// Inputs an error names are the request's path, query or body inputs
	// (the engine leaves the wording to each caller).
	hint := se.HintFor(restWording)
	writeJSON(w, status, errorBody(se.Kind.String(), s.redact(se.Msg), s.redact(hint)))
	return status
}

// redact masks every secret the server and the engine have seen.
func (s *Server) redact(text string) string {
	if text == "" {
		return text
	}
	return s.eng.Redact(s.binds.Redactor().Redact(text))
}
