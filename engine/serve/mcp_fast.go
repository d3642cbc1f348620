package serve

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// fastPath answers the commonest MCP request, a 2026-07-28 tools/call
// over HTTP that asks for no notifications, without the go-sdk's
// transport. Measured with pprof, a tool call through the SDK's
// streamable HTTP handler costs about 700 KB and 1,100 allocations, most
// of them in its JSON decoding (a fresh streaming decoder per message,
// several per request, and a temporary session per sessionless request):
// 1 ms at the median on the 2-core development machine, against ~40 µs
// for the upstream call itself. The sessionless revision needs no
// session, so the request can run the tool handler directly and answer
// with one application/json JSON-RPC response, which the revision allows.
//
// Anything else — older revisions, other methods, a progress token or a
// log level (notifications need an SSE stream), an unknown tool, a _meta
// the SDK would reject, traced requests — goes to the SDK unchanged, so
// the SDK stays the authority on every error. TestMCPFastPath checks that
// both paths give the same answers.
type fastPath struct {
	tools    map[string]mcp.ToolHandler
	versions []string
	// meta is the response _meta (the server's serverInfo), encoded once.
	meta json.RawMessage
}

func newFastPath(a *mcpAdapter) *fastPath {
	meta, err := json.Marshal(map[string]any{mcp.MetaKeyServerInfo: a.impl})
	if err != nil || a.cat == nil {
		return nil
	}
	versions := slices.DeleteFunc(mcp.SupportedProtocolVersions(), func(v string) bool { return v < mcpRevision2026 })
	return &fastPath{tools: a.cat.handlers, versions: versions, meta: meta}
}

// serve answers the request when it is a plain 2026-07-28 tool call and
// reports whether it did.
func (f *fastPath) serve(w http.ResponseWriter, r *http.Request, p *probe) bool {
	if !f.plain(r, p) {
		return false
	}
	h := f.tools[p.Params.Name]
	if h == nil {
		return false
	}
	req := &mcp.CallToolRequest{Params: &mcp.CallToolParamsRaw{Name: p.Params.Name, Arguments: p.Params.Arguments}}
	res, err := h(r.Context(), req)
	if err != nil {
		writeRPCError(w, http.StatusOK, p.ID, -32603, err.Error())
		return true
	}
	meta := f.meta
	if len(res.Meta) > 0 { // the tool set _meta of its own: add serverInfo to it
		m := maps.Clone(res.Meta)
		var si map[string]any
		_ = json.Unmarshal(f.meta, &si)
		maps.Copy(m, si)
		meta, _ = json.Marshal(m)
		res.Meta = nil
	}
	body, ok := plainResult(res)
	if !ok {
		body, err = json.Marshal(res)
	}
	if err != nil || len(body) < 2 || body[len(body)-1] != '}' {
		writeRPCError(w, http.StatusOK, p.ID, -32603, "the tool result cannot be encoded")
		return true
	}
	var b bytes.Buffer
	b.Grow(len(body) + len(meta) + len(p.ID) + 96)
	b.WriteString(`{"jsonrpc":"2.0","id":`)
	b.Write(p.ID)
	b.WriteString(`,"result":{"_meta":`)
	b.Write(meta)
	b.WriteString(`,"resultType":"complete"`)
	if len(body) > 2 {
		b.WriteByte(',')
		b.Write(body[1 : len(body)-1])
	}
	b.WriteString("}}\n")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return true
}

// plain reports whether a request is a 2026-07-28 tool call the fast path
// may answer: its headers agree with its body, its _meta is valid and asks
// for no notification, and it accepts a JSON answer.
func (f *fastPath) plain(r *http.Request, p *probe) bool {
	if p.Method == nil || *p.Method != "tools/call" || len(p.ID) == 0 || p.ID[0] == 'n' {
		return false
	}
	// The standard headers of 2026-07-28 (SEP-2243) must repeat the method
	// and the tool name; the SDK answers a mismatch.
	if r.Header.Get("Mcp-Method") != "tools/call" || r.Header.Get("Mcp-Name") != p.Params.Name {
		return false
	}
	pm := p.Params.Meta
	version, _ := pm.str(mcp.MetaKeyProtocolVersion)
	if version == "" || r.Header.Get("MCP-Protocol-Version") != version || !slices.Contains(f.versions, version) {
		return false
	}
	if c, present := pm[mcp.MetaKeyClientCapabilities]; present && c[0] != '{' {
		return false
	} // absent is no optional capability (see completeMeta)
	if ci, present := pm[mcp.MetaKeyClientInfo]; present {
		var info struct {
			Name json.RawMessage `json:"name"`
		}
		if ci[0] != '{' || json.Unmarshal(ci, &info) != nil || len(info.Name) == 0 || string(info.Name) == "null" {
			return false
		}
	}
	if pm.has("progressToken") || pm.has(mcp.MetaKeyLogLevel) {
		return false
	}
	return acceptsJSON(r.Header.Values("Accept"))
}

// plainResult encodes the commonest tool result, one text block and the
// structuredContent toolResult already encoded, as the SDK's encoder
// would but without its reflection and second pass over the structured
// value; ok is false for any other result, which the SDK encodes.
func plainResult(res *mcp.CallToolResult) (body []byte, ok bool) {
	if len(res.Content) != 1 || res.IsError || len(res.Meta) > 0 {
		return nil, false
	}
	t, ok := res.Content[0].(*mcp.TextContent)
	if !ok || t.Meta != nil || t.Annotations != nil {
		return nil, false
	}
	sc, ok := res.StructuredContent.(json.RawMessage)
	if res.StructuredContent != nil && !ok {
		return nil, false
	}
	text, err := json.Marshal(t.Text)
	if err != nil {
		return nil, false
	}
	body = make([]byte, 0, len(text)+len(sc)+64)
	body = append(append(body, `{"content":[{"type":"text","text":`...), text...)
	body = append(body, "}]"...)
	if len(sc) > 0 {
		body = append(append(body, `,"structuredContent":`...), sc...)
	}
	return append(body, '}'), true
}

// acceptsJSON reports whether an Accept header allows both
// application/json and text/event-stream, as the streamable HTTP
// transport requires of a POST.
func acceptsJSON(values []string) bool {
	var js, sse bool
	for _, v := range values {
		for _, tok := range strings.Split(v, ",") {
			base, _, _ := strings.Cut(strings.TrimSpace(tok), ";")
			switch strings.ToLower(strings.TrimSpace(base)) {
			case "application/json", "application/*":
				js = true
			case "text/event-stream", "text/*":
				sse = true
			case "*/*":
				js, sse = true, true
			}
		}
	}
	return js && sse
}
