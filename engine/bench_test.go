package engine

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const benchBody = `{"data":[{"id":"orgmem_1","object":"organization_membership","role":"org:admin","created_at":1700000000000,"public_metadata":{},"organization":{"id":"org_2RwC6","name":"Acme","slug":"acme","members_count":3}},{"id":"orgmem_2","object":"organization_membership","role":"org:member","created_at":1700000000001,"public_metadata":{"team":"blue"},"organization":{"id":"org_2RwC6","name":"Acme","slug":"acme","members_count":3}}],"total_count":2}`

func benchServer(b *testing.B) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchBody)
	}))
	b.Cleanup(s.Close)
	return s
}

// BenchmarkCall measures Engine.Call of the Clerk list operation against a
// loopback server; compare with BenchmarkRawGet.
func BenchmarkCall(b *testing.B) {
	s := benchServer(b)
	c := loadFile(b, clerkFile)
	e, err := New(c, WithHTTPClient(s.Client()), WithBaseURI("", s.URL), WithLookup(env(clerkEnv)))
	if err != nil {
		b.Fatal(err)
	}
	params := map[string]any{"organization_id": "org_2RwC6", "order_by": "+created_at", "limit": "10"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Call(ctx, "ListOrganizationMemberships", params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawGet is the baseline: a plain net/http GET of the same URL
// and json.Unmarshal of the answer.
func BenchmarkRawGet(b *testing.B) {
	s := benchServer(b)
	client := s.Client()
	url := s.URL + "/organizations/org_2RwC6/memberships?order_by=%2Bcreated_at&limit=10"
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer sk_test")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "naftiko/dev")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare measures building a request without sending it.
func BenchmarkPrepare(b *testing.B) {
	c := loadFile(b, clerkFile)
	e, err := New(c, WithLookup(env(clerkEnv)))
	if err != nil {
		b.Fatal(err)
	}
	params := map[string]any{"organization_id": "org_2RwC6", "user_id": []string{"a", "b"}, "order_by": "+created_at"}
	ctx := context.Background()
	op, err := e.Resolve("ListOrganizationMemberships")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Prepare(ctx, op, params); err != nil {
			b.Fatal(err)
		}
	}
}

// stubTransport answers every request with benchBody without a network, so
// that BenchmarkCallNoNetwork and BenchmarkRawNoNetwork measure CPU only.
type stubTransport struct{}

func (stubTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(benchBody)), ContentLength: int64(len(benchBody)), Request: r}, nil
}

// BenchmarkCallNoNetwork is BenchmarkCall over a stub transport: naftiko's
// own CPU per call.
func BenchmarkCallNoNetwork(b *testing.B) {
	c := loadFile(b, clerkFile)
	e, err := New(c, WithHTTPClient(&http.Client{Transport: stubTransport{}}), WithLookup(env(clerkEnv)))
	if err != nil {
		b.Fatal(err)
	}
	params := map[string]any{"organization_id": "org_2RwC6", "order_by": "+created_at", "limit": "10"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Call(ctx, "ListOrganizationMemberships", params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawNoNetwork is BenchmarkRawGet over the stub transport.
func BenchmarkRawNoNetwork(b *testing.B) {
	client := &http.Client{Transport: stubTransport{}}
	url := "http://api.test/organizations/org_2RwC6/memberships?order_by=%2Bcreated_at&limit=10"
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer sk_test")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "naftiko/dev")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
}
