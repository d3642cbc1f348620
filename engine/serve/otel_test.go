package serve

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// spanTree prints ended spans as "name kind attrs" lines indented under
// their parents (roots first, in end order).
func spanTree(spans []sdktrace.ReadOnlySpan, skip func(k string) bool) string {
	children := map[string][]sdktrace.ReadOnlySpan{}
	ids := map[string]bool{}
	for _, s := range spans {
		ids[s.SpanContext().SpanID().String()] = true
	}
	var roots []sdktrace.ReadOnlySpan
	for _, s := range spans {
		p := s.Parent().SpanID().String()
		if s.Parent().IsValid() && ids[p] {
			children[p] = append(children[p], s)
		} else {
			roots = append(roots, s)
		}
	}
	var b strings.Builder
	var walk func(s sdktrace.ReadOnlySpan, depth int)
	walk = func(s sdktrace.ReadOnlySpan, depth int) {
		var attrs []string
		for _, a := range s.Attributes() {
			if !skip(string(a.Key)) {
				attrs = append(attrs, string(a.Key)+"="+a.Value.Emit())
			}
		}
		sort.Strings(attrs)
		st := ""
		if s.Status().Code == codes.Error {
			st = " ERROR"
		}
		fmt.Fprintf(&b, "%s%s %s%s %s\n", strings.Repeat("  ", depth), s.Name(), s.SpanKind(), st, strings.Join(attrs, " "))
		kids := children[s.SpanContext().SpanID().String()]
		sort.SliceStable(kids, func(i, j int) bool { return kids[i].StartTime().Before(kids[j].StartTime()) })
		for _, c := range kids {
			walk(c, depth+1)
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	return b.String()
}

// noisy leaves out the attributes that change from run to run.
func noisy(k string) bool { return k == "server.port" || k == "url.full" || k == "server.address" }

const remoteParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

func TestRESTSpans(t *testing.T) {
	up := newUpstream(t)
	var seen []string
	up.Config.Handler = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.Header.Get("Traceparent"))
			h.ServeHTTP(w, r)
		})
	}(up.Config.Handler)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	_, h := restServer(t, up, WithTracerProvider(tp))
	status, _, _ := do(t, h, "GET", "/orgs/o1/members", "", "Traceparent", remoteParent)
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	do(t, h, "GET", "/orgs/missing/members", "")
	spans := rec.Ended()
	want := `rest.request server http.request.method=GET http.response.status_code=200 naftiko.adapter.type=rest naftiko.capability=REST naftiko.operation.id=/orgs/{org}/members GET
  http.client.GET client http.request.method=GET http.response.status_code=200 naftiko.namespace=orgs naftiko.operation=orgs.memberships.list
rest.request server http.request.method=GET http.response.status_code=404 naftiko.adapter.type=rest naftiko.capability=REST naftiko.operation.id=/orgs/{org}/members GET
  http.client.GET client ERROR error.type=404 http.request.method=GET http.response.status_code=404 naftiko.namespace=orgs naftiko.operation=orgs.memberships.list
`
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("spans:\n%s\nwant:\n%s", got, want)
	}
	// The first server span continues the caller's trace; the upstream
	// gets the client span's context.
	var server, client sdktrace.ReadOnlySpan
	for _, s := range spans {
		switch {
		case s.Name() == "rest.request" && server == nil:
			server = s
		case s.Name() == "http.client.GET" && client == nil:
			client = s
		}
	}
	if server.Parent().SpanID().String() != "b7ad6b7169203331" || server.SpanContext().TraceID().String() != "0af7651916cd43dd8448eb211c80319c" || !server.Parent().IsRemote() {
		t.Errorf("server span parent %v", server.Parent())
	}
	if want := fmt.Sprintf("00-%s-%s-01", client.SpanContext().TraceID(), client.SpanContext().SpanID()); seen[0] != want {
		t.Errorf("upstream traceparent %q, want %q", seen[0], want)
	}
}

func TestMCPSpans(t *testing.T) {
	up := newUpstream(t)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	s := declared(t, up, WithTracerProvider(tp))
	cs := connect(t, s.MCPServer("orgs-mcp"))
	rec.Reset()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "lookup-user", Arguments: map[string]any{"email": "b@x"},
		Meta: mcp.Meta{"traceparent": remoteParent}})
	if err != nil || res.IsError {
		t.Fatalf("CallTool: %v %+v", err, res)
	}
	want := `mcp.request server naftiko.adapter.type=mcp naftiko.capability=Declared naftiko.operation.id=tools/call
  mcp.tool internal naftiko.operation.id=lookup-user
    step.call internal naftiko.namespace=orgs naftiko.step.call=orgs.users naftiko.step.index=0
      http.client.GET client http.request.method=GET http.response.status_code=200 naftiko.namespace=orgs naftiko.operation=orgs.users.users
    step.lookup internal naftiko.step.index=1
`
	spans := rec.Ended()
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("spans:\n%s\nwant:\n%s", got, want)
	}
	for _, sp := range spans {
		if sp.Name() == "mcp.request" && (sp.Parent().SpanID().String() != "b7ad6b7169203331" || !sp.Parent().IsRemote()) {
			t.Errorf("mcp.request parent %v", sp.Parent())
		}
	}
}
