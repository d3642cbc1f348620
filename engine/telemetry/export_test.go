package telemetry

import (
	"context"
	"net"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"

	"github.com/naftiko/naftiko/spec"
)

// collector is an in-process OTLP/gRPC trace receiver that records the
// names of the spans it is sent.
type collector struct {
	coltrace.UnimplementedTraceServiceServer
	mu    sync.Mutex
	names []string
}

func (c *collector) Export(_ context.Context, req *coltrace.ExportTraceServiceRequest) (*coltrace.ExportTraceServiceResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				c.names = append(c.names, s.Name)
			}
		}
	}
	return &coltrace.ExportTraceServiceResponse{}, nil
}

// TestGRPCExportAndSampling: with the grpc protocol the spans reach an
// OTLP/gRPC collector at the document's endpoint; the document's sampling
// ratio decides which spans are recorded (0: none, 1: all).
func TestGRPCExportAndSampling(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &collector{}
	srv := grpc.NewServer()
	coltrace.RegisterTraceServiceServer(srv, col)
	go srv.Serve(ln)
	defer srv.Stop()

	for _, tc := range []struct {
		ratio float64
		want  []string
	}{{0, nil}, {1, []string{"sampled"}}} {
		col.mu.Lock()
		col.names = nil
		col.mu.Unlock()
		ratio := tc.ratio
		tr, err := Setup(context.Background(), Settings{Lookup: lookup("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
			Observability: &spec.Observability{Endpoint: "http://" + ln.Addr().String(), Sampling: &ratio}})
		if err != nil || tr == nil {
			t.Fatalf("ratio %v: tracing %v, %v", ratio, tr, err)
		}
		_, span := tr.Provider.Tracer("test").Start(context.Background(), "sampled")
		if span.SpanContext().IsSampled() != (ratio == 1) {
			t.Errorf("ratio %v: sampled = %v", ratio, span.SpanContext().IsSampled())
		}
		span.End()
		if err := tr.Shutdown(context.Background()); err != nil {
			t.Fatalf("ratio %v: shutdown (export over gRPC): %v", ratio, err)
		}
		col.mu.Lock()
		got := col.names
		col.mu.Unlock()
		if len(got) != len(tc.want) || (len(got) == 1 && got[0] != tc.want[0]) {
			t.Errorf("ratio %v: collector received %q, want %q", ratio, got, tc.want)
		}
	}
}
