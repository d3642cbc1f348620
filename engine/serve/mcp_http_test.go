package serve

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// post sends a JSON-RPC body to an MCP endpoint.
func post(t *testing.T, url, body string, hdr ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(b))
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

// TestMCPHTTPErrors sends what is not a valid MCP request over HTTP:
// JSON-RPC error bodies (-32700, -32600, -32601), never plain text; a
// foreign Origin gets 403 unless allowed.
func TestMCPHTTPErrors(t *testing.T) {
	up := newUpstream(t)
	s := clerkServer(t, up, WithMCPHTTP("127.0.0.1:0"), WithMCPAllowedOrigins("https://app.example.com"))
	srv := httptest.NewServer(s.Handler(s.units[0].ns))
	defer srv.Close()
	url := srv.URL + "/mcp"
	for _, tc := range []struct {
		body   string
		hdr    []string
		status int
		want   string
	}{
		{`{"jsonrpc":"2.0","id":1,`, nil, 400, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the body is not JSON"}}`},
		{`not json`, nil, 400, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the body is not JSON"}}`},
		{`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, nil, 400, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: JSON-RPC batches are not supported"}}`},
		{`{"id":4,"method":"ping"}`, nil, 400, `{"jsonrpc":"2.0","id":4,"error":{"code":-32600,"message":"Invalid Request: not a JSON-RPC 2.0 message"}}`},
		{`{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}`, nil, 400, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: an id is a string, a number or null"}}`},
		{`{"jsonrpc":"2.0","id":"x","method":"tools/nope"}`, nil, 200, `{"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"Method not found: tools/nope"}}`},
		{`{"jsonrpc":"2.0","id":5,"method":"tools/nope"}`, []string{"MCP-Protocol-Version", "2026-07-28"}, 200, `{"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"Method not found: tools/nope"}}`},
		{initBody, []string{"Origin", "http://evil.example.com"}, 403, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Forbidden: origin http://evil.example.com is not allowed (see --mcp-allow-origin)"}}`},
	} {
		status, body := post(t, url, tc.body, tc.hdr...)
		if status != tc.status || body != tc.want {
			t.Errorf("%s %v:\n got %d %s\nwant %d %s", tc.body, tc.hdr, status, body, tc.status, tc.want)
		}
	}
	for _, origin := range []string{srv.URL, "https://app.example.com"} {
		if status, body := post(t, url, initBody, "Origin", origin); status != 200 || !strings.Contains(body, `"protocolVersion":"2025-11-25"`) {
			t.Errorf("origin %s: %d %s", origin, status, body)
		}
	}
	// Every method the filter lets through reaches the SDK, which knows it
	// (it may still refuse one this server lacks, in a JSON-RPC error of
	// its own, or one that needs a session).
	for m := range mcpMethods {
		_, body := post(t, url, `{"jsonrpc":"2.0","id":9,"method":"`+m+`","params":{}}`)
		if strings.Contains(body, "Method not found: ") || strings.Contains(body, "unsupported") {
			t.Errorf("%s: %s", m, body)
		}
	}
}

// TestMCPHTTPRevisions lists and calls tools over streamable HTTP with
// the 2026-07-28 revision (sessionless: no Mcp-Session-Id, any replica
// answers) and the 2025-11-25 one (a session).
func TestMCPHTTPRevisions(t *testing.T) {
	up := newUpstream(t)
	s := clerkServer(t, up, WithMCPHTTP("127.0.0.1:0"))
	var sessions []string
	h := s.Handler(s.units[0].ns)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if id := w.Header().Get("Mcp-Session-Id"); id != "" {
			sessions = append(sessions, r.Header.Get("MCP-Protocol-Version")+" "+id)
		}
	}))
	defer srv.Close()
	for _, version := range []string{"2026-07-28", "2025-11-25"} {
		sessions = nil
		tr := &mcp.StreamableClientTransport{Endpoint: srv.URL + "/mcp"}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "http", Version: "1"}, nil).Connect(context.Background(), tr, &mcp.ClientSessionOptions{ProtocolVersion: version})
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		if got := cs.InitializeResult().ProtocolVersion; got != version {
			t.Errorf("negotiated %s, want %s", got, version)
		}
		if got := toolNames(t, cs); !slices.Equal(got, []string{"ListOrganizationMemberships", "InstanceGetOrganizationMemberships"}) {
			t.Errorf("%s: tools = %v", version, got)
		}
		text, _, isErr := callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "o", "limit": 1})
		if isErr || !strings.Contains(text, `"org":"o"`) {
			t.Errorf("%s: call: %v %s", version, isErr, text)
		}
		cs.Close()
		if version == "2026-07-28" && len(sessions) != 0 {
			t.Errorf("2026-07-28 got sessions: %v", sessions)
		}
		if version == "2025-11-25" && len(sessions) == 0 {
			t.Errorf("2025-11-25 got no session")
		}
	}
}

