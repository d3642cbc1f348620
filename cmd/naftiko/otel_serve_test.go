package main

import (
	"bytes"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// naftiko serve exports its spans where the control adapter's
// observability section says, with the propagation it declares (b3 here),
// when no OTEL_* variable says otherwise: the inbound B3 context is the
// parent of rest.request, the upstream gets the client span's B3 headers,
// and the spans reach the collector when serve stops.
func TestServeExportsTracesFromTheDocument(t *testing.T) {
	for _, k := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL",
		"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_PROPAGATORS", "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_TRACES_SAMPLER"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	rcv := newOTLPReceiver(t)
	var upTrace, upSpan string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		upTrace, upSpan = r.Header.Get("X-B3-Traceid"), r.Header.Get("X-B3-Spanid")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer up.Close()
	file := filepath.Join(t.TempDir(), "traced.yaml")
	doc := "naftiko: 1.0.0-alpha2\ninfo: {label: Traced}\ncapability:\n  consumes:\n  - type: http\n    namespace: up\n    baseUri: " + up.URL +
		"\n    resources:\n    - {name: r, path: /r, operations: [{name: get, method: GET}]}\n" +
		"  exposes:\n  - type: rest\n    namespace: api\n    port: 0\n    resources:\n    - {path: /x, name: x, operations: [{method: GET, call: up.get}]}\n" +
		"  - type: control\n    namespace: ctl\n    port: 0\n    observability:\n      traces: {propagation: b3}\n" +
		"      exporters: {otlp: {endpoint: '" + rcv.URL + "'}}\n"
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := serveInBackground(t, nil, nil, nil, []string{"serve", file})
	req, _ := http.NewRequest("GET", "http://"+srv.addr("api")+"/x", nil)
	req.Header.Set("X-B3-TraceId", "0af7651916cd43dd8448eb211c80319c")
	req.Header.Set("X-B3-SpanId", "b7ad6b7169203331")
	req.Header.Set("X-B3-Sampled", "1")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"ok":true`) {
		t.Fatalf("GET /x: %d %s", res.StatusCode, body)
	}
	srv.stop() // flushes the spans
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	byName := map[string]*tracepb.Span{}
	for _, s := range rcv.spans {
		byName[s.Name] = s
	}
	server, client := byName["rest.request"], byName["http.client.GET"]
	if len(rcv.spans) != 2 || server == nil || client == nil || strings.Join(rcv.service, ",") != "naftiko-Traced" {
		t.Fatalf("receiver got %d spans %v for %v", len(rcv.spans), byName, rcv.service)
	}
	if hex.EncodeToString(server.TraceId) != "0af7651916cd43dd8448eb211c80319c" || hex.EncodeToString(server.ParentSpanId) != "b7ad6b7169203331" ||
		server.Kind != tracepb.Span_SPAN_KIND_SERVER {
		t.Errorf("rest.request trace %x parent %x kind %v: not the inbound B3 context's child", server.TraceId, server.ParentSpanId, server.Kind)
	}
	if !strings.Contains(spanAttrs(server), "naftiko.operation.id=/x GET") {
		t.Errorf("rest.request attributes %s", spanAttrs(server))
	}
	if !bytes.Equal(client.ParentSpanId, server.SpanId) || client.Kind != tracepb.Span_SPAN_KIND_CLIENT {
		t.Errorf("client span parent %x kind %v, want %x CLIENT", client.ParentSpanId, client.Kind, server.SpanId)
	}
	if upTrace != "0af7651916cd43dd8448eb211c80319c" || upSpan != hex.EncodeToString(client.SpanId) {
		t.Errorf("upstream B3 trace %q span %q, want the client span's (%x)", upTrace, upSpan, client.SpanId)
	}
}
