package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
	"github.com/naftiko/naftiko/spec/program"
)

type engineInput = engine.Input

// mcpAdapter is the MCP server of one adapter (or of the generated tools).
type mcpAdapter struct {
	ns  string
	srv *mcp.Server
	// cat lists the server's features; impl is its serverInfo.
	cat  *catalog
	impl *mcp.Implementation
}

// toolInput is one property of a tool's input schema.
type toolInput struct {
	name     string
	typ      string
	desc     string
	required bool
}

// mcpTool is a tool ready to serve.
type mcpTool struct {
	el     *element
	inputs []toolInput
}

// mcpCapabilities are the capabilities every naftiko MCP server
// advertises before the SDK adds those it infers from what is registered
// (resources, prompts, completions, subscriptions): tools, even when every
// tool of the adapter was left out, and logging (the SDK's default, kept
// because tool calls send log notifications).
func mcpCapabilities() *mcp.ServerCapabilities {
	return &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{ListChanged: true}, Logging: &mcp.LoggingCapabilities{}}
}

// newMCP builds the MCP server of an adapter: its tools, resources and
// prompts. Elements with errors are left out and logged.
func (s *Server) newMCP(x *spec.Expose) *mcpAdapter {
	cat := s.newCatalog()
	impl := &mcp.Implementation{Name: x.Namespace, Title: x.Label, Version: s.cfg.version}
	srv := mcp.NewServer(impl,
		&mcp.ServerOptions{Instructions: x.Description, Logger: s.sdkLog, Capabilities: mcpCapabilities(), CompletionHandler: cat.complete,
			SubscribeHandler: cat.subscribe, UnsubscribeHandler: cat.unsubscribe})
	cat.install(srv)
	for _, t := range x.Tools {
		el, err := s.prog.Element(&t.Behavior)
		if err != nil {
			s.log.Error("MCP tool left out", "adapter", x.Namespace, "tool", t.Name, "error", err)
			continue
		}
		tool := &mcpTool{el: el, inputs: s.toolInputs(el)}
		def := &mcp.Tool{Name: shortToolName(t.Name), Title: t.Label, Description: el.Description, InputSchema: inputSchema(tool.inputs),
			Annotations: annotations(t.Hints, t.Label, t.Behavior.Function)}
		if err := cat.addTool(srv, def, s.toolHandler(tool)); err != nil {
			s.log.Error("MCP tool left out", "adapter", x.Namespace, "tool", t.Name, "error", err)
		}
	}
	for _, r := range x.MCPResources {
		if err := s.addResource(srv, cat, x.Namespace, r); err != nil {
			s.log.Error("MCP resource left out", "adapter", x.Namespace, "resource", r.Name, "error", err)
		}
	}
	for _, p := range x.Prompts {
		if err := s.addPrompt(srv, cat, p); err != nil {
			s.log.Error("MCP prompt left out", "adapter", x.Namespace, "prompt", p.Name, "error", err)
		}
	}
	return &mcpAdapter{ns: x.Namespace, srv: srv, cat: cat, impl: impl}
}

// generatedMCP builds tools from the consumed operations of a document
// without an MCP adapter (SPEC.md §11.3): GET and HEAD only unless
// WithWrites.
func (s *Server) generatedMCP() *mcpAdapter {
	label := s.cap.Info.Label
	impl := &mcp.Implementation{Name: label, Version: s.cfg.version}
	srv := mcp.NewServer(impl,
		&mcp.ServerOptions{Instructions: s.cap.Info.Description, Logger: s.sdkLog, Capabilities: mcpCapabilities()})
	cat := s.newCatalog()
	cat.install(srv)
	used := map[string]bool{}
	for _, op := range s.eng.Operations() {
		if !s.cfg.writes && op.Method != http.MethodGet && op.Method != http.MethodHead {
			continue
		}
		name := uniqueName(toolName(op.Name), used)
		el := program.GeneratedElement(name, op)
		var inputs []toolInput
		for _, in := range op.Inputs {
			inputs = append(inputs, toolInput{name: in.Name, typ: in.Type, desc: in.Description, required: in.Required})
		}
		desc := op.Description
		if desc == "" {
			desc = op.Method + " " + op.Path
		}
		readOnly := op.Method == http.MethodGet || op.Method == http.MethodHead
		ann := &mcp.ToolAnnotations{ReadOnlyHint: readOnly}
		if op.Method == http.MethodDelete {
			ann.DestructiveHint = ptr(true)
		}
		def := &mcp.Tool{Name: name, Description: desc, InputSchema: inputSchema(inputs), Annotations: ann}
		tool := &mcpTool{el: el, inputs: inputs}
		if err := cat.addTool(srv, def, s.toolHandler(tool)); err != nil {
			s.log.Error("generated tool left out", "tool", name, "error", err)
		}
	}
	return &mcpAdapter{ns: label, srv: srv, cat: cat, impl: impl}
}

