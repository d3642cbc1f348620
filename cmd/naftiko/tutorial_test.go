package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/engine/enginetest"
	"github.com/naftiko/naftiko/spec"
)

// The reference's integration tests of its tutorial (tutorial-tests/*.java),
// ported: each step is served by the naftiko serve command, as a user
// starts it (the file as written), against a Microcks-like fake of the two backends
// (engine/enginetest), and every assertion of the Java test is checked
// over the real transports (MCP over streamable HTTP with the go-sdk
// client, REST and skills over HTTP).

// tutorial is one served step.
type tutorial struct {
	srv     *served
	backend *enginetest.Microcks
	cs      *mcp.ClientSession
	hc      *http.Client // the session's, its idle connections closed at the end
	mcpNS   string
	// token is the MCP adapter's bearer token (shared/secrets.yaml) when
	// it declares authentication; the go-sdk session sends it.
	token string
}

// mcpToken is the MCP adapters' bearer token, mcp-server-token of the
// tutorial's shared/secrets.yaml.
const mcpToken = "sk-mcp-YYYYYYYYYYYY"

// mockHost is where the tutorial expects Microcks.
const mockHost = "http://localhost:8080"

// newMicrocks serves the tutorial's two backends.
func newMicrocks(t *testing.T) (*enginetest.Microcks, string) {
	t.Helper()
	ref := enginetest.ReferenceDir(t)
	m, err := enginetest.NewMicrocks(filepath.Join(ref, "openapi", "naftiko-shipyard-maritime-registry-api.yaml"),
		filepath.Join(ref, "openapi", "naftiko-shipyard-legacy-dockyard-api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(m)
	t.Cleanup(ts.Close)
	return m, ts.URL
}

// startTutorial serves step n of the tutorial, the file as written, with
// "naftiko serve FILE --address 127.0.0.1 --port NS=0 … --retries 0
// --base-uri NS=…" (every adapter on a free port, read back from the
// serving log lines; the backends' base URIs pointed at the fake) until
// the test ends.
func startTutorial(t *testing.T, n int) *tutorial {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(enginetest.ReferenceDir(t), "tutorial", fmt.Sprintf("step-%d-*.yml", n)))
	if len(files) != 1 {
		t.Fatalf("step %d: %d files", n, len(files))
	}
	c, err := spec.LoadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	backend, url := newMicrocks(t)
	tu := &tutorial{backend: backend}
	tu.srv = serveInBackground(t, nil, nil, nil, tutorialArgs(t, c, files[0], url))
	for _, x := range c.Exposes {
		if x.Type == "mcp" && tu.mcpNS == "" {
			tu.mcpNS = x.Namespace
			if x.Auth != nil {
				tu.token = mcpToken
			}
		}
	}
	// Registered after the server's, so run before it stops.
	t.Cleanup(func() {
		if tu.cs != nil {
			tu.cs.Close()
			tu.hc.CloseIdleConnections()
		}
	})
	return tu
}

// tutorialArgs is the serve command line of a tutorial step: every
// adapter on a free port, on loopback, the backends at the fake.
func tutorialArgs(t *testing.T, c *spec.Capability, file, backendURL string) []string {
	t.Helper()
	args := []string{"serve", file, "--address", "127.0.0.1", "--retries", "0"}
	for _, x := range c.Exposes {
		args = append(args, "--port", x.Namespace+"=0")
	}
	for _, a := range c.Consumes {
		if a.BaseURI != nil && strings.HasPrefix(a.BaseURI.Src, mockHost) {
			args = append(args, "--base-uri", a.Namespace+"="+backendURL+strings.TrimPrefix(a.BaseURI.Src, mockHost))
		}
	}
	return args
}

// url is the base URL of the adapter namespace ns.
func (tu *tutorial) url(t *testing.T, ns string) string {
	t.Helper()
	return "http://" + tu.srv.addr(ns)
}

// session connects the go-sdk client to the MCP adapter over streamable
// HTTP, with the adapter's bearer token when it wants one.
func (tu *tutorial) session(t *testing.T) *mcp.ClientSession {
	t.Helper()
	if tu.cs == nil {
		hc := mcpClient(tu.token)
		tr := &mcp.StreamableClientTransport{Endpoint: tu.url(t, tu.mcpNS) + "/mcp", HTTPClient: hc}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "tutorial", Version: "1"}, nil).Connect(context.Background(), tr, nil)
		if err != nil {
			t.Fatal(err)
		}
		tu.cs, tu.hc = cs, hc
	}
	return tu.cs
}

// toolsList returns the tools as JSON objects, in the order listed.
func (tu *tutorial) toolsList(t *testing.T) []map[string]any {
	t.Helper()
	res, err := tu.session(t).ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, tool := range res.Tools {
		out = append(out, asJSON(t, tool).(map[string]any))
	}
	return out
}

