package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an in-process OTLP/HTTP collector: it decodes every
// export request and keeps the spans.
type otlpReceiver struct {
	*httptest.Server
	mu      sync.Mutex
	spans   []*tracepb.Span
	service []string
	paths   []string
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	r := &otlpReceiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var ex coltrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(b, &ex); err != nil {
			t.Errorf("OTLP body: %v", err)
		}
		r.mu.Lock()
		r.paths = append(r.paths, req.URL.Path)
		for _, rs := range ex.ResourceSpans {
			for _, a := range rs.GetResource().GetAttributes() {
				if a.Key == "service.name" {
					r.service = append(r.service, a.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.ScopeSpans {
				r.spans = append(r.spans, ss.Spans...)
			}
		}
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		b, _ = proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Write(b)
	}))
	t.Cleanup(r.Close)
	return r
}

func spanAttrs(s *tracepb.Span) string {
	var out []string
	for _, a := range s.Attributes {
		out = append(out, a.Key+"="+anyText(a.GetValue()))
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func anyText(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	}
	return v.String()
}

func TestRunExportsTracesOverOTLP(t *testing.T) {
	rcv := newOTLPReceiver(t)
	var gotTP string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotTP = r.Header.Get("Traceparent")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer up.Close()
	file := filepath.Join(t.TempDir(), "slow.yaml")
	if err := os.WriteFile(file, []byte(slowCapability), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", rcv.URL)
	t.Setenv("TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), []string{"run", file, "Slow", "--base-uri", up.URL}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	if len(rcv.spans) != 2 || strings.Join(rcv.paths, ",") != "/v1/traces" || strings.Join(rcv.service, ",") != "naftiko-Slow" {
		t.Fatalf("receiver got %d spans at %v for %v", len(rcv.spans), rcv.paths, rcv.service)
	}
	byName := map[string]*tracepb.Span{}
	for _, s := range rcv.spans {
		byName[s.Name] = s
	}
	root, client := byName["naftiko.run"], byName["http.client.GET"]
	if root == nil || client == nil {
		t.Fatalf("spans %v", rcv.spans)
	}
	if hex.EncodeToString(root.TraceId) != "0af7651916cd43dd8448eb211c80319c" || hex.EncodeToString(root.ParentSpanId) != "b7ad6b7169203331" {
		t.Errorf("naftiko.run trace %x parent %x: not the TRACEPARENT's", root.TraceId, root.ParentSpanId)
	}
	if !bytes.Equal(client.ParentSpanId, root.SpanId) || client.Kind != tracepb.Span_SPAN_KIND_CLIENT {
		t.Errorf("client span parent %x kind %v, want %x CLIENT", client.ParentSpanId, client.Kind, root.SpanId)
	}
	if want := "00-0af7651916cd43dd8448eb211c80319c-" + hex.EncodeToString(client.SpanId) + "-01"; gotTP != want {
		t.Errorf("upstream traceparent %q, want %q", gotTP, want)
	}
	if got, want := spanAttrs(root), "naftiko.namespace=slow naftiko.operation=slow.slow.Slow"; got != want {
		t.Errorf("naftiko.run attributes %s, want %s", got, want)
	}
}
