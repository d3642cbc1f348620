package serve

import (
	"bytes"
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// In the 2026-07-28 revision every request carries its protocol version,
// and the client's capabilities, in params._meta. The go-sdk (v1.8.0)
// refuses a request of that revision whose _meta has no
// "io.modelcontextprotocol/clientCapabilities" (-32602, HTTP 400), and a
// server/discover without a protocol version in _meta (-32601 over stdio,
// -32602 or an HTTP 400 over HTTP). Clients do send such requests: the
// reference engine's own tests send server/discover and every other
// method with the protocol version alone, and server/discover is the
// probe a client sends before it knows anything. naftiko answers them as
// a server that asks nothing of its clients can:
//
//   - a call of 2026-07-28 or later without clientCapabilities is read as
//     a client with no optional capability ({}), which is what an empty
//     object means in that revision;
//   - a server/discover without a protocol version is read as one of the
//     version the transport names (the MCP-Protocol-Version header over
//     HTTP) or else the first sessionless revision, since only that
//     revision has the method (a discover sent with an older revision's
//     header stays a method the older revision does not have).
//
// A _meta value that is present but malformed still goes to the SDK, which
// answers it.

// metaFill is what completeMeta adds to a request's _meta.
type metaFill struct {
	version string // protocol version to add ("" when present)
	caps    bool   // add an empty clientCapabilities
}

// metaNeeds reports what a request's _meta lacks, given the protocol
// version the transport names for it ("" when none).
func metaNeeds(p *probe, transportVersion string) (metaFill, bool) {
	if p.Method == nil || len(p.ID) == 0 || bytes.Equal(p.ID, []byte("null")) {
		return metaFill{}, false // notifications carry no triple
	}
	var f metaFill
	v, _ := p.Params.Meta.str(mcp.MetaKeyProtocolVersion)
	if !p.Params.Meta.has(mcp.MetaKeyProtocolVersion) && *p.Method == "server/discover" {
		switch {
		case transportVersion == "":
			f.version = mcpRevision2026
		case transportVersion >= mcpRevision2026:
			f.version = transportVersion
		} // an older revision named by the transport has no server/discover
		v = f.version
	}
	if v < mcpRevision2026 {
		return metaFill{}, false
	}
	if !p.Params.Meta.has(mcp.MetaKeyClientCapabilities) {
		f.caps = true
	}
	return f, f.caps || f.version != ""
}

// completeMeta returns body (a JSON-RPC request object) with the _meta
// entries of f added; on a body it cannot rewrite it returns body.
func completeMeta(body []byte, f metaFill) []byte {
	var msg map[string]json.RawMessage
	if json.Unmarshal(body, &msg) != nil {
		return body
	}
	params := map[string]json.RawMessage{}
	if raw := msg["params"]; len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
		if json.Unmarshal(raw, &params) != nil {
			return body
		}
	}
	meta := map[string]json.RawMessage{}
	if raw := params["_meta"]; len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
		if json.Unmarshal(raw, &meta) != nil {
			return body
		}
	}
	if f.version != "" {
		meta[mcp.MetaKeyProtocolVersion], _ = json.Marshal(f.version)
	}
	if f.caps {
		meta[mcp.MetaKeyClientCapabilities] = json.RawMessage("{}")
	}
	var err error
	if params["_meta"], err = json.Marshal(meta); err != nil {
		return body
	}
	if msg["params"], err = json.Marshal(params); err != nil {
		return body
	}
	out, err := json.Marshal(msg)
	if err != nil {
		return body
	}
	return out
}