var toolNameBad = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// toolName makes an operation name a valid tool name.
func toolName(n string) string {
	n = toolNameBad.ReplaceAllString(n, "_")
	if n == "" {
		n = "tool"
	}
	return shortToolName(n)
}

// maxToolName is the longest tool name many MCP clients accept.
const maxToolName = 64

// shortToolName shortens a name longer than maxToolName to its first 55
// bytes, "_" and 8 hex digits of the SHA-256 of the whole name: the same
// name always gives the same tool name, the start stays readable, and two
// names sharing their first 55 bytes still differ.
func shortToolName(n string) string {
	if len(n) <= maxToolName {
		return n
	}
	sum := sha256.Sum256([]byte(n))
	cut := maxToolName - 9
	for cut > 0 && !utf8.RuneStart(n[cut]) {
		cut--
	}
	return n[:cut] + "_" + hex.EncodeToString(sum[:4])
}

// uniqueName returns n, or n with a numeric suffix, not in used, at most
// 64 characters; it records the result.
func uniqueName(n string, used map[string]bool) string {
	out := n
	for i := 2; used[out]; i++ {
		suf := fmt.Sprintf("_%d", i)
		base := n
		if len(base)+len(suf) > maxToolName {
			base = base[:maxToolName-len(suf)]
		}
		out = base + suf
	}
	used[out] = true
	return out
}

func ptr[T any](v T) *T { return &v }

// safely runs f, turning a panic of the SDK (an invalid schema or URI)
// into an error.
func safely(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	f()
	return nil
}

// annotations maps hints (and, for ref tools, function semantics) to MCP
// tool annotations; explicit hints win per field (SPEC.md §12.5).
func annotations(h spec.Hints, label string, f *spec.Function) *mcp.ToolAnnotations {
	readOnly, destructive, idempotent, openWorld := h.ReadOnly, h.Destructive, h.Idempotent, h.OpenWorld
	if f != nil {
		sem := f.Semantics
		if sem.Safe != nil {
			if readOnly == nil {
				readOnly = ptr(*sem.Safe)
			}
			if *sem.Safe && destructive == nil {
				destructive = ptr(false)
			}
		}
		if sem.Idempotent != nil && *sem.Idempotent && idempotent == nil {
			idempotent = ptr(true)
		}
	}
	if readOnly == nil && destructive == nil && idempotent == nil && openWorld == nil && label == "" {
		return nil
	}
	a := &mcp.ToolAnnotations{Title: label, DestructiveHint: destructive, OpenWorldHint: openWorld}
	if readOnly != nil {
		a.ReadOnlyHint = *readOnly
	}
	if idempotent != nil {
		a.IdempotentHint = *idempotent
	}
	return a
}

// toolInputs builds a declared tool's inputs: its inputParameters, then
// the implicit inputs that `with` references (SPEC.md §11.3). A tool with
// neither `with` nor inputs takes its target operation's inputs (project
// decision: hundreds of published tools rely on it).
func (s *Server) toolInputs(el *element) []toolInput {
	var out []toolInput
	has := func(n string) bool {
		return slices.ContainsFunc(out, func(t toolInput) bool { return t.name == n })
	}
	for _, p := range el.Inputs {
		out = append(out, toolInput{name: p.Name, typ: p.Type, desc: p.Description, required: !p.RequiredSet || p.Required})
	}
	addRefs := func(with []*spec.WithValue, target targetInputs) {
		for _, w := range with {
			for _, name := range s.prog.InputRefs(el, w.Value) {
				if has(name) {
					continue
				}
				ti := toolInput{name: name}
				if in := target.find(w.Name); in != nil {
					ti.typ, ti.desc, ti.required = in.Type, in.Description, in.Required
				}
				if w.Value.Kind != spec.DataString {
					ti.typ, ti.required = "", false
				}
				out = append(out, ti)
			}
		}
	}
	b := el.Behavior
	if el.Target != nil {
		addRefs(b.With, targetInputs(el.Target.Inputs))
		if program.TakesTargetInputs(el.Inputs, b) {
			for _, in := range el.Target.Inputs {
				if !has(in.Name) {
					out = append(out, toolInput{name: in.Name, typ: in.Type, desc: in.Description, required: in.Required})
				}
			}
		}
	}
	for _, st := range el.Steps {
		if st.Target != nil {
			addRefs(st.Step.With, targetInputs(st.Target.Inputs))
		}
	}
	return out
}

