package serve

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/naftiko/naftiko/engine"
)

// metrics are the families of SPEC.md §13.2, registered in a registry of
// their own (never the client library's global one) together with the Go
// runtime and process collectors. Exposition is promhttp's.
type metrics struct {
	reg            *prometheus.Registry
	requests       *prometheus.CounterVec
	requestDur     *prometheus.HistogramVec
	requestErrors  *prometheus.CounterVec
	stepDur        *prometheus.HistogramVec
	clientTotal    *prometheus.CounterVec
	clientDur      *prometheus.HistogramVec
	clientRetries  *prometheus.CounterVec
	capabilityLive *prometheus.GaugeVec
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	op := []string{"naftiko_adapter_type", "naftiko_operation_id", "status"}
	up := []string{"http_request_method", "server_address", "http_response_status_code", "error_type"}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "naftiko_request_total",
		Help: "Requests served, by adapter type, operation and status."}, op)
	m.requestDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "naftiko_request_duration_seconds",
		Help: "Time to serve a request, by adapter type, operation and status."}, op)
	m.requestErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "naftiko_request_errors_total",
		Help: "Requests that failed, by adapter type, operation, status and error kind."}, append(op[:3:3], "error_type"))
	m.stepDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "naftiko_step_duration_seconds",
		Help: "Time spent in orchestration steps, by step type and namespace."}, []string{"step_type", "naftiko_namespace"})
	m.clientTotal = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "naftiko_http_client_total",
		Help: "Upstream HTTP requests (one per attempt), by method, server and status."}, up)
	m.clientDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "naftiko_http_client_duration_seconds",
		Help: "Upstream HTTP request duration (one per attempt)."}, up)
	m.clientRetries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "naftiko_http_client_retries_total",
		Help: "Upstream HTTP requests that were retries of an earlier attempt."}, []string{"http_request_method", "server_address"})
	m.capabilityLive = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "naftiko_capability_active",
		Help: "1 while the capability is served."}, []string{"naftiko_capability"})
	m.reg.MustRegister(m.requests, m.requestDur, m.requestErrors, m.stepDur, m.clientTotal, m.clientDur, m.clientRetries,
		m.capabilityLive, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// handler serves the registry in the Prometheus text format (or what the
// scraper negotiates).
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// request records one served request.
func (m *metrics) request(adapter, op string, status int, errKind string, d time.Duration) {
	st := strconv.Itoa(status)
	m.requests.WithLabelValues(adapter, op, st).Inc()
	m.requestDur.WithLabelValues(adapter, op, st).Observe(d.Seconds())
	if errKind != "" {
		m.requestErrors.WithLabelValues(adapter, op, st, errKind).Inc()
	}
}

// step records the time of one orchestration step.
func (m *metrics) step(typ, namespace string, d time.Duration) {
	m.stepDur.WithLabelValues(typ, namespace).Observe(d.Seconds())
}

// retries samples naftiko_http_client_retries_total: the engine calls it
// before each retry of a call made by this server.
func (m *metrics) retries() *engine.CallTrace {
	return &engine.CallTrace{Retry: func(r engine.Retry) {
		host := ""
		if u, err := url.Parse(r.URL); err == nil {
			host = u.Host
		}
		m.clientRetries.WithLabelValues(r.Method, host).Inc()
	}}
}

// clientTransport records upstream requests made through the shared
// client.
type clientTransport struct {
	base http.RoundTripper
	m    *metrics
}

// RoundTrip implements http.RoundTripper.
func (t *clientTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	d := time.Since(start).Seconds()
	host := req.URL.Host
	if err != nil {
		t.m.clientTotal.WithLabelValues(req.Method, host, "", "transport").Inc()
		t.m.clientDur.WithLabelValues(req.Method, host, "", "transport").Observe(d)
		return resp, err
	}
	code := strconv.Itoa(resp.StatusCode)
	t.m.clientTotal.WithLabelValues(req.Method, host, code, "").Inc()
	t.m.clientDur.WithLabelValues(req.Method, host, code, "").Observe(d)
	return resp, nil
}

// CloseIdleConnections closes the idle connections of the wrapped
// transport.
func (t *clientTransport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