// callTool calls a tool, requires isError false, and returns the parsed
// JSON of content[0].text; with contentExpected false it requires empty
// content and returns nil.
func (tu *tutorial) callTool(t *testing.T, name string, args map[string]any, contentExpected bool) any {
	t.Helper()
	res, err := tu.session(t).CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("tools/call %s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("tools/call %s: isError; raw result %s", name, mustJSON(res))
	}
	if !contentExpected {
		if len(res.Content) != 0 {
			t.Fatalf("tools/call %s: content must be empty, got %s", name, mustJSON(res.Content))
		}
		return nil
	}
	if len(res.Content) == 0 {
		t.Fatalf("tools/call %s: content must be non-empty", name)
	}
	text, ok := res.Content[0].(*mcp.TextContent)
	if !ok {
		t.Fatalf("tools/call %s: content[0] is %T", name, res.Content[0])
	}
	var v any
	if err := json.Unmarshal([]byte(text.Text), &v); err != nil {
		t.Fatalf("tools/call %s: content[0].text is not JSON: %v: %q", name, err, text.Text)
	}
	return v
}

// httpJSON sends method url with a JSON body (none when body is empty)
// and returns the status and the parsed JSON answer (nil when empty).
func httpJSON(t *testing.T, method, url, body string) (int, any) {
	t.Helper()
	status, b := send(t, method, url, body)
	var v any
	if len(bytes.TrimSpace(b)) > 0 {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: %d %q is not JSON", method, url, status, b)
		}
	}
	return status, v
}

// get returns the status and body of GET url, without its surrounding
// white space.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	status, b := send(t, http.MethodGet, url, "")
	return status, strings.TrimSpace(string(b))
}

// send sends method url with a JSON body (none when body is empty) and
// returns the status and the body of the answer.
func send(t *testing.T, method, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func asJSON(t testing.TB, v any) any {
	t.Helper()
	var out any
	if err := json.Unmarshal([]byte(mustJSON(v)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// path navigates a JSON value ("a", "b", 0, …); nil when absent, like
// Jackson's path().
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func has(v any, key string) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[key]
	return ok
}

// text is Jackson's asText: a string as is, a scalar printed, else "".
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil, map[string]any, []any:
		return ""
	}
	return fmt.Sprint(v)
}

func blank(v any) bool { return strings.TrimSpace(text(v)) == "" }

func isNumber(v any) bool { _, ok := v.(float64); return ok }

func isArray(v any) bool { _, ok := v.([]any); return ok }

func isObject(v any) bool { _, ok := v.(map[string]any); return ok }

func required(tool map[string]any) []string {
	var out []string
	for _, r := range asList(path(tool, "inputSchema", "required")) {
		out = append(out, text(r))
	}
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

// check reports a failed assertion with its message (the Java message).
func check(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Errorf(format, args...)
	}
}

func checkEq(t *testing.T, got, want any, what string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// wantTools checks the names of tools, in order.
func wantTools(t *testing.T, tools []map[string]any, want ...string) {
	t.Helper()
	checkEq(t, len(tools), len(want), "number of tools")
	for i, w := range want {
		if i < len(tools) {
			checkEq(t, text(tools[i]["name"]), w, fmt.Sprintf("tools[%d].name", i))
		}
	}
}

// checkInput checks that tool declares input name of type typ, required
// or not.
func checkInput(t *testing.T, tool map[string]any, name, typ string, req bool) {
	t.Helper()
	props := path(tool, "inputSchema", "properties")
	check(t, has(props, name), "%s inputSchema must declare %q", tool["name"], name)
	checkEq(t, text(path(props, name, "type")), typ, fmt.Sprintf("%s.%s type", tool["name"], name))
	checkEq(t, slices.Contains(required(tool), name), req, fmt.Sprintf("%q in %s required", name, tool["name"]))
}

// checkShipSummary checks the mapped fields every ship listing has.
func checkShipSummary(t *testing.T, ship any) {
	t.Helper()
	for _, f := range []string{"imo", "name", "type", "flag", "status"} {
		check(t, has(ship, f), "ship must have %q: %v", f, ship)
	}
	check(t, !blank(path(ship, "imo")), "imo must not be blank")
	check(t, !blank(path(ship, "name")), "name must not be blank")
}

// mcpRevision is the MCP revision the reference's tests speak.
const mcpRevision = "2026-07-28"

// rawRPC posts one JSON-RPC request to the MCP endpoint the way the
// reference's tests do (the sessionless revision: protocol version in a
// header and in params._meta, Mcp-Method and Mcp-Name headers), and
// returns the HTTP status and the parsed JSON-RPC response (from a JSON
// body or the first SSE data line).
func rawRPC(t *testing.T, url, method, params, token string) (int, any) {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal([]byte(params), &p); err != nil {
		t.Fatal(err)
	}
	p["_meta"] = map[string]any{"io.modelcontextprotocol/protocolVersion": mcpRevision}
	body := mustJSON(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": p})
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("MCP-Protocol-Version", mcpRevision)
	req.Header.Set("Mcp-Method", method)
	if name, ok := p["name"].(string); ok {
		req.Header.Set("Mcp-Name", name)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		for _, line := range strings.Split(string(b), "\n") {
			if d, ok := strings.CutPrefix(line, "data:"); ok {
				b = []byte(d)
				break
			}
		}
	}
	var v any
	if resp.StatusCode == 400 {
		t.Logf("400 body: %s", b)
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %q is not JSON", method, b)
		}
	}
	return resp.StatusCode, v
}