type targetInputs []engineInput

func (t targetInputs) find(name string) *engineInput {
	for i := range t {
		if t[i].Name == name {
			return &t[i]
		}
	}
	return nil
}

// jsonSchemaDialect is the JSON Schema dialect of input schemas, the
// default of MCP 2025-11-25 (SEP-1613), declared so that clients of older
// revisions do not guess draft-07.
const jsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// inputSchema builds a tool's input JSON schema.
func inputSchema(inputs []toolInput) map[string]any {
	props := map[string]any{}
	required := []string{}
	for _, in := range inputs {
		p := map[string]any{"type": jsonType(in.typ)}
		if in.typ == "array" {
			p["items"] = map[string]any{"type": "string"}
		}
		if in.desc != "" {
			p["description"] = in.desc
		}
		props[in.name] = p
		if in.required {
			required = append(required, in.name)
		}
	}
	return map[string]any{"$schema": jsonSchemaDialect, "type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func jsonType(t string) string {
	switch t {
	case "integer", "number", "boolean", "array", "object":
		return t
	}
	return "string"
}

// checkArgs validates tool arguments against the inputs and converts them
// (SPEC.md §11.3): every problem is reported, none is sent upstream.
func checkArgs(raw json.RawMessage, inputs []toolInput) (map[string]any, []string) {
	args := map[string]any{}
	if len(raw) > 0 && string(raw) != "null" {
		var m map[string]any
		if err := jsonv.DecodeTyped(raw, &m); err != nil {
			return nil, []string{"arguments must be a JSON object: " + err.Error()}
		}
		args = m
	}
	var problems []string
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := slices.IndexFunc(inputs, func(t toolInput) bool { return t.name == k })
		if i < 0 {
			names := make([]string, len(inputs))
			for j, t := range inputs {
				names[j] = t.name
			}
			msg := fmt.Sprintf("unknown argument `%s`", k)
			if len(names) > 0 {
				msg += " (arguments: " + strings.Join(names, ", ") + ")"
			}
			problems = append(problems, msg)
			continue
		}
		if args[k] == nil {
			delete(args, k)
			continue
		}
		v, err := convertValue(inputs[i].typ, args[k])
		if err != nil || (inputs[i].typ == "array" && !isList(args[k])) {
			if err == nil {
				err = fmt.Errorf("expected an array, got %s", jsonv.Describe(args[k]))
			}
			problems = append(problems, fmt.Sprintf("argument `%s`: %v", k, err))
			continue
		}
		args[k] = v
	}
	for _, in := range inputs {
		if _, ok := args[in.name]; !ok && in.required {
			problems = append(problems, fmt.Sprintf("missing required argument `%s`", in.name))
		}
	}
	return args, problems
}

func isList(v any) bool {
	_, ok := v.([]any)
	return ok
}

// toolHandler runs a tool: arguments are validated, the element runs, and
// the result (or error) becomes a tool result.
func (s *Server) toolHandler(t *mcpTool) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		args, problems := checkArgs(req.Params.Arguments, t.inputs)
		if len(problems) > 0 {
			s.m.request("mcp", t.el.Name, http.StatusBadRequest, "usage", time.Since(start))
			for i, p := range problems {
				problems[i] = s.redact(p) // an argument may equal a secret
			}
			msg := "invalid arguments for tool " + t.el.Name + ": " + strings.Join(problems, "; ")
			return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: msg}},
				StructuredContent: map[string]any{"error": map[string]any{"kind": "usage", "problems": problems}}}, nil
		}
		ctx, end := s.startSpan(ctx, "mcp.tool", attrOperationID.String(t.el.Name))
		n := s.newNotifier(ctx, req, t.el.Name)
		n.started()
		inv := &invocation{s: s, ctx: n.trace(ctx), el: t.el, args: args}
		out, err := runSafely(inv)
		end(err)
		n.finished(err, time.Since(start))
		if err != nil {
			se := spec.AsError(err)
			s.m.request("mcp", t.el.Name, se.HTTPStatus(), se.Kind.String(), time.Since(start))
			return s.errorResult(se), nil
		}
		s.m.request("mcp", t.el.Name, out.status, "", time.Since(start))
		switch {
		case out.parts != nil:
			if size := partsSize(out.parts); size > s.cfg.maxResult {
				return s.errorResult(&spec.Error{Kind: spec.KindOutput, Msg: partsTooBig(size, s.cfg.maxResult)}), nil
			}
			return &mcp.CallToolResult{Content: contentOf(out.parts, "naftiko://tools/"+t.el.Name)}, nil
		case out.noBody || (out.value == nil && len(t.el.Outputs) == 0):
			// An upstream 204 or an empty body: no content at all.
			return &mcp.CallToolResult{Content: []mcp.Content{}}, nil
		}
		return s.toolResult(out.value)
	}
}

