package serve

import (
	"context"
	"net/http"
	"reflect"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/naftiko/naftiko/engine"
)

// WithTracerProvider turns tracing on (SPEC.md §13.1): a server span per
// REST request (`rest.request`), skill request (`skill.request`) and MCP
// request (`mcp.request`, over HTTP or stdio), one for each request
// inbound authentication refuses, an `mcp.tool` span per tool call, a
// `step.call` or `step.lookup` span per orchestration step, a
// `function.call` span per aggregate function reached through `call`, a
// `rest.forward` span per forwarded request, and the engine's client span
// per upstream request (forwards included). The inbound trace context (W3C traceparent, or
// the WithPropagator format; for MCP also `_meta.traceparent`) is the
// parent of the server span. Off by default: without it no span is made.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithPropagator sets the trace-context format read from inbound requests
// and written to upstream ones (default: W3C trace context).
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.propagator = p }
}

// Span attribute keys of the server side.
const (
	attrAdapterType = attribute.Key("naftiko.adapter.type")
	attrOperationID = attribute.Key("naftiko.operation.id")
	attrCapability  = attribute.Key("naftiko.capability")
	attrStepIndex   = attribute.Key("naftiko.step.index")
	attrStepCall    = attribute.Key("naftiko.step.call")
	attrFunction    = attribute.Key("naftiko.function")
	attrNamespace   = engine.AttrNamespace
	attrAuthRefused = attribute.Key("naftiko.auth.refused")
)

// tracingOptions sets up the tracer and returns the engine options that
// make the engine trace too.
func (s *Server) tracingOptions() []engine.Option {
	if s.cfg.tp == nil {
		return []engine.Option{engine.WithCallTraceAlways(s.m.retries())}
	}
	s.tracer = s.cfg.tp.Tracer(engine.TracerName)
	s.propagator = s.cfg.propagator
	if s.propagator == nil {
		s.propagator = propagation.TraceContext{}
	}
	return []engine.Option{engine.WithTracerProvider(s.cfg.tp), engine.WithPropagator(s.propagator), engine.WithCallTraceAlways(s.m.retries())}
}

// startSpan starts an internal span when tracing is on; the returned end
// function records err (if any) and ends it.
func (s *Server) startSpan(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, func(error)) {
	if s.tracer == nil {
		return ctx, func(error) {}
	}
	ctx, span := s.tracer.Start(ctx, name, trace.WithAttributes(attrs...))
	return ctx, func(err error) { engine.EndSpan(span, err) }
}

// refusedSpan returns what records the server span of a request that
// inbound authentication refused (`<type>.request`, status 401,
// naftiko.auth.refused=true; no credential is recorded): nil when
// tracing is off, and for the control adapter, which is not traced.
func (s *Server) refusedSpan(typ string) func(*http.Request) {
	if s.tracer == nil || typ == "control" {
		return nil
	}
	name := typ + ".request"
	attrs := []attribute.KeyValue{attrAdapterType.String(typ), attrCapability.String(s.cap.Info.Label), attrAuthRefused.Bool(true)}
	return func(r *http.Request) {
		ctx := s.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		_, span := s.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.Int("http.response.status_code", http.StatusUnauthorized)))
		span.End()
	}
}

// setOperationID names the operation a server span served.
func setOperationID(ctx context.Context, id string) {
	trace.SpanFromContext(ctx).SetAttributes(attrOperationID.String(id))
}

// traceHTTP wraps the handler of a REST (or skill) adapter with its server
// span. It runs inside inbound authentication: refused requests make no
// span.
func (s *Server) traceHTTP(typ string, h http.Handler) http.Handler {
	if s.tracer == nil {
		return h
	}
	name := typ + ".request"
	capability := attrCapability.String(s.cap.Info.Label)
	adapter := attrAdapterType.String(typ)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := s.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := s.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(adapter, capability, attribute.String("http.request.method", r.Method)))
		defer span.End()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r.WithContext(ctx))
		span.SetAttributes(attribute.Int("http.response.status_code", sw.status))
		if sw.status >= 500 {
			span.SetStatus(codes.Error, "")
		}
	})
}

// traceSkill wraps the mux of a skill adapter with its server span, named
// by the route the mux chose.
func (s *Server) traceSkill(mux *http.ServeMux) http.Handler {
	if s.tracer == nil {
		return mux
	}
	return s.traceHTTP("skill", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if r.Pattern != "" {
			// The mux sets the pattern it chose on r.
			setOperationID(r.Context(), r.Pattern)
		}
	}))
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Flush lets streamed answers through.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// traceMCP makes the MCP server record an `mcp.request` server span per
// request it receives, whose parent is the trace context of the HTTP
// request's headers or, failing that, of the request's
// `_meta.traceparent` (stdio).
func (s *Server) traceMCP(srv *mcp.Server) {
	if s.tracer == nil {
		return
	}
	capability := attrCapability.String(s.cap.Info.Label)
	adapter := attrAdapterType.String("mcp")
	srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			attrs := []attribute.KeyValue{adapter, capability, attrOperationID.String(method)}
			if ex := req.GetExtra(); ex != nil && ex.Header != nil {
				ctx = s.propagator.Extract(ctx, propagation.HeaderCarrier(ex.Header))
				attrs = append(attrs, attribute.String("http.request.method", http.MethodPost))
			}
			if !trace.SpanContextFromContext(ctx).IsValid() {
				ctx = s.propagator.Extract(ctx, metaCarrier(req))
			}
			ctx, span := s.tracer.Start(ctx, "mcp.request", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...))
			defer span.End()
			res, err := next(ctx, method, req)
			if err != nil {
				span.SetStatus(codes.Error, err.Error())
			} else if tr, ok := res.(*mcp.CallToolResult); ok && tr.IsError {
				span.SetStatus(codes.Error, "tool error")
			}
			return res, err
		}
	})
}

// metaCarrier reads trace context from a request's `_meta`.
func metaCarrier(req mcp.Request) propagation.MapCarrier {
	m := propagation.MapCarrier{}
	p := req.GetParams()
	if v := reflect.ValueOf(p); !v.IsValid() || (v.Kind() == reflect.Pointer && v.IsNil()) {
		return m
	}
	for k, v := range p.GetMeta() {
		if s, ok := v.(string); ok {
			m[k] = s
		}
	}
	return m
}
