// Package telemetry builds the OpenTelemetry trace pipeline of the CLI
// (SPEC.md §13.1) from the standard OTEL_* environment variables and a
// control adapter's `observability` settings: an OTLP exporter (HTTP or
// gRPC), a batching TracerProvider, a sampler and a propagator. The engine
// and serve packages never build one themselves: they take the provider
// and propagator this package returns as options.
//
// It may import the OpenTelemetry SDK and exporters and spec; nothing in
// engine or serve imports it.
package telemetry