// runSafely runs an invocation, turning a panic into an internal error.
func runSafely(inv *invocation) (out *outcome, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, &spec.Error{Kind: spec.KindInternal, Msg: fmt.Sprintf("panic: %v", r)}
		}
	}()
	return inv.run()
}

// toolResult formats a result: text and structuredContent, truncated at
// the size cap.
func (s *Server) toolResult(v any) (*mcp.CallToolResult, error) {
	var text string
	var encoded []byte // v as JSON, when v is not a string
	if str, ok := v.(string); ok {
		text = str
	} else {
		b, err := jsonv.Marshal(v)
		if err != nil {
			return s.errorResult(&spec.Error{Kind: spec.KindOutput, Msg: "result cannot be encoded as JSON: " + err.Error()}), nil
		}
		text, encoded = string(b), b
	}
	if t, cut := s.truncate(text); cut {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: t}}}, nil
	}
	// structuredContent is the same JSON as the text: reuse the encoding
	// rather than have the result encoded a second time.
	var structured json.RawMessage
	switch v.(type) {
	case map[string]any, *jsonv.Object:
		structured = encoded
	default:
		if encoded == nil {
			encoded, _ = json.Marshal(text)
		}
		structured = make(json.RawMessage, 0, len(encoded)+11)
		structured = append(append(append(structured, `{"result":`...), encoded...), '}')
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}, StructuredContent: structured}, nil
}

// truncate cuts text at the result cap, on a character boundary, and
// appends the marker line.
func (s *Server) truncate(text string) (string, bool) {
	limit := s.cfg.maxResult
	if len(text) <= limit {
		return text, false
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + fmt.Sprintf("\n[truncated: result is %d bytes, limit %d bytes; narrow the request]", len(text), limit), true
}

// errorResult formats an error as an isError result (SPEC.md §10): the
// redacted message, and for upstream errors the status and body.
func (s *Server) errorResult(se *spec.Error) *mcp.CallToolResult {
	var b strings.Builder
	b.WriteString(se.Error())
	if hint := se.HintFor(mcpWording); hint != "" {
		b.WriteString("\nhint: ")
		b.WriteString(hint)
	}
	e := map[string]any{"kind": se.Kind.String()}
	if se.Kind == spec.KindUpstream {
		fmt.Fprintf(&b, "\nstatus: %d %s", se.Status, http.StatusText(se.Status))
		e["status"] = se.Status
		if se.Body != nil {
			bodyText := jsonv.Text(se.Body)
			b.WriteString("\nbody: ")
			b.WriteString(bodyText)
			e["body"] = se.Body
		}
	}
	text, cut := s.truncate(s.redact(b.String()))
	res := &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: text}}}
	if !cut {
		if eb, err := jsonv.Marshal(map[string]any{"error": e}); err == nil {
			res.StructuredContent = json.RawMessage(s.redact(string(eb)))
		}
	}
	return res
}

// ---------------------------------------------------------------------------
// Resources.

