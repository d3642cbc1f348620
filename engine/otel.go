package engine

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/naftiko/naftiko/spec"
)

// TracerName is the instrumentation scope of the spans naftiko records.
const TracerName = "github.com/naftiko/naftiko"

// WithTracerProvider makes the engine record an OpenTelemetry client span
// per upstream HTTP request (SPEC.md §13.1): `http.client.<METHOD>`, a
// child of the span in the call's context, with the HTTP semantic
// convention attributes (the URL redacted and without userinfo), and
// injects that span's context into the request (W3C traceparent, or the
// WithPropagator propagator). Without it (the default) nothing is
// recorded or injected and the engine does no tracing work at all.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(e *Engine) {
		if tp != nil {
			e.tracer = tp.Tracer(TracerName)
		}
	}
}

// WithPropagator sets how span contexts are written into upstream
// requests when tracing is on (default: W3C trace context).
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(e *Engine) { e.propagator = p }
}

// Attribute keys of naftiko's own span attributes.
const (
	AttrNamespace = attribute.Key("naftiko.namespace")
	AttrOperation = attribute.Key("naftiko.operation")
)

// resendKey carries, in the context of one Send, how many requests it
// has made so far (http.request.resend_count counts the rest).
type resendKey struct{}

// EndSpan ends a span naftiko started around a call or a step (naftiko.run,
// a server request, a step): when err is not nil it first records the
// error's kind as error.type and its message, which the engine has
// redacted, as the span's error status.
func EndSpan(span trace.Span, err error) {
	if err != nil {
		se := spec.AsError(err)
		span.SetAttributes(attribute.String("error.type", se.Kind.String()))
		span.SetStatus(codes.Error, se.Msg)
	}
	span.End()
}

// traceSend prepares ctx for the spans of one Send.
func (e *Engine) traceSend(ctx context.Context) context.Context {
	if e.tracer == nil {
		return ctx
	}
	return context.WithValue(ctx, resendKey{}, new(atomic.Int64))
}

// tracingTransport records a client span per request and injects its
// context.
type tracingTransport struct {
	e    *Engine
	base http.RoundTripper
}

// traceTransport returns base wrapped so that each request through it
// records the engine's client span and carries its context; base itself
// when tracing is off.
func (e *Engine) traceTransport(base http.RoundTripper) http.RoundTripper {
	if e.tracer == nil {
		return base
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if e.propagator == nil {
		e.propagator = propagation.TraceContext{}
	}
	return &tracingTransport{e: e, base: base}
}

// RoundTrip implements http.RoundTripper.
func (t *tracingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	e := t.e
	ctx := req.Context()
	attrs := make([]attribute.KeyValue, 0, 8)
	attrs = append(attrs,
		attribute.String("http.request.method", req.Method),
		attribute.String("url.full", e.safeURL(req.URL)),
		attribute.String("server.address", req.URL.Hostname()),
		attribute.Int("server.port", urlPort(req)),
	)
	if pr, ok := ctx.Value(authKey{}).(*Prepared); ok && pr.plan != nil {
		attrs = append(attrs, AttrNamespace.String(pr.plan.Namespace), AttrOperation.String(pr.plan.FullRef))
		if n, ok := ctx.Value(resendKey{}).(*atomic.Int64); ok {
			if c := n.Add(1) - 1; c > 0 {
				attrs = append(attrs, attribute.Int64("http.request.resend_count", c))
			}
		}
	}
	ctx, span := e.tracer.Start(ctx, "http.client."+req.Method, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	out := req.Clone(ctx)
	e.propagator.Inject(ctx, propagation.HeaderCarrier(out.Header))
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		typ := "transport"
		if errors.Is(err, context.DeadlineExceeded) {
			typ = "timeout"
		}
		span.SetAttributes(attribute.String("error.type", typ))
		span.SetStatus(codes.Error, e.red.Redact(err.Error()))
		span.End()
		return resp, err
	}
	span.SetAttributes(attribute.Int("http.response.status_code", resp.StatusCode))
	if resp.StatusCode >= 400 {
		span.SetAttributes(attribute.String("error.type", strconv.Itoa(resp.StatusCode)))
		span.SetStatus(codes.Error, "")
	}
	resp.Body = &spanBody{ReadCloser: resp.Body, span: span}
	return resp, nil
}

// CloseIdleConnections closes the idle connections of the wrapped
// transport.
func (t *tracingTransport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func urlPort(req *http.Request) int {
	if p := req.URL.Port(); p != "" {
		n, _ := strconv.Atoi(p)
		return n
	}
	if req.URL.Scheme == "https" {
		return 443
	}
	return 80
}

// spanBody ends the span of a response when its body is read to the end
// or closed, so the span covers the transfer.
type spanBody struct {
	io.ReadCloser
	span trace.Span
	once sync.Once
}

func (b *spanBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.end()
	}
	return n, err
}

func (b *spanBody) Close() error {
	err := b.ReadCloser.Close()
	b.end()
	return err
}

func (b *spanBody) end() { b.once.Do(func() { b.span.End() }) }
