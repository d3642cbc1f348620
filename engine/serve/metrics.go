package serve

import (
	"io"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// defBuckets are the histogram bucket bounds in seconds (the Prometheus
// client defaults).
var defBuckets = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Metric kinds.
const (
	kindCounter   = "counter"
	kindGauge     = "gauge"
	kindHistogram = "histogram"
)

// family is one metric name with its labelled series.
type family struct {
	name, help, kind string
	labels           []string

	mu     sync.RWMutex
	series map[string]*series
}

// series is one labelled time series: a counter or gauge value, or a
// histogram's buckets, sum and count.
type series struct {
	values  []string
	value   atomic.Int64 // counters and gauges
	buckets [len(defBuckets)]atomic.Uint64
	count   atomic.Uint64
	sumBits atomic.Uint64 // float64 bits of the sum
}

// registry holds the metric families of one Server, in exposition order.
type registry struct {
	families []*family
}

func (r *registry) add(name, help, kind string, labels ...string) *family {
	f := &family{name: name, help: help, kind: kind, labels: labels, series: map[string]*series{}}
	r.families = append(r.families, f)
	return f
}

// with returns the series for the label values, creating it.
func (f *family) with(values ...string) *series {
	key := strings.Join(values, "\xff")
	f.mu.RLock()
	s := f.series[key]
	f.mu.RUnlock()
	if s != nil {
		return s
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if s = f.series[key]; s == nil {
		s = &series{values: slices.Clone(values)}
		f.series[key] = s
	}
	return s
}

// inc adds one to a counter.
func (s *series) inc() { s.value.Add(1) }

// set sets a gauge.
func (s *series) set(v int64) { s.value.Store(v) }

// observe records a duration in a histogram.
func (s *series) observe(d time.Duration) {
	v := d.Seconds()
	for i, b := range defBuckets {
		if v <= b {
			s.buckets[i].Add(1)
		}
	}
	s.count.Add(1)
	for {
		old := s.sumBits.Load()
		if s.sumBits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

// write writes the registry in the Prometheus text exposition format
// (version 0.0.4).
func (r *registry) write(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.families {
		b.WriteString("# HELP ")
		b.WriteString(f.name)
		b.WriteByte(' ')
		b.WriteString(f.help)
		b.WriteString("\n# TYPE ")
		b.WriteString(f.name)
		b.WriteByte(' ')
		b.WriteString(f.kind)
		b.WriteByte('\n')
		f.mu.RLock()
		keys := make([]string, 0, len(f.series))
		for k := range f.series {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			s := f.series[k]
			switch f.kind {
			case kindHistogram:
				for i, bound := range defBuckets {
					writeSample(&b, f.name+"_bucket", f.labels, s.values, "le", strconv.FormatFloat(bound, 'g', -1, 64), strconv.FormatUint(s.buckets[i].Load(), 10))
				}
				n := strconv.FormatUint(s.count.Load(), 10)
				writeSample(&b, f.name+"_bucket", f.labels, s.values, "le", "+Inf", n)
				writeSample(&b, f.name+"_sum", f.labels, s.values, "", "", strconv.FormatFloat(math.Float64frombits(s.sumBits.Load()), 'g', -1, 64))
				writeSample(&b, f.name+"_count", f.labels, s.values, "", "", n)
			default:
				writeSample(&b, f.name, f.labels, s.values, "", "", strconv.FormatInt(s.value.Load(), 10))
			}
		}
		f.mu.RUnlock()
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSample(b *strings.Builder, name string, labels, values []string, extraName, extraValue, v string) {
	b.WriteString(name)
	if len(labels) > 0 || extraName != "" {
		b.WriteByte('{')
		first := true
		for i, l := range labels {
			if values[i] == "" {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(l)
			b.WriteString(`="`)
			b.WriteString(escapeLabel(values[i]))
			b.WriteByte('"')
		}
		if extraName != "" {
			if !first {
				b.WriteByte(',')
			}
			b.WriteString(extraName)
			b.WriteString(`="`)
			b.WriteString(extraValue)
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(v)
	b.WriteByte('\n')
}

// escapeLabel escapes a label value: backslash, double quote and newline.
func escapeLabel(s string) string {
	if !strings.ContainsAny(s, "\\\"\n") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return r.Replace(s)
}

// metrics are the families of SPEC.md §13.2.
type metrics struct {
	reg            registry
	requests       *family
	requestDur     *family
	requestErrors  *family
	stepDur        *family
	clientTotal    *family
	clientDur      *family
	clientRetries  *family
	capabilityLive *family
}

func newMetrics() *metrics {
	m := &metrics{}
	op := []string{"naftiko_adapter_type", "naftiko_operation_id", "status"}
	m.requests = m.reg.add("naftiko_request_total", "Requests served, by adapter type, operation and status.", kindCounter, op...)
	m.requestDur = m.reg.add("naftiko_request_duration_seconds", "Time to serve a request, by adapter type, operation and status.", kindHistogram, op...)
	m.requestErrors = m.reg.add("naftiko_request_errors_total", "Requests that failed, by adapter type, operation, status and error kind.", kindCounter,
		append(slices.Clone(op), "error_type")...)
	m.stepDur = m.reg.add("naftiko_step_duration_seconds", "Time spent in orchestration steps, by step type and namespace.", kindHistogram,
		"step_type", "naftiko_namespace")
	up := []string{"http_request_method", "server_address", "http_response_status_code", "error_type"}
	m.clientTotal = m.reg.add("naftiko_http_client_total", "Upstream HTTP requests (one per attempt), by method, server and status.", kindCounter, up...)
	m.clientDur = m.reg.add("naftiko_http_client_duration_seconds", "Upstream HTTP request duration (one per attempt).", kindHistogram, up...)
	m.clientRetries = m.reg.add("naftiko_http_client_retries_total", "Upstream HTTP requests that were retries of an earlier attempt.", kindCounter,
		"http_request_method", "server_address")
	m.capabilityLive = m.reg.add("naftiko_capability_active", "1 while the capability is served.", kindGauge, "naftiko_capability")
	return m
}

// request records one served request.
func (m *metrics) request(adapter, op string, status int, errKind string, d time.Duration) {
	st := strconv.Itoa(status)
	m.requests.with(adapter, op, st).inc()
	m.requestDur.with(adapter, op, st).observe(d)
	if errKind != "" {
		m.requestErrors.with(adapter, op, st, errKind).inc()
	}
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
	d := time.Since(start)
	host := req.URL.Host
	if err != nil {
		t.m.clientTotal.with(req.Method, host, "", "transport").inc()
		t.m.clientDur.with(req.Method, host, "", "transport").observe(d)
		return resp, err
	}
	code := strconv.Itoa(resp.StatusCode)
	t.m.clientTotal.with(req.Method, host, code, "").inc()
	t.m.clientDur.with(req.Method, host, code, "").observe(d)
	return resp, nil
}

// CloseIdleConnections closes the idle connections of the wrapped
// transport.
func (t *clientTransport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}
