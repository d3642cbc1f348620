package serve

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const controlDoc = `naftiko: 1.0.0-alpha2
info: {label: Control}
binds:
- namespace: env
  keys: {TOKEN: TOKEN, ADMIN: ADMIN}
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{TOKEN}}'}
    resources:
    - name: flaky
      path: /flaky
      operations:
      - {name: flaky, method: GET, inputParameters: [{name: i, in: query}]}
    - name: memberships
      path: /organizations/{organization_id}/memberships
      operations:
      - {name: list, method: GET}
  exposes:
  - type: rest
    namespace: api
    port: 0
    AUTH
    resources:
    - path: /flaky
      name: flaky
      operations:
      - {method: GET, call: orgs.flaky, with: {i: rest.i}}
    - path: /orgs/{org}
      name: org
      operations:
      - {method: GET, call: orgs.list, with: {organization_id: rest.org}}
  - type: mcp
    namespace: tools
    port: 0
    tools:
    - name: flaky
      description: Sometimes fails.
      call: orgs.flaky
      with: {i: tools.i}
  - type: control
    namespace: ctl
    port: 0
    management: {info: true}
`

func controlServer(t *testing.T, up *upstream, auth string, opts ...Option) *Server {
	t.Helper()
	src := strings.NewReplacer("UPSTREAM", up.URL, "AUTH", auth).Replace(controlDoc)
	s, err := New(parse(t, src), append([]Option{WithRetries(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t testing.TB, c *http.Client, url string, hdr ...string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// TestControlAndMetrics starts every adapter on free ports: health,
// readiness with an unbound variable, and the Prometheus metrics of
// requests and upstream calls.
func TestControlAndMetrics(t *testing.T) {
	up := newUpstream(t)
	before := runtime.NumGoroutine()
	s := controlServer(t, up, "", WithLookup(env("ADMIN", "x", "TOKEN", "t")))
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := &http.Client{}
	ctl, api := "http://"+s.Addr("ctl"), "http://"+s.Addr("api")
	if st, body, _ := get(t, c, ctl+"/health/live"); st != 200 || body != `{"status":"UP"}`+"\n" {
		t.Errorf("live: %d %s", st, body)
	}
	if st, body, _ := get(t, c, ctl+"/health/ready"); st != 200 || !strings.HasPrefix(body, `{"status":"UP","adapters":[{"type":"rest","namespace":"api","port":`) {
		t.Errorf("ready: %d %s", st, body)
	}
	for i := 1; i <= 3; i++ {
		get(t, c, fmt.Sprintf("%s/flaky?i=%d", api, i*5))
	}
	st, body, hdr := get(t, c, ctl+"/metrics")
	if st != 200 || hdr.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8; escaping=underscores" {
		t.Errorf("metrics: %d %v", st, hdr)
	}
	for _, want := range []string{
		"# HELP naftiko_request_total Requests served, by adapter type, operation and status.\n# TYPE naftiko_request_total counter\n",
		`naftiko_request_total{naftiko_adapter_type="rest",naftiko_operation_id="/flaky GET",status="200"} 2` + "\n",
		`naftiko_request_total{naftiko_adapter_type="rest",naftiko_operation_id="/flaky GET",status="500"} 1` + "\n",
		`naftiko_request_errors_total{error_type="upstream",naftiko_adapter_type="rest",naftiko_operation_id="/flaky GET",status="500"} 1` + "\n",
		`naftiko_request_duration_seconds_bucket{naftiko_adapter_type="rest",naftiko_operation_id="/flaky GET",status="200",le="+Inf"} 2` + "\n",
		`naftiko_request_duration_seconds_count{naftiko_adapter_type="rest",naftiko_operation_id="/flaky GET",status="200"} 2` + "\n",
		fmt.Sprintf(`naftiko_http_client_total{error_type="",http_request_method="GET",http_response_status_code="500",server_address="%s"} 1`+"\n", up.Listener.Addr()),
		fmt.Sprintf(`naftiko_http_client_duration_seconds_count{error_type="",http_request_method="GET",http_response_status_code="200",server_address="%s"} 2`+"\n", up.Listener.Addr()),
		"# TYPE go_goroutines gauge\n",
		"# TYPE process_cpu_seconds_total counter\n",
		`naftiko_capability_active{naftiko_capability="Control"} 1` + "\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	st, body, _ = get(t, c, ctl+"/status")
	if st != 200 || !strings.HasPrefix(body, `{"capability":{"label":"Control","specVersion":"1.0.0-alpha2"},"engine":{"version":"dev"},"uptime":`) {
		t.Errorf("status: %d %s", st, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	c.CloseIdleConnections()
	settleGoroutines(t, before)

	// Without TOKEN, readiness is DEGRADED and names it.
	s = controlServer(t, up, "", WithLookup(env("ADMIN", "x")))
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	st, body, _ = get(t, c, "http://"+s.Addr("ctl")+"/health/ready")
	if st != 503 || !strings.HasPrefix(body, `{"status":"DEGRADED","adapters":[{"type":"rest","namespace":"api","port":`) ||
		!strings.HasSuffix(body, `],"unbound":["TOKEN"]}`+"\n") {
		t.Errorf("ready without TOKEN: %d %s", st, body)
	}
	c.CloseIdleConnections()
}

// TestInboundAuth checks bearer, apikey and basic inbound authentication
// and the fail-closed rules.
func TestInboundAuth(t *testing.T) {
	up := newUpstream(t)
	lookup := WithLookup(env("ADMIN", "s3cret", "TOKEN", "t"))
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:s3cret"))
	for _, tc := range []struct {
		name, auth, challenge string
		good, bad             []string
		query                 string
	}{
		{"bearer", "authentication: {type: bearer, token: '{{ADMIN}}'}", "Bearer",
			[]string{"Authorization", "bearer s3cret"}, []string{"Authorization", "Bearer s3cre"}, ""},
		{"apikey header", "authentication: {type: apikey, key: X-Api-Key, value: '{{env.ADMIN}}'}", `ApiKey realm="naftiko"`,
			[]string{"x-api-key", "s3cret"}, []string{"X-Api-Key", "S3CRET"}, ""},
		{"apikey query", "authentication: {type: apikey, key: k, value: '{{ADMIN}}', placement: query}", `ApiKey realm="naftiko"`,
			nil, nil, "?k=s3cret"},
		{"basic", "authentication: {type: basic, username: admin, password: '{{ADMIN}}'}", `Basic realm="naftiko"`,
			[]string{"Authorization", basic}, []string{"Authorization", "Basic YWRtaW46"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := controlServer(t, up, tc.auth, lookup)
			if err := s.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			defer s.Shutdown(context.Background())
			c := &http.Client{}
			defer c.CloseIdleConnections()
			base := "http://" + s.Addr("api") + "/orgs/o1"
			st, body, hdr := get(t, c, base, tc.bad...)
			if st != 401 || body != `{"error":{"kind":"unauthorized","message":"Unauthorized"}}`+"\n" || hdr.Get("WWW-Authenticate") != tc.challenge {
				t.Errorf("bad credentials: %d %s %q", st, body, hdr.Get("WWW-Authenticate"))
			}
			if st, _, _ := get(t, c, base+tc.query, tc.good...); st != 200 {
				t.Errorf("good credentials: %d", st)
			}
		})
	}
	for _, tc := range []struct{ auth, want string }{
		{"authentication: {type: bearer, token: '{{ADMIN}}'}", "spec: adapter api: inbound authentication: `token` resolves to an empty value; refusing to accept every request"},
		{"authentication: {type: digest, username: a, password: b}", "spec: adapter api: inbound authentication: type `digest` is not supported for inbound use (use bearer, apikey or basic)"},
	} {
		s := controlServer(t, up, tc.auth, WithLookup(env("ADMIN", "")))
		err := s.Start(context.Background())
		if err == nil || err.Error() != tc.want {
			t.Errorf("Start = %v, want %s", err, tc.want)
		}
		if s.Addr("ctl") != "" {
			t.Errorf("an adapter started although another failed")
		}
	}
}

// TestLoad sends 2,000 REST requests at concurrency 32 and 200 MCP tool
// calls over HTTP to a fake upstream that fails one request in ten: every
// request is answered with the expected status, nothing is lost, and no
// goroutine outlives the server.
func TestLoad(t *testing.T) {
	up := newUpstream(t)
	before := runtime.NumGoroutine()
	s := controlServer(t, up, "", WithLookup(env("TOKEN", "t", "ADMIN", "a")))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var api, mcpAddr string
	for i := 0; i < 200 && (api == "" || mcpAddr == ""); i++ {
		api, mcpAddr = s.Addr("api"), s.Addr("tools")
		time.Sleep(5 * time.Millisecond)
	}
	if api == "" {
		t.Fatal("server did not start")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	const total, workers = 2000, 32
	var ok, failed, wrong atomic.Int64
	var firstWrong atomic.Value
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				res, err := client.Get(fmt.Sprintf("http://%s/flaky?i=%d", api, i))
				if err != nil {
					wrong.Add(1)
					firstWrong.CompareAndSwap(nil, err.Error())
					continue
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				want, wantBody := 200, fmt.Sprintf(`{"i":%d}`+"\n", i)
				if i%10 == 0 {
					want, wantBody = 500, fmt.Sprintf(`{"failed":%d}`, i)
				}
				switch {
				case res.StatusCode != want || string(b) != wantBody:
					wrong.Add(1)
					firstWrong.CompareAndSwap(nil, fmt.Sprintf("request %d: %d %s", i, res.StatusCode, b))
				case want == 200:
					ok.Add(1)
				default:
					failed.Add(1)
				}
			}
		}()
	}
	for i := 1; i <= total; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if wrong.Load() != 0 || ok.Load() != 1800 || failed.Load() != 200 {
		t.Errorf("ok %d, failed %d, wrong %d (first: %v)", ok.Load(), failed.Load(), wrong.Load(), firstWrong.Load())
	}

	// MCP over streamable HTTP, concurrently from 8 sessions.
	var mwg sync.WaitGroup
	var mcpWrong atomic.Int64
	for w := 0; w < 8; w++ {
		mwg.Add(1)
		go func(w int) {
			defer mwg.Done()
			tr := &mcp.StreamableClientTransport{Endpoint: "http://" + mcpAddr + "/mcp", HTTPClient: client}
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "load", Version: "1"}, nil).Connect(context.Background(), tr, nil)
			if err != nil {
				mcpWrong.Add(25)
				return
			}
			defer cs.Close()
			for j := 0; j < 25; j++ {
				i := w*25 + j + 1
				text, _, isErr := callTool(t, cs, "flaky", map[string]any{"i": fmt.Sprint(i)})
				wantErr := i%10 == 0
				if isErr != wantErr || (!wantErr && text != fmt.Sprintf(`{"i":%d}`, i)) {
					mcpWrong.Add(1)
				}
			}
		}(w)
	}
	mwg.Wait()
	if mcpWrong.Load() != 0 {
		t.Errorf("%d MCP calls answered wrongly", mcpWrong.Load())
	}
	if got := up.hits.Load(); got != total+200 {
		t.Errorf("upstream saw %d requests, want %d", got, total+200)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	client.CloseIdleConnections()
	settleGoroutines(t, before)
}

// TestGracefulShutdown lets an in-flight request finish while the server
// stops, and refuses new connections.
func TestGracefulShutdown(t *testing.T) {
	up := newUpstream(t)
	s := controlServer(t, up, "", WithLookup(env("TOKEN", "t")))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var api string
	for i := 0; i < 200 && api == ""; i++ {
		api = s.Addr("api")
		time.Sleep(5 * time.Millisecond)
	}
	c := &http.Client{}
	defer c.CloseIdleConnections()
	got := make(chan int, 1)
	go func() {
		st, _, _ := get(t, c, "http://"+api+"/orgs/slow")
		got <- st
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	if st := <-got; st != 200 {
		t.Errorf("in-flight request: %d", st)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + api + "/orgs/o1"); err == nil {
		t.Errorf("the server still accepts connections")
	}
}

// TestRetriesSampled checks naftiko_http_client_retries_total: one sample
// per retry, by method and server.
func TestRetriesSampled(t *testing.T) {
	var hits atomic.Int64
	up := &upstream{Server: httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"i":1}`)
	}))}
	defer up.Close()
	s := controlServer(t, up, "", WithLookup(env("ADMIN", "x", "TOKEN", "t")), WithRetries(2))
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	c := &http.Client{}
	defer c.CloseIdleConnections()
	if st, body, _ := get(t, c, "http://"+s.Addr("api")+"/flaky?i=1"); st != 200 {
		t.Fatalf("flaky: %d %s", st, body)
	}
	_, body, _ := get(t, c, "http://"+s.Addr("ctl")+"/metrics")
	for _, want := range []string{
		fmt.Sprintf(`naftiko_http_client_retries_total{http_request_method="GET",server_address="%s"} 1`+"\n", up.Listener.Addr()),
		fmt.Sprintf(`naftiko_http_client_total{error_type="",http_request_method="GET",http_response_status_code="503",server_address="%s"} 1`+"\n", up.Listener.Addr()),
		fmt.Sprintf(`naftiko_http_client_total{error_type="",http_request_method="GET",http_response_status_code="200",server_address="%s"} 1`+"\n", up.Listener.Addr()),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}