var safeSegment = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// addResource registers a static (location) or dynamic (behaviour) MCP
// resource.
func (s *Server) addResource(srv *mcp.Server, cat *catalog, ns string, r *spec.MCPResource) error {
	if len(r.Errors) > 0 {
		return program.DiagError(r.Errors[0])
	}
	if r.Location != "" {
		return s.addStaticResource(srv, cat, r)
	}
	el, err := s.prog.Element(&r.Behavior)
	if err != nil {
		return err
	}
	mimeType := r.MIMEType
	if mimeType == "" {
		mimeType = "application/json"
	}
	// The URI template is compiled once, at registration.
	pat := compileURI(r.URI)
	handler := func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		start := time.Now()
		args := map[string]any{}
		if len(pat.names) > 0 {
			vals, ok := pat.match(req.Params.URI)
			if !ok {
				return nil, mcp.ResourceNotFoundError(req.Params.URI)
			}
			for k, v := range vals {
				args[k] = v
			}
		}
		inv := &invocation{s: s, ctx: ctx, el: el, args: args}
		out, err := runSafely(inv)
		if err != nil {
			se := spec.AsError(err)
			s.m.request("mcp", "resource "+r.Name, se.HTTPStatus(), se.Kind.String(), time.Since(start))
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: s.redact(se.Error())}
		}
		s.m.request("mcp", "resource "+r.Name, out.status, "", time.Since(start))
		if out.parts != nil {
			if size := partsSize(out.parts); size > s.cfg.maxResult {
				return nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: partsTooBig(size, s.cfg.maxResult)}
			}
			res := &mcp.ReadResourceResult{}
			for i, p := range out.parts {
				res.Contents = append(res.Contents, resourceContents(partURI(req.Params.URI, i, len(out.parts)), p))
			}
			return res, nil
		}
		text := ""
		if str, ok := out.value.(string); ok {
			text = str
		} else if !out.noBody {
			b, _ := jsonv.Marshal(out.value)
			text = string(b)
		}
		text, _ = s.truncate(text)
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: mimeType, Text: text}}}, nil
	}
	if len(pat.names) == 0 {
		return cat.addResource(srv, &mcp.Resource{URI: r.URI, Name: r.Name, Title: r.Label, Description: r.Description, MIMEType: mimeType}, handler)
	}
	return cat.addTemplate(srv, &mcp.ResourceTemplate{URITemplate: r.URI, Name: r.Name, Title: r.Label, Description: r.Description,
		MIMEType: mimeType}, pat, handler)
}

var uriParam = regexp.MustCompile(`\{([^{}/]+)\}`)

// uriPattern is a resource URI template compiled once: its {param}
// placeholders (names, in order) match one segment each.
type uriPattern struct {
	re    *regexp.Regexp
	names []string
}

func compileURI(tmpl string) *uriPattern {
	var re strings.Builder
	re.WriteByte('^')
	last := 0
	var names []string
	for _, loc := range uriParam.FindAllStringSubmatchIndex(tmpl, -1) {
		re.WriteString(regexp.QuoteMeta(tmpl[last:loc[0]]))
		re.WriteString(`([^/]+)`)
		names = append(names, tmpl[loc[2]:loc[3]])
		last = loc[1]
	}
	re.WriteString(regexp.QuoteMeta(tmpl[last:]))
	re.WriteByte('$')
	return &uriPattern{re: regexp.MustCompile(re.String()), names: names}
}

// match matches a concrete URI against the template.
func (p *uriPattern) match(uri string) (map[string]string, bool) {
	m := p.re.FindStringSubmatch(uri)
	if m == nil {
		return nil, false
	}
	out := make(map[string]string, len(p.names))
	for i, n := range p.names {
		out[n] = m[i+1]
	}
	return out, true
}

// staticDir resolves a file:// location against the capability's
// directory.
func (s *Server) staticDir(loc string) (string, error) {
	p, ok := strings.CutPrefix(loc, "file://")
	if !ok {
		return "", fmt.Errorf("location %q is not a file:// URI", loc)
	}
	if !filepath.IsAbs(p) || strings.HasPrefix(p, "/./") {
		p = filepath.Join(s.cap.Dir, strings.TrimPrefix(p, "/"))
	}
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("location %s is not a directory", p)
	}
	return real, nil
}

