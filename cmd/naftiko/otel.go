package main

import (
	"context"
	"os"
	"time"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/engine/telemetry"
	"github.com/naftiko/naftiko/spec"
)

// flushTimeout bounds the export of the last spans when a command ends,
// so that an unreachable collector does not hold the command up.
const flushTimeout = 3 * time.Second

// startTracing builds the trace pipeline from the OTEL_* environment and,
// for serve, the first control adapter's observability section; nil when
// tracing is off.
func startTracing(ctx context.Context, c *spec.Capability, withDocument bool) (*telemetry.Tracing, error) {
	s := telemetry.Settings{ServiceName: "naftiko", Lookup: os.LookupEnv}
	if c.Info.Label != "" {
		s.ServiceName = "naftiko-" + c.Info.Label
	}
	if withDocument {
		for _, x := range c.Exposes {
			if x.Type == "control" && x.Observability != nil {
				s.Observability = x.Observability
				break
			}
		}
	}
	return telemetry.Setup(ctx, s)
}

// flush exports what is left of the spans.
func flush(tr *telemetry.Tracing) {
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	tr.Shutdown(ctx)
}

// runSpan starts the root span of `naftiko run`, a child of the TRACEPARENT
// environment variable when it is set (how a calling script continues its
// trace), and returns the function that ends it.
func runSpan(ctx context.Context, tr *telemetry.Tracing, op *engine.Operation) (context.Context, func(error)) {
	if tp, ok := os.LookupEnv("TRACEPARENT"); ok {
		carrier := propagation.MapCarrier{"traceparent": tp}
		if ts, ok := os.LookupEnv("TRACESTATE"); ok {
			carrier["tracestate"] = ts
		}
		ctx = tr.Propagator.Extract(ctx, carrier)
	}
	ctx, span := tr.Provider.Tracer(engine.TracerName).Start(ctx, "naftiko.run",
		trace.WithAttributes(engine.AttrNamespace.String(op.Namespace), engine.AttrOperation.String(op.FullRef)))
	return ctx, func(err error) { engine.EndSpan(span, err) }
}
