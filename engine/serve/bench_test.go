package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// benchUpstream answers every request with a small JSON body, like a fast
// API on loopback.
func benchUpstream(b *testing.B) *httptest.Server {
	body := []byte(`{"data":[{"id":"orgmem_1","role":"org:admin"},{"id":"orgmem_2","role":"org:member"}],"total_count":2}`)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	b.Cleanup(up.Close)
	return up
}

// measure runs op b.N times and reports the median latency (p50-µs) next
// to the mean.
func measure(b *testing.B, op func() error) {
	b.Helper()
	for i := 0; i < 50; i++ { // warm up connections
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*9/10].Nanoseconds())/1e3, "p90-µs")
}

func getBody(c *http.Client, url string) error {
	res, err := c.Get(url)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		return &httpStatusError{res.StatusCode}
	}
	return err
}

type httpStatusError struct{ status int }

func (e *httpStatusError) Error() string { return http.StatusText(e.status) }

// BenchmarkDirect calls the upstream directly: the baseline.
func BenchmarkDirect(b *testing.B) {
	up := benchUpstream(b)
	c := &http.Client{}
	defer c.CloseIdleConnections()
	measure(b, func() error { return getBody(c, up.URL+"/organizations/org_1/memberships?limit=2") })
}

// BenchmarkREST calls the same operation through a served REST route.
func BenchmarkREST(b *testing.B) {
	up := benchUpstream(b)
	s := restBenchServer(b, up.URL)
	c := &http.Client{}
	defer c.CloseIdleConnections()
	url := "http://" + s.Addr("orgs-rest") + "/orgs/org_1/members?limit=2"
	measure(b, func() error { return getBody(c, url) })
}

func restBenchServer(b *testing.B, upURL string) *Server {
	src := `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: ` + upURL + `
    resources:
    - name: m
      path: /organizations/{organization_id}/memberships
      operations:
      - {name: list, method: GET, inputParameters: [{name: limit, in: query, type: integer}]}
  exposes:
  - type: rest
    namespace: orgs-rest
    port: 0
    resources:
    - path: /orgs/{org}/members
      operations:
      - {method: GET, call: orgs.list, with: {organization_id: rest.org}}
`
	s, err := New(parse(b, src))
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Shutdown(context.Background()) })
	return s
}

// BenchmarkMCPInMemory calls a generated tool of the Clerk capability
// through an in-memory MCP session: the cost of serve itself.
func BenchmarkMCPInMemory(b *testing.B) {
	up := benchUpstream(b)
	s := clerkBenchServer(b, up.URL, WithMCPStdio())
	cs := connect(b, s.MCPServer(""))
	measure(b, func() error { return callBench(cs) })
}

// BenchmarkMCPHTTP calls the same tool over streamable HTTP on loopback,
// with the sessionless 2026-07-28 revision (the go-sdk client's default)
// and with a 2025-11-25 session.
func BenchmarkMCPHTTP(b *testing.B) {
	for _, v := range []string{"2026-07-28", "2025-11-25"} {
		b.Run(v, func(b *testing.B) { benchMCPHTTP(b, v) })
	}
}

func benchMCPHTTP(b *testing.B, version string) {
	up := benchUpstream(b)
	s := clerkBenchServer(b, up.URL, WithMCPHTTP("127.0.0.1:0"))
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Shutdown(context.Background()) })
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	tr := &mcp.StreamableClientTransport{Endpoint: "http://" + s.Addr("") + "/mcp", HTTPClient: hc}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil).Connect(context.Background(), tr, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		b.Fatal(err)
	}
	defer cs.Close()
	if version < "2026-07-28" {
		// Sessions get info-level log notifications by default: three
		// more SSE events per call. A client that wants speed asks for
		// warnings only.
		if err := cs.SetLoggingLevel(context.Background(), &mcp.SetLoggingLevelParams{Level: "warning"}); err != nil {
			b.Fatal(err)
		}
	}
	measure(b, func() error { return callBench(cs) })
}

func clerkBenchServer(b *testing.B, upURL string, opts ...Option) *Server {
	s, err := New(mustLoadClerk(b), append([]Option{WithBaseURI("", upURL), WithLookup(env("CLERK_SECRET_KEY", "sk_test_bench"))}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

func callBench(cs *mcp.ClientSession) error {
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "ListOrganizationMemberships",
		Arguments: map[string]any{"organization_id": "org_1", "limit": 2}})
	if err != nil {
		return err
	}
	if res.IsError {
		return &httpStatusError{500}
	}
	return nil
}

// BenchmarkMCPSDKBaseline is a go-sdk server whose tool answers the same
// result at once, over the same in-memory transport: the cost of the SDK
// and of the transport alone, which serve cannot remove.
func BenchmarkMCPSDKBaseline(b *testing.B) {
	srv := mcp.NewServer(&mcp.Implementation{Name: "baseline", Version: "1"}, nil)
	text := `{"data":[{"id":"orgmem_1","role":"org:admin"},{"id":"orgmem_2","role":"org:member"}],"total_count":2}`
	var structured any
	if err := json.Unmarshal([]byte(text), &structured); err != nil {
		b.Fatal(err)
	}
	srv.AddTool(&mcp.Tool{Name: "ListOrganizationMemberships", InputSchema: map[string]any{"type": "object"}},
		func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}, StructuredContent: structured}, nil
		})
	cs := connect(b, srv)
	measure(b, func() error { return callBench(cs) })
}

// BenchmarkMCPHTTPRaw posts the 2026-07-28 tools/call of
// BenchmarkMCPHTTP as prepared bytes and reads the answer: what serve
// adds, without the cost of an MCP client library.
func BenchmarkMCPHTTPRaw(b *testing.B) {
	up := benchUpstream(b)
	s := clerkBenchServer(b, up.URL, WithMCPHTTP("127.0.0.1:0"))
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Shutdown(context.Background()) })
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	url := "http://" + s.Addr("") + "/mcp"
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ListOrganizationMemberships",` +
		`"arguments":{"organization_id":"org_1","limit":2},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",` +
		`"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}`)
	measure(b, func() error {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("MCP-Protocol-Version", "2026-07-28")
		req.Header.Set("Mcp-Method", "tools/call")
		req.Header.Set("Mcp-Name", "ListOrganizationMemberships")
		res, err := hc.Do(req)
		if err != nil {
			return err
		}
		data, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode != 200 || !bytes.Contains(data, []byte(`"total_count`)) || bytes.Contains(data, []byte(`"isError":true`)) {
			return &httpStatusError{res.StatusCode}
		}
		return nil
	})
}
