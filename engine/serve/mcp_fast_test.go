package serve

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// rpcAnswer posts body and returns the JSON-RPC response (from a JSON
// body or the SSE stream) and the response Content-Type.
func rpcAnswer(t *testing.T, url, body string, hdr ...string) (any, string) {
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
	data, _ := io.ReadAll(res.Body)
	ct := res.Header.Get("Content-Type")
	text := string(data)
	if strings.HasPrefix(ct, "text/event-stream") {
		for _, line := range strings.Split(text, "\n") {
			if d, ok := strings.CutPrefix(line, "data: "); ok && strings.Contains(d, `"id"`) {
				text = d
			}
		}
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%s: %v\n%s", body, err, data)
	}
	return v, ct
}

func call2026(id, tool, args, extraMeta string) string {
	return `{"jsonrpc":"2.0","id":` + id + `,"method":"tools/call","params":{"name":"` + tool + `","arguments":` + args +
		`,"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},` +
		`"io.modelcontextprotocol/clientCapabilities":{}` + extraMeta + `}}}`
}

// TestMCPFastPath sends the same 2026-07-28 tool calls to a server that
// answers them itself and to one that leaves everything to the go-sdk:
// the answers are the same JSON-RPC responses; requests the fast path
// does not take go to the SDK.
func TestMCPFastPath(t *testing.T) {
	up := newUpstream(t)
	fast := clerkServer(t, up, WithMCPHTTP("127.0.0.1:0"), WithWrites(true))
	sdk := clerkServer(t, up, WithMCPHTTP("127.0.0.1:0"), WithWrites(true), func(c *config) { c.mcpNoFastPath = true })
	fs := httptest.NewServer(fast.Handler(fast.units[0].ns))
	defer fs.Close()
	ss := httptest.NewServer(sdk.Handler(sdk.units[0].ns))
	defer ss.Close()
	for _, tc := range []struct {
		body     string
		fastPath bool
		hdr      []string
	}{
		{call2026(`1`, "ListOrganizationMemberships", `{"organization_id":"o","limit":2}`, ""), true, nil},
		{call2026(`"s"`, "ListOrganizationMemberships", `{"organization_id":"missing"}`, ""), true, nil},
		{call2026(`3`, "ListOrganizationMemberships", `{"limit":"ten"}`, ""), true, nil},
		{call2026(`4`, "DeleteOrganizationMembership", `{"organization_id":"o","user_id":"u"}`, ""), true, nil},
		{call2026(`5`, "NoSuchTool", `{}`, ""), false, nil},
		{call2026(`6`, "ListOrganizationMemberships", `{"organization_id":"o"}`, `,"progressToken":"p"`), false, nil},
		{call2026(`7`, "ListOrganizationMemberships", `{"organization_id":"o"}`, `,"io.modelcontextprotocol/logLevel":"debug"`), false, nil},
		// Without clientCapabilities: a client with none (both paths).
		{strings.Replace(call2026(`8`, "ListOrganizationMemberships", `{"organization_id":"o"}`, ""), `"io.modelcontextprotocol/clientCapabilities":{}`, `"x":1`, 1), true, nil},
		{strings.Replace(call2026(`11`, "ListOrganizationMemberships", `{"organization_id":"o"}`, ""), `"io.modelcontextprotocol/clientCapabilities":{}`, `"io.modelcontextprotocol/clientCapabilities":"none"`, 1), false, nil},
		{call2026(`9`, "ListOrganizationMemberships", `{"organization_id":"o"}`, ""), false, []string{"Mcp-Name", "InstanceGetOrganizationMemberships"}},
		{call2026(`10`, "ListOrganizationMemberships", `{"organization_id":"o"}`, ""), false, []string{"Mcp-Method", ""}},
	} {
		var name string
		if i := strings.Index(tc.body, `"name":"`); i >= 0 {
			name, _, _ = strings.Cut(tc.body[i+8:], `"`)
		}
		hdr := append([]string{"MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call", "Mcp-Name", name}, tc.hdr...)
		want, sdkType := rpcAnswer(t, ss.URL+"/mcp", tc.body, hdr...)
		got, ct := rpcAnswer(t, fs.URL+"/mcp", tc.body, hdr...)
		// The SDK streams results (text/event-stream); only the fast path
		// answers a result as application/json.
		if fastUsed := ct == "application/json" && sdkType != ct; fastUsed != tc.fastPath {
			t.Errorf("%s: fast path %v (Content-Type %s), want %v", tc.body, fastUsed, ct, tc.fastPath)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s:\nfast %s\n sdk %s", tc.body, g, w)
		}
	}
}
