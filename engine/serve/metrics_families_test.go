package serve

import (
	"strings"
	"testing"
)

// The metric families TestControlAndMetrics leaves out: each call step of
// an orchestration samples naftiko_step_duration_seconds by step type and
// namespace, and an upstream that cannot be reached counts as
// error_type="transport" with no status code (README "Control adapter and
// metrics").
func TestStepAndTransportMetrics(t *testing.T) {
	up := newUpstream(t)
	doc := strings.ReplaceAll(stepsBenchDoc, "UPSTREAM", up.URL) + "  - {type: control, namespace: ctl, port: 0}\n"
	metrics := func(opts ...Option) string {
		t.Helper()
		s, err := New(parse(t, doc), append([]Option{WithLookup(env("TOKEN", "t")), WithRetries(0)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		do(t, s.Handler("api"), "GET", "/chain/o1", "")
		_, body, _ := do(t, s.Handler("ctl"), "GET", "/metrics", "")
		return body
	}
	ok, down := metrics(), metrics(WithBaseURI("orgs", "http://127.0.0.1:1"))
	for _, c := range []struct{ body, want string }{
		{ok, `naftiko_step_duration_seconds_count{naftiko_namespace="orgs",step_type="call"} 2` + "\n"},
		{down, `naftiko_http_client_total{error_type="transport",http_request_method="GET",http_response_status_code="",server_address="127.0.0.1:1"} 1` + "\n"},
		{down, `naftiko_http_client_duration_seconds_count{error_type="transport",http_request_method="GET",http_response_status_code="",server_address="127.0.0.1:1"} 1` + "\n"},
	} {
		if !strings.Contains(c.body, c.want) {
			t.Errorf("metrics lack %q:\n%s", c.want, c.body)
		}
	}
}
