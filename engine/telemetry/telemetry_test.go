package telemetry

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

func lookup(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestSetupOffAndErrors(t *testing.T) {
	doc := &spec.Observability{Endpoint: "http://collector.local:4318"}
	for _, tc := range []struct {
		name string
		s    Settings
		on   bool
		err  string
	}{
		{"nothing configured", Settings{Lookup: lookup()}, false, ""},
		{"env endpoint", Settings{Lookup: lookup("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")}, true, ""},
		{"traces endpoint, grpc", Settings{Lookup: lookup("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")}, true, ""},
		{"document endpoint", Settings{Lookup: lookup(), Observability: doc}, true, ""},
		{"document disabled", Settings{Lookup: lookup("OTEL_EXPORTER_OTLP_ENDPOINT", "http://x"), Observability: &spec.Observability{Disabled: true}}, false, ""},
		{"SDK disabled", Settings{Lookup: lookup("OTEL_EXPORTER_OTLP_ENDPOINT", "http://x", "OTEL_SDK_DISABLED", "true")}, false, ""},
		{"exporter none", Settings{Lookup: lookup("OTEL_TRACES_EXPORTER", "none"), Observability: doc}, false, ""},
		{"exporter console", Settings{Lookup: lookup("OTEL_TRACES_EXPORTER", "console"), Observability: doc}, false,
			"usage: OTEL_TRACES_EXPORTER=console is not supported"},
		{"http/json", Settings{Lookup: lookup("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), Observability: doc}, false,
			`usage: OTLP protocol "http/json" is not supported`},
		{"bad propagator", Settings{Lookup: lookup("OTEL_PROPAGATORS", "tracecontext,xray"), Observability: doc}, false,
			`usage: OTEL_PROPAGATORS: "xray" is not supported`},
		{"bad document propagation", Settings{Lookup: lookup(), Observability: &spec.Observability{Endpoint: "http://c", Propagation: "jaeger"}}, false,
			`spec: observability propagation "jaeger" is not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := Setup(context.Background(), tc.s)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("err = %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (tr != nil) != tc.on {
				t.Fatalf("tracing on = %v, want %v", tr != nil, tc.on)
			}
			if tr != nil {
				if err := tr.Shutdown(context.Background()); err != nil {
					t.Errorf("shutdown: %v", err)
				}
			}
		})
	}
}

func TestPropagatorFields(t *testing.T) {
	for _, tc := range []struct{ env, doc, want string }{
		{"", "", "baggage traceparent tracestate"},
		{"", "w3c", "baggage traceparent tracestate"},
		{"", "b3", "x-b3-flags x-b3-sampled x-b3-spanid x-b3-traceid"},
		{"b3", "w3c", "b3"},
		{"tracecontext", "b3", "traceparent tracestate"},
		{"none", "", ""},
	} {
		p, err := propagator(tc.env, tc.doc)
		if err != nil {
			t.Fatal(err)
		}
		f := p.Fields()
		sort.Strings(f)
		if got := strings.Join(f, " "); got != tc.want {
			t.Errorf("propagator(%q, %q) fields %q, want %q", tc.env, tc.doc, got, tc.want)
		}
	}
}