// TestMCPStdioFrames sends malformed frames on stdio: each gets a JSON-RPC
// error with id null and the server keeps serving; a read error on stdin
// makes Run fail.
func TestMCPStdioFrames(t *testing.T) {
	up := newUpstream(t)
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := clerkServer(t, up, WithMCPStdio(), WithStdio(inR, outW))
	done := make(chan error, 1)
	go func() {
		done <- s.Run(context.Background())
		outW.Close()
	}()
	out := bufio.NewReader(outR)
	line := func() string {
		l, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		return strings.TrimSpace(l)
	}
	io.WriteString(inW, initBody+"\n")
	if l := line(); !strings.Contains(l, `"id":1,"result"`) {
		t.Fatalf("initialize: %s", l)
	}
	io.WriteString(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\nthis is not json\n42\n"+`{"jsonrpc":"2.0","id":2,"method":"ping"}`+"\n")
	for _, want := range []string{
		`{"error":{"code":-32700,"message":"Parse error: the line is not JSON"},"id":null,"jsonrpc":"2.0"}`,
		`{"error":{"code":-32600,"message":"Invalid Request: a JSON-RPC message is a JSON object"},"id":null,"jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","id":2,"result":{}}`,
	} {
		if l := line(); l != want {
			t.Errorf("got  %s\nwant %s", l, want)
		}
	}
	// server/discover and a sessionless call with the protocol version
	// alone (see completeMeta).
	io.WriteString(inW, `{"jsonrpc":"2.0","id":3,"method":"server/discover"}`+"\n")
	if l := line(); !strings.HasPrefix(l, `{"jsonrpc":"2.0","id":3,"result":{"resultType":"complete"`) || !strings.Contains(l, `"supportedVersions":["2026-07-28",`) {
		t.Errorf("server/discover without _meta: %s", l)
	}
	io.WriteString(inW, `{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`+"\n")
	if l := line(); !strings.HasPrefix(l, `{"jsonrpc":"2.0","id":4,"result":{"resultType":"complete"`) || !strings.Contains(l, `"tools":[`) {
		t.Errorf("tools/list without clientCapabilities: %s", l)
	}
	inW.CloseWithError(errors.New("stdin broke"))
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "stdin broke") {
			t.Errorf("Run after a read error = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
}

// TestMCPDiscoverMeta sends server/discover and other 2026-07-28 requests
// with less _meta than the go-sdk asks for: no clientCapabilities (read as
// none), a discover without protocol version (the transport's, else
// 2026-07-28). A malformed value and an older revision's discover still
// get the SDK's errors.
func TestMCPDiscoverMeta(t *testing.T) {
	up := newUpstream(t)
	s := clerkServer(t, up, WithMCPHTTP("127.0.0.1:0"))
	srv := httptest.NewServer(s.Handler(s.units[0].ns))
	defer srv.Close()
	url := srv.URL + "/mcp"
	const v = `"io.modelcontextprotocol/protocolVersion":"2026-07-28"`
	modern := []string{"MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "server/discover"}
	for _, tc := range []struct {
		body   string
		hdr    []string
		status int
		want   string // a prefix of the JSON-RPC message
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{` + v + `}}}`, modern, 200, `{"jsonrpc":"2.0","id":1,"result":{"resultType":"complete"`},
		{`{"jsonrpc":"2.0","id":2,"method":"server/discover","params":{}}`, modern, 200, `{"jsonrpc":"2.0","id":2,"result":{"resultType":"complete"`},
		{`{"jsonrpc":"2.0","id":3,"method":"server/discover"}`, nil, 200, `{"jsonrpc":"2.0","id":3,"result":{"resultType":"complete"`},
		{`{"jsonrpc":"2.0","id":4,"method":"server/discover","params":{"_meta":{"progressToken":"p"}}}`, nil, 200, `{"jsonrpc":"2.0","id":4,"result":{"resultType":"complete"`},
		{`{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":{` + v + `}}}`, []string{"MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/list"}, 200, `{"jsonrpc":"2.0","id":5,"result":{"resultType":"complete"`},
		{`{"jsonrpc":"2.0","id":6,"method":"server/discover","params":{"_meta":{` + v + `,"io.modelcontextprotocol/clientCapabilities":7}}}`, modern, 400, `{"jsonrpc":"2.0","id":6,"error":{"code":-32602,"message":"missing or invalid _meta field \"io.modelcontextprotocol/clientCapabilities\""}}`},
		{`{"jsonrpc":"2.0","id":7,"method":"server/discover","params":{}}`, []string{"MCP-Protocol-Version", "2025-11-25"}, 200, `{"jsonrpc":"2.0","id":7,"error":{"code":-32601,`},
	} {
		status, body := post(t, url, tc.body, tc.hdr...)
		if d, ok := strings.CutPrefix(body, "event: message\ndata: "); ok {
			body = d
		}
		if status != tc.status || !strings.HasPrefix(body, tc.want) {
			t.Errorf("%s %v:\n got %d %s\nwant %d %s…", tc.body, tc.hdr, status, body, tc.status, tc.want)
		}
		if strings.Contains(tc.body, "server/discover") && strings.Contains(tc.want, `"result"`) && !strings.Contains(body, `"supportedVersions":["2026-07-28",`) {
			t.Errorf("%s: no supportedVersions: %s", tc.body, body)
		}
	}
}
