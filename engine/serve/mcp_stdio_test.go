package serve

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// TestMCPStdioEOFDrains closes stdin while tool calls are in flight (the
// upstream answers after 300 ms): Run returns only once every request
// read before EOF has its response written, and returns nil.
func TestMCPStdioEOFDrains(t *testing.T) {
	up := newUpstream(t)
	out := syncBuf{w: &bytes.Buffer{}}
	in := strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ListOrganizationMemberships","arguments":{"organization_id":"slow"},` +
		`"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}` + "\n" +
		`{"jsonrpc":"2.0","id":"two","method":"tools/call","params":{"name":"ListOrganizationMemberships","arguments":{"organization_id":"slow","limit":3},` +
		`"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}` + "\n" +
		`{"jsonrpc":"2.0","id":3,"method":"server/discover"}` + "\n")
	start := time.Now()
	runStdio(t, clerkServer(t, up, WithMCPStdio(), WithStdio(io.NopCloser(in), &out)), &out)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("Run returned after %v, before the upstream answered", d)
	}
	got := out.String()
	for _, want := range []string{`{"jsonrpc":"2.0","id":1,"result":{`, `{"jsonrpc":"2.0","id":"two","result":{`, `{"jsonrpc":"2.0","id":3,"result":{`} {
		if !strings.Contains(got, want) {
			t.Errorf("no response %s…; stdout:\n%s", want, got)
		}
	}
	if !strings.Contains(got, `\"limit\":\"3\"`) {
		t.Errorf("the second call's result is missing:\n%s", got)
	}
}

// TestMCPStdioEOFCancelled: a request the client cancelled before the end
// of stdin is not waited for (the SDK may leave it unanswered); a request
// whose id JSON-RPC does not allow gets -32600 (the go-sdk alone ends the
// session on it) and serving goes on.
func TestMCPStdioEOFCancelled(t *testing.T) {
	up := newUpstream(t)
	out := syncBuf{w: &bytes.Buffer{}}
	meta := `"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}`
	in := strings.NewReader(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"ListOrganizationMemberships","arguments":{"organization_id":"slow"},` + meta + `}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}` + "\n" +
		`{"jsonrpc":"2.0","id":{"x":1},"method":"tools/list","params":{` + meta + `}}` + "\n")
	runStdio(t, clerkServer(t, up, WithMCPStdio(), WithStdio(io.NopCloser(in), &out)), &out)
	if want := `{"error":{"code":-32600,"message":"Invalid Request: an id is a string, a number or null"},"id":null,"jsonrpc":"2.0"}`; !strings.Contains(out.String(), want) {
		t.Errorf("no %s; stdout:\n%s", want, out.String())
	}
}

// runStdio runs a stdio server until its input ends: Run must return nil
// within 10 s.
func runStdio(t *testing.T, s *Server, out *syncBuf) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not return; stdout:\n%s", out.String())
	}
}
