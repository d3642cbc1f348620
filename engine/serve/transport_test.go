package serve

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPOverHTTP serves generated tools with WithMCPHTTP and drives them
// with the SDK's streamable HTTP client.
func TestMCPOverHTTP(t *testing.T) {
	up := newUpstream(t)
	before := runtime.NumGoroutine()
	s := clerkServer(t, up, WithMCPHTTP("127.0.0.1:0"))
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{}
	for _, path := range []string{"/mcp", "/"} {
		tr := &mcp.StreamableClientTransport{Endpoint: "http://" + s.Addr("") + path, HTTPClient: hc}
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "http", Version: "1"}, nil).Connect(context.Background(), tr, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := toolNames(t, cs); !slices.Equal(got, []string{"ListOrganizationMemberships", "InstanceGetOrganizationMemberships"}) {
			t.Errorf("%s: tools = %v", path, got)
		}
		text, _, isErr := callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "o", "limit": 1})
		if want := `{"auth":"Bearer sk_test_123","items":[{"id":"m1","role":"admin"},{"id":"m2","role":"member"}],"limit":"1","org":"o"}`; isErr || text != want {
			t.Errorf("%s: call: %v %s", path, isErr, text)
		}
		cs.Close()
	}
	// The client may hold a connection it dialed but never sent a request
	// on; the server counts such a connection as active for 5 s, so close
	// the client's idle connections before shutting down.
	hc.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	settleGoroutines(t, before)
}

// TestMCPOverStdio runs the stdio loop on pipes: the client's requests in,
// protocol frames only out; closing the input ends Run.
func TestMCPOverStdio(t *testing.T) {
	up := newUpstream(t)
	before := runtime.NumGoroutine()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := clerkServer(t, up, WithMCPStdio(), WithStdio(inR, outW))
	done := make(chan error, 1)
	go func() {
		done <- s.Run(context.Background())
		outW.Close()
	}()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "stdio", Version: "1"}, nil).
		Connect(context.Background(), &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	text, _, isErr := callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "o"})
	if isErr || text != `{"auth":"Bearer sk_test_123","items":[{"id":"m1","role":"admin"},{"id":"m2","role":"member"}],"limit":"","org":"o"}` {
		t.Errorf("call: %v %s", isErr, text)
	}
	cs.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after stdin closed")
	}
	settleGoroutines(t, before)
}

// TestMCPHTTPAuth protects an MCP adapter with bearer authentication.
func TestMCPHTTPAuth(t *testing.T) {
	up := newUpstream(t)
	s := declared(t, up)
	s.units[0].auth = parse(t, "naftiko: 1.0.0-alpha2\ncapability:\n  exposes:\n  - {type: rest, namespace: x, port: 1, authentication: {type: bearer, token: '{{TOKEN}}'}}\n").Exposes[0].Auth
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	if st, _, hdr := get(t, hc, "http://"+s.Addr("orgs-mcp")+"/mcp"); st != 401 || hdr.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("no token: %d", st)
	}
	tr := &mcp.StreamableClientTransport{Endpoint: "http://" + s.Addr("orgs-mcp") + "/mcp",
		HTTPClient: &http.Client{Transport: bearer{"tok-1", http.DefaultTransport}}}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "auth", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if text, _, isErr := callTool(t, cs, "version", nil); isErr || text != `{"version":"1.2","stable":true}` {
		t.Errorf("call: %v %s", isErr, text)
	}
}

type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}
