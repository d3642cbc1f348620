// Package serve serves the exposes adapters of a capability: every
// consumed API becomes an MCP server for AI agents and a REST API
// (SPEC.md §11).
//
// A Server is built from a loaded *spec.Capability. It owns one engine
// and one shared *http.Client (connection reuse, metrics), and starts:
//
//   - REST adapters (type rest): routes from resources and methods,
//     inputs from path, query, header or JSON body, `call` + `with`,
//     orchestrated `steps`, `ref` to aggregate functions, mocks and
//     `forward`; upstream statuses pass through, transport failures are
//     502 and timeouts 504; errors are {"error": {kind, message, hint}}.
//   - MCP adapters (type mcp) with the official go-sdk, over streamable
//     HTTP (/mcp) or stdio: tools with validated arguments, resources and
//     prompts. WithMCPStdio and WithMCPHTTP serve only MCP, with tools
//     generated from the consumed operations when the document has no MCP
//     adapter.
//   - control adapters (type control): /health/live, /health/ready and
//     /metrics, exposed by github.com/prometheus/client_golang from a
//     registry of the Server's own (SPEC.md §13.2 families plus the Go
//     runtime and process collectors).
//
// Tracing is off unless WithTracerProvider injects an OpenTelemetry
// provider (otel.go): server spans per REST, skill and MCP request (and
// per request inbound authentication refuses), tool, step, function and
// forward spans, and the engine's client spans, with the inbound trace
// context as parent. The package uses the OTel API only; building an SDK
// pipeline is engine/telemetry's job.
//
// Inbound authentication (bearer, apikey, basic) is checked in constant
// time; every adapter binds to 127.0.0.1 unless the document or
// WithAddress says otherwise. Run serves until its context is cancelled,
// then drains in-flight requests for up to 10 seconds.
//
// Imports: the OpenTelemetry API, prometheus/client_golang, spec/program
// (the compiled capability and its `with` values), engine's public API,
// binder (through Engine.Binder, the one binder with every provider),
// spec, and spec/jsonv for JSON values; never engine's internals
// (spec/graph_test.go enforces it). It executes the program: every
// exposed element is compiled once, at start, by spec/program
// (targets, `with` values, template placeholders, lookups, mappings,
// outputs) and looked up with Program.Element, and one executor
// (behavior.go) runs that form for REST and MCP (skills name those
// tools), so a request performs no reference lookup by string, no
// placeholder classification and no template or JSONPath compilation.
package serve
