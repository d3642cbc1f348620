package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// WithMCPAllowedOrigins lets browsers on these origins ("https://app.example.com",
// scheme://host[:port], or "*" for any) call MCP over HTTP. A request
// whose Origin header names another origin gets 403; requests without an
// Origin header (every non-browser client) and requests from the server's
// own origin are always allowed.
func WithMCPAllowedOrigins(origins ...string) Option {
	return func(c *config) { c.mcpOrigins = append(c.mcpOrigins, origins...) }
}

// maxMCPBody bounds an MCP HTTP request body (the go-sdk's default).
const maxMCPBody = mcp.DefaultMaxRequestBodyBytes

// mcpHTTP is naftiko's streamable HTTP transport: the go-sdk's handler,
// twice, behind the checks the 2025-11-25 transport requires.
//
//   - A present Origin that is not allowed gets 403 (DNS rebinding; the
//     SDK's own check only looks at Host on loopback).
//   - A POST body that is not JSON gets a -32700 JSON-RPC error, one that
//     is not a JSON-RPC message -32600, and a request for a method MCP
//     does not have -32601: the SDK answers these with a plain-text 400
//     (go-sdk issue #976).
//   - Requests of the 2026-07-28 revision (MCP-Protocol-Version header or
//     _meta protocol version at 2026-07-28 or later) go to a stateless
//     handler: no session, any replica can answer. Older revisions keep
//     their sessions (the SDK's stateful handler rejects 2026-07-28
//     requests outright).
type mcpHTTP struct {
	stateful, stateless http.Handler
	origins             []string
	// fast answers plain 2026-07-28 tool calls itself (see fastCall); nil
	// when MCP requests are traced, which only the SDK path does.
	fast *fastPath
}

