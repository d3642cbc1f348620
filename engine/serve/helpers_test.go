package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/spec"
)

// upstream is a fake API. Every request is counted. Paths:
//
//	GET  /organizations/{org}/memberships  → {"org","limit","auth","items":[…]}
//	     org "missing" → 404 {"errors":[{"code":"not_found"}]}
//	     org "big"     → a 300 KiB body
//	     org "slow"    → waits 300ms
//	POST /organizations/{org}/memberships  → 201 echo of the JSON body
//	DELETE /organizations/{org}/memberships/{user} → 204
//	GET  /users → [{"id":"u1","email":"a@x"},{"id":"u2","email":"b@x"}]
//	GET  /flaky?i=N → 500 when N%10 == 0, else 200 {"i":N}
//	*    /echo/…  → {"method","path","query","headers"}
type upstream struct {
	*httptest.Server
	hits atomic.Int64
}

func newUpstream(t testing.TB) *upstream {
	u := &upstream{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /organizations/{org}/memberships", func(w http.ResponseWriter, r *http.Request) {
		org := r.PathValue("org")
		switch org {
		case "missing":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errors":[{"code":"not_found"}]}`)
			return
		case "big":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"data":%q}`, strings.Repeat("x", 300<<10))
			return
		case "slow":
			select {
			case <-time.After(300 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"org": org, "limit": r.URL.Query().Get("limit"), "auth": r.Header.Get("Authorization"),
			"items": []any{map[string]any{"id": "m1", "role": "admin"}, map[string]any{"id": "m2", "role": "member"}},
		})
	})
	mux.HandleFunc("POST /organizations/{org}/memberships", func(w http.ResponseWriter, r *http.Request) {
		var body any
		json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"org": r.PathValue("org"), "created": body})
	})
	mux.HandleFunc("DELETE /organizations/{org}/memberships/{user}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"id":"u1","email":"a@x"},{"id":"u2","email":"b@x"}]`)
	})
	mux.HandleFunc("GET /flaky", func(w http.ResponseWriter, r *http.Request) {
		i := r.URL.Query().Get("i")
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(i, "0") {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"failed":%s}`, i)
			return
		}
		fmt.Fprintf(w, `{"i":%s}`, i)
	})
	mux.HandleFunc("/echo/", func(w http.ResponseWriter, r *http.Request) {
		h := map[string]string{}
		for _, k := range []string{"Authorization", "X-Trusted", "X-Secret", "Content-Type", "X-Api-Key"} {
			if v := r.Header.Get(k); v != "" {
				h[k] = v
			}
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("X-Internal", "hidden")
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "path": r.URL.EscapedPath(), "query": r.URL.RawQuery,
			"headers": h, "body": string(body)})
	})
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(u.Close)
	return u
}

// parse loads a capability from YAML, failing the test on a fatal error.
func parse(t testing.TB, src string) *spec.Capability {
	t.Helper()
	c, err := spec.Parse([]byte(src), "t.yaml")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return c
}

// env returns a lookup function over a fixed map.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

// connect connects an in-memory MCP client to srv.
func connect(t testing.TB, srv *mcp.Server) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		ss.Wait()
	})
	return cs
}

// callTool calls a tool and returns its text, structured content as
// compact JSON, and isError.
func callTool(t testing.TB, cs *mcp.ClientSession, name string, args map[string]any) (string, string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("CallTool %s: %v", name, err)
	}
	text := ""
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			text += tc.Text
		}
	}
	sc := ""
	if res.StructuredContent != nil {
		b, _ := json.Marshal(res.StructuredContent)
		sc = string(b)
	}
	return text, sc, res.IsError
}

// do sends a request to h and returns the status, body and response.
func do(t testing.TB, h http.Handler, method, target, body string, hdr ...string) (int, string, *http.Response) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res
}

// settleGoroutines waits until the goroutine count is back to at most
// want, and fails with a dump otherwise.
func settleGoroutines(t testing.TB, want int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= want {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d after, %d before\n%s", n, want, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mustLoadClerk loads the shipped Clerk capability.
func mustLoadClerk(t testing.TB) *spec.Capability {
	t.Helper()
	c, err := spec.LoadFile(clerkFile)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