// addStaticResource serves the files under a file:// directory: each file
// is listed, and any path under the URI prefix is readable.
func (s *Server) addStaticResource(srv *mcp.Server, cat *catalog, r *spec.MCPResource) error {
	dir, err := s.staticDir(r.Location)
	if err != nil {
		return err
	}
	prefix := strings.TrimSuffix(r.URI, "/") + "/"
	read := func(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
		rel, ok := strings.CutPrefix(req.Params.URI, prefix)
		if !ok {
			return nil, mcp.ResourceNotFoundError(req.Params.URI)
		}
		p, fi, ok := safeFile(dir, rel)
		if !ok || fi.Size() > int64(s.cfg.maxResult)*4 {
			return nil, mcp.ResourceNotFoundError(req.Params.URI)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, mcp.ResourceNotFoundError(req.Params.URI)
		}
		mt := r.MIMEType
		if mt == "" {
			mt = mime.TypeByExtension(filepath.Ext(p))
		}
		if mt == "" {
			mt = "text/plain"
		}
		c := &mcp.ResourceContents{URI: req.Params.URI, MIMEType: mt}
		if utf8.Valid(data) {
			c.Text = string(data)
		} else {
			c.Blob = data
		}
		return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{c}}, nil
	}
	count := 0
	var paths []string
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || count >= 1000 {
			return filepath.SkipDir
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		uri := prefix + filepath.ToSlash(rel)
		count++
		paths = append(paths, filepath.ToSlash(rel))
		return cat.addResource(srv, &mcp.Resource{URI: uri, Name: r.Name + "/" + filepath.ToSlash(rel), Description: r.Description,
			MIMEType: r.MIMEType}, read)
	})
	if err != nil {
		return err
	}
	cat.completable("resource:"+prefix+"{+path}", "path", paths)
	return cat.addTemplate(srv, &mcp.ResourceTemplate{URITemplate: prefix + "{+path}", Name: r.Name, Title: r.Label,
		Description: r.Description, MIMEType: r.MIMEType}, nil, read)
}

// ---------------------------------------------------------------------------
// Prompts.

// addPrompt registers a prompt: inline messages or a location file.
func (s *Server) addPrompt(srv *mcp.Server, cat *catalog, p *spec.Prompt) error {
	if len(p.Errors) > 0 {
		return program.DiagError(p.Errors[0])
	}
	msgs := p.Messages
	var media *part
	if p.Location != "" && len(msgs) == 0 {
		path, ok := strings.CutPrefix(p.Location, "file://")
		if !ok {
			path = p.Location
		}
		if !filepath.IsAbs(path) || strings.HasPrefix(path, "/./") {
			path = filepath.Join(s.cap.Dir, strings.TrimPrefix(path, "/"))
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if media = promptMedia(path, data); media == nil {
			msgs = []*spec.PromptMessage{{Role: "user", Content: string(data)}}
		}
	}
	args := make([]*mcp.PromptArgument, len(p.Arguments))
	for i, a := range p.Arguments {
		args[i] = &mcp.PromptArgument{Name: a.Name, Title: a.Label, Description: a.Description, Required: a.Required}
	}
	// Message templates are compiled once, at registration.
	tmpls := make([]*spec.Template, len(msgs))
	for i, m := range msgs {
		tmpls[i], _ = spec.ParseTemplate(m.Content, spec.Pos{}, false, spec.TextTemplate)
	}
	handler := func(ctx context.Context, req *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		var missing []string
		for _, a := range p.Arguments {
			if _, ok := req.Params.Arguments[a.Name]; a.Required && !ok {
				missing = append(missing, a.Name)
			}
		}
		if len(missing) > 0 {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams,
				Message: fmt.Sprintf("prompt %s: missing required argument%s %s", p.Name, plural(len(missing)), strings.Join(quoteAll(missing), ", "))}
		}
		res := &mcp.GetPromptResult{Description: p.Description}
		if media != nil {
			res.Messages = []*mcp.PromptMessage{{Role: "user", Content: contentOf([]part{*media}, p.Location)[0]}}
		}
		for i, m := range msgs {
			res.Messages = append(res.Messages, &mcp.PromptMessage{Role: mcp.Role(m.Role),
				Content: &mcp.TextContent{Text: fillPrompt(tmpls[i], p.Arguments, req.Params.Arguments)}})
		}
		return res, nil
	}
	return cat.addPrompt(srv, &mcp.Prompt{Name: p.Name, Title: p.Label, Description: p.Description, Arguments: args}, handler)
}

// fillPrompt replaces {{arg}} placeholders with the arguments' text;
// placeholders naming no argument are left as written, and values are
// not expanded again.
func fillPrompt(t *spec.Template, declared []*spec.PromptArgument, vals map[string]string) string {
	var b strings.Builder
	for _, part := range t.Parts {
		if part.Name == "" {
			b.WriteString(part.Lit)
			continue
		}
		if v, ok := vals[part.Name]; ok {
			b.WriteString(v)
			continue
		}
		if slices.ContainsFunc(declared, func(a *spec.PromptArgument) bool { return a.Name == part.Name }) {
			continue
		}
		b.WriteString("{{" + part.Name + "}}")
	}
	return b.String()
}