// mcpHTTPHandler serves streamable HTTP on /mcp and /.
func (s *Server) mcpHTTPHandler(a *mcpAdapter) http.Handler {
	get := func(*http.Request) *mcp.Server { return a.srv }
	h := &mcpHTTP{
		stateful:  mcp.NewStreamableHTTPHandler(get, &mcp.StreamableHTTPOptions{Logger: s.sdkLog}),
		stateless: mcp.NewStreamableHTTPHandler(get, &mcp.StreamableHTTPOptions{Logger: s.sdkLog, Stateless: true}),
		origins:   s.cfg.mcpOrigins,
	}
	if s.tracer == nil && !s.cfg.mcpNoFastPath {
		h.fast = newFastPath(a)
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", h)
	mux.Handle("/", h)
	return mux
}

// mcpRevision2026 is the first sessionless revision.
const mcpRevision2026 = "2026-07-28"

// probe is what mcpHTTP reads of a JSON-RPC message. Its _meta values
// stay raw: decoding them into maps cost more than the rest of the probe
// (BenchmarkMCPHTTPRaw, pprof).
type probe struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  *string         `json:"method"`
	Params  struct {
		Meta      rawMeta         `json:"_meta"`
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"params"`
}

// rawMeta is a request's _meta, each value as sent.
type rawMeta map[string]json.RawMessage

// str returns the string value of key, if it has one.
func (m rawMeta) str(key string) (string, bool) {
	raw := m[key]
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// has reports whether _meta holds key (with any value).
func (m rawMeta) has(key string) bool {
	_, ok := m[key]
	return ok
}

func (h *mcpHTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" && !h.allowedOrigin(o, r) {
		writeRPCError(w, http.StatusForbidden, nil, jsonrpc.CodeInvalidRequest, "Forbidden: origin "+o+" is not allowed (see --mcp-allow-origin)")
		return
	}
	modern := r.Header.Get("MCP-Protocol-Version") >= mcpRevision2026
	if r.Method == http.MethodPost && strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/json") {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMCPBody))
		if err != nil {
			writeRPCError(w, http.StatusRequestEntityTooLarge, nil, jsonrpc.CodeInvalidRequest, "the request body is over 4 MiB")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var p probe
		if err := json.Unmarshal(body, &p); err != nil {
			if !json.Valid(body) {
				writeRPCError(w, http.StatusBadRequest, nil, jsonrpc.CodeParseError, "Parse error: the body is not JSON")
				return
			}
			if bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
				writeRPCError(w, http.StatusBadRequest, nil, jsonrpc.CodeInvalidRequest, "Invalid Request: JSON-RPC batches are not supported")
				return
			}
			writeRPCError(w, http.StatusBadRequest, nil, jsonrpc.CodeInvalidRequest, "Invalid Request: "+err.Error())
			return
		}
		if p.Version != "2.0" || (p.Method == nil && p.ID == nil) {
			writeRPCError(w, http.StatusBadRequest, p.ID, jsonrpc.CodeInvalidRequest, `Invalid Request: not a JSON-RPC 2.0 message`)
			return
		}
		if len(p.ID) > 0 && string(p.ID) != "null" && !validID(p.ID) {
			writeRPCError(w, http.StatusBadRequest, nil, jsonrpc.CodeInvalidRequest, "Invalid Request: an id is a string, a number or null")
			return
		}
		if p.Method != nil && len(p.ID) > 0 && !mcpMethod(*p.Method) {
			writeRPCError(w, http.StatusOK, p.ID, jsonrpc.CodeMethodNotFound, "Method not found: "+*p.Method)
			return
		}
		if v, ok := p.Params.Meta.str(mcp.MetaKeyProtocolVersion); ok && v >= mcpRevision2026 {
			modern = true
		}
		if h.fast != nil && h.fast.serve(w, r, &p) {
			return
		}
		if f, ok := metaNeeds(&p, r.Header.Get("MCP-Protocol-Version")); ok {
			body = completeMeta(body, f)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			if f.version != "" { // server/discover: the headers follow the body
				modern = true
				setIfEmpty(r.Header, "MCP-Protocol-Version", f.version)
				setIfEmpty(r.Header, "Mcp-Method", *p.Method)
			}
		}
	}
	if modern {
		h.stateless.ServeHTTP(w, r)
		return
	}
	h.stateful.ServeHTTP(w, r)
}

func setIfEmpty(h http.Header, key, value string) {
	if h.Get(key) == "" {
		h.Set(key, value)
	}
}

// allowedOrigin reports whether a browser origin may call the server: its
// own origin (the Host it was reached at), or a configured one.
func (h *mcpHTTP) allowedOrigin(origin string, r *http.Request) bool {
	o := strings.ToLower(strings.TrimSuffix(origin, "/"))
	host := strings.ToLower(r.Host)
	if o == "http://"+host || o == "https://"+host {
		return true
	}
	for _, a := range h.origins {
		if a == "*" || strings.ToLower(strings.TrimSuffix(a, "/")) == o {
			return true
		}
	}
	return false
}

// mcpMethods are the requests a client may send an MCP server: the
// request methods the go-sdk (v1.8.0) serves, in every revision it speaks
// (TestMCPHTTPErrors checks that each reaches the SDK). Notifications are
// not answered, so they need no check.
var mcpMethods = map[string]bool{
	"initialize": true, "ping": true, "server/discover": true,
	"tools/list": true, "tools/call": true,
	"resources/list": true, "resources/templates/list": true, "resources/read": true,
	"resources/subscribe": true, "resources/unsubscribe": true,
	"prompts/list": true, "prompts/get": true,
	"completion/complete": true, "logging/setLevel": true,
	"subscriptions/listen": true,
}

func mcpMethod(m string) bool { return mcpMethods[m] }

// writeRPCError writes a JSON-RPC error response (id null when unknown).
func writeRPCError(w http.ResponseWriter, status int, id json.RawMessage, code int64, msg string) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b, _ := json.Marshal(struct {
		Version string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   any             `json:"error"`
	}{"2.0", id, map[string]any{"code": code, "message": msg}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}
