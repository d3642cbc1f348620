package telemetry

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/naftiko/naftiko/spec"
)

// Settings are what the document and the caller say about tracing; the
// OTEL_* environment variables win over them.
type Settings struct {
	// ServiceName is the default service.name (OTEL_SERVICE_NAME wins).
	ServiceName string
	// Observability is a control adapter's section, or nil.
	Observability *spec.Observability
	// Lookup reads the environment (os.LookupEnv in the CLI). The
	// exporters also read their own OTEL_EXPORTER_OTLP_* variables
	// (headers, timeout, certificates) from the process environment.
	Lookup func(string) (string, bool)
}

// Tracing is a running trace pipeline.
type Tracing struct {
	Provider   trace.TracerProvider
	Propagator propagation.TextMapPropagator
	sdk        *sdktrace.TracerProvider
}

// Shutdown exports the spans still buffered and stops the exporter.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.sdk.Shutdown(ctx)
}

func (s Settings) env(k string) string {
	if s.Lookup == nil {
		return ""
	}
	v, _ := s.Lookup(k)
	return strings.TrimSpace(v)
}

// Setup returns the trace pipeline, or nil when tracing is off: when no
// OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT,
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or the document's
// exporters.otlp.endpoint), when OTEL_SDK_DISABLED=true,
// OTEL_TRACES_EXPORTER=none or the document says `enabled: false`.
// Building the exporter does not connect: an unreachable collector costs
// dropped spans, never a failed call.
func Setup(ctx context.Context, s Settings) (*Tracing, error) {
	obs := s.Observability
	if obs == nil {
		obs = &spec.Observability{}
	}
	if strings.EqualFold(s.env("OTEL_SDK_DISABLED"), "true") || obs.Disabled {
		return nil, nil
	}
	switch x := s.env("OTEL_TRACES_EXPORTER"); x {
	case "", "otlp":
	case "none":
		return nil, nil
	default:
		return nil, &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("OTEL_TRACES_EXPORTER=%s is not supported", x), Hint: "use otlp or none"}
	}
	envEndpoint := s.env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" || s.env("OTEL_EXPORTER_OTLP_ENDPOINT") != ""
	if !envEndpoint && obs.Endpoint == "" {
		return nil, nil
	}
	prop, err := propagator(s.env("OTEL_PROPAGATORS"), obs.Propagation)
	if err != nil {
		return nil, err
	}
	exp, err := exporter(ctx, s, envEndpoint, obs.Endpoint)
	if err != nil {
		return nil, err
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithBatcher(exp)}
	if s.env("OTEL_TRACES_SAMPLER") == "" && obs.Sampling != nil {
		opts = append(opts, sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(*obs.Sampling))))
	}
	res, err := resource.New(ctx, resource.WithTelemetrySDK(),
		resource.WithAttributes(attribute.String("service.name", s.ServiceName)), resource.WithFromEnv())
	if err != nil {
		return nil, &spec.Error{Kind: spec.KindUsage, Msg: "OTEL_RESOURCE_ATTRIBUTES: " + err.Error()}
	}
	opts = append(opts, sdktrace.WithResource(res))
	tp := sdktrace.NewTracerProvider(opts...)
	return &Tracing{Provider: tp, Propagator: prop, sdk: tp}, nil
}

// exporter builds the OTLP exporter of the protocol the environment names
// (http/protobuf by default, as the OTLP specification says; grpc).
func exporter(ctx context.Context, s Settings, envEndpoint bool, docEndpoint string) (sdktrace.SpanExporter, error) {
	proto := s.env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if proto == "" {
		proto = s.env("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	switch proto {
	case "", "http/protobuf":
		var opts []otlptracehttp.Option
		if !envEndpoint {
			opts = append(opts, otlptracehttp.WithEndpointURL(docEndpoint))
		}
		return otlptracehttp.New(ctx, opts...)
	case "grpc":
		var opts []otlptracegrpc.Option
		if !envEndpoint {
			opts = append(opts, otlptracegrpc.WithEndpointURL(docEndpoint))
		}
		return otlptracegrpc.New(ctx, opts...)
	}
	return nil, &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("OTLP protocol %q is not supported", proto), Hint: "use http/protobuf or grpc"}
}

// propagator builds the propagator OTEL_PROPAGATORS names (a comma list
// of tracecontext, baggage, b3, b3multi, none) or, without it, the
// document's `propagation` (w3c, b3); W3C trace context and baggage by
// default.
func propagator(env, doc string) (propagation.TextMapPropagator, error) {
	names := env
	if names == "" {
		switch strings.ToLower(doc) {
		case "", "w3c", "tracecontext":
			names = "tracecontext,baggage"
		case "b3":
			names = "b3multi"
		default:
			return nil, &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("observability propagation %s is not supported", strconv.Quote(doc)), Hint: "use w3c or b3"}
		}
	}
	var ps []propagation.TextMapPropagator
	for _, n := range strings.Split(names, ",") {
		switch strings.TrimSpace(n) {
		case "tracecontext":
			ps = append(ps, propagation.TraceContext{})
		case "baggage":
			ps = append(ps, propagation.Baggage{})
		case "b3":
			ps = append(ps, b3.New())
		case "b3multi":
			ps = append(ps, b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)))
		case "none", "":
		default:
			return nil, &spec.Error{Kind: spec.KindUsage, Msg: fmt.Sprintf("OTEL_PROPAGATORS: %s is not supported", strconv.Quote(strings.TrimSpace(n))),
				Hint: "use tracecontext, baggage, b3 or b3multi"}
		}
	}
	return propagation.NewCompositeTextMapPropagator(ps...), nil
}
