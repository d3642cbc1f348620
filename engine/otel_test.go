package engine

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// spanText prints a span's name, kind, status and attributes sorted by key.
func spanText(s sdktrace.ReadOnlySpan) string {
	var attrs []string
	for _, a := range s.Attributes() {
		attrs = append(attrs, string(a.Key)+"="+a.Value.Emit())
	}
	sort.Strings(attrs)
	st := ""
	if s.Status().Code == codes.Error {
		st = " ERROR"
		if s.Status().Description != "" {
			st += "(" + s.Status().Description + ")"
		}
	}
	return fmt.Sprintf("%s %s%s %s", s.Name(), s.SpanKind(), st, strings.Join(attrs, " "))
}

func TestClientSpansAndPropagation(t *testing.T) {
	c := parse(t, traceDoc)
	vars := env(map[string]string{"API_KEY": "sekret-key-1"})
	n := 0
	var traceparents []string
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		traceparents = append(traceparents, r.Header.Get("Traceparent"))
		switch r.URL.Path {
		case "/r":
			http.Redirect(w, r, "/moved?"+r.URL.RawQuery, http.StatusFound)
		case "/moved":
			n++
			if n == 1 {
				w.Header().Set("Retry-After", "0")
				jsonAnswer(503, `{}`)(w, r)
				return
			}
			jsonAnswer(200, `{}`)(w, r)
		}
	})
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	e := newEngine(t, c, u, WithLookup(vars), WithTracerProvider(tp))
	ctx, parent := tp.Tracer("test").Start(context.Background(), "parent")
	if _, err := e.Call(ctx, "get", map[string]any{"q": "x"}); err != nil {
		t.Fatal(err)
	}
	parent.End()
	spans := rec.Ended()
	if len(spans) != 5 {
		t.Fatalf("%d spans, want 5", len(spans))
	}
	host, port, _ := strings.Cut(strings.TrimPrefix(u.URL, "http://"), ":")
	common := "http.request.method=GET naftiko.namespace=a naftiko.operation=a.r.get"
	server := "server.address=" + host + " server.port=" + port
	r := "url.full=" + u.URL + "/r?q=x&api_key=****"
	moved := "url.full=" + u.URL + "/moved?q=x&api_key=****"
	want := []string{
		"http.client.GET client " + sortedWords(common+" http.response.status_code=302 "+server+" "+r),
		"http.client.GET client ERROR " + sortedWords("error.type=503 "+common+" http.request.resend_count=1 http.response.status_code=503 "+server+" "+moved),
		"http.client.GET client " + sortedWords(common+" http.request.resend_count=2 http.response.status_code=302 "+server+" "+r),
		"http.client.GET client " + sortedWords(common+" http.request.resend_count=3 http.response.status_code=200 "+server+" "+moved),
		"parent internal ",
	}
	for i, s := range spans {
		if got := spanText(s); got != want[i] {
			t.Errorf("span %d:\n got %s\nwant %s", i, got, want[i])
		}
		if i < 4 {
			if s.Parent().SpanID() != parent.SpanContext().SpanID() || s.SpanContext().TraceID() != parent.SpanContext().TraceID() {
				t.Errorf("span %d: parent %v, want %v", i, s.Parent().SpanID(), parent.SpanContext().SpanID())
			}
			tp := fmt.Sprintf("00-%s-%s-01", s.SpanContext().TraceID(), s.SpanContext().SpanID())
			if traceparents[i] != tp {
				t.Errorf("request %d: traceparent %q, want %q", i, traceparents[i], tp)
			}
		}
	}
}

func TestClientSpanTransportError(t *testing.T) {
	c := parse(t, traceDoc)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	e := newEngine(t, c, u, WithLookup(env(map[string]string{"API_KEY": "sekret-key-1"})), WithTracerProvider(tp), WithRetries(0))
	u.Close()
	if _, err := e.Call(context.Background(), "get", nil); err == nil {
		t.Fatal("no error")
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	host := strings.TrimPrefix(u.URL, "http://")
	if s.Status().Code != codes.Error || s.Status().Description != "dial tcp "+host+": connect: connection refused" {
		t.Errorf("status %v %q", s.Status().Code, s.Status().Description)
	}
	if !hasAttr(s.Attributes(), attribute.String("error.type", "transport")) || s.Parent().IsValid() {
		t.Errorf("span %s, parent %v", spanText(s), s.Parent())
	}
}

func sortedWords(s string) string {
	w := strings.Fields(s)
	sort.Strings(w)
	return strings.Join(w, " ")
}

func hasAttr(attrs []attribute.KeyValue, want attribute.KeyValue) bool {
	for _, a := range attrs {
		if a == want {
			return true
		}
	}
	return false
}

func TestNoTracingWithoutProvider(t *testing.T) {
	c := parse(t, traceDoc)
	var got http.Header
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone(); jsonAnswer(200, `{}`)(w, r) })
	e := newEngine(t, c, u, WithLookup(env(map[string]string{"API_KEY": "k"})))
	rec := tracetest.NewSpanRecorder()
	ctx, span := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)).Tracer("x").Start(context.Background(), "outer")
	defer span.End()
	if _, err := e.Call(ctx, "get", nil); err != nil {
		t.Fatal(err)
	}
	if got.Get("Traceparent") != "" {
		t.Errorf("traceparent sent without tracing: %q", got.Get("Traceparent"))
	}
	if _, ok := e.client.Transport.(*tracingTransport); ok {
		t.Error("transport wrapped without tracing")
	}
}

// BenchmarkCallTracing compares one call with tracing off (the default),
// with the SDK recording to nothing (sampler off) and with every span
// sampled to an in-memory recorder.
func BenchmarkCallTracing(b *testing.B) {
	s := benchServer(b)
	c := loadFile(b, clerkFile)
	params := map[string]any{"organization_id": "org_2RwC6", "order_by": "+created_at", "limit": "10"}
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"off", nil},
		{"never-sampled", []Option{WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample())))}},
		{"recorded", []Option{WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(discardProcessor{})))}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e, err := New(c, append([]Option{WithHTTPClient(s.Client()), WithBaseURI("", s.URL), WithLookup(env(clerkEnv))}, tc.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Call(ctx, "ListOrganizationMemberships", params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// discardProcessor receives every span and keeps none.
type discardProcessor struct{}

func (discardProcessor) OnStart(context.Context, sdktrace.ReadWriteSpan) {}
func (discardProcessor) OnEnd(sdktrace.ReadOnlySpan)                     {}
func (discardProcessor) Shutdown(context.Context) error                  { return nil }
func (discardProcessor) ForceFlush(context.Context) error                { return nil }
