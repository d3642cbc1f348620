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
	s := clerkServer(t, up, WithMCPStdio(), WithStdio(io.NopCloser(in), &out))
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- s.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
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
