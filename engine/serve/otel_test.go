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

	"github.com/naftiko/naftiko/spec"
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

// spanRecorder returns an in-memory span recorder and a provider that
// records every span into it.
func spanRecorder() (*tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	rec := tracetest.NewSpanRecorder()
	return rec, sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
}

// traceparents records the Traceparent header of every request up gets.
func traceparents(up *upstream) *[]string {
	seen := new([]string)
	h := up.Config.Handler
	up.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*seen = append(*seen, r.Header.Get("Traceparent"))
		h.ServeHTTP(w, r)
	})
	return seen
}

const remoteParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

func TestRESTSpans(t *testing.T) {
	up := newUpstream(t)
	seen := traceparents(up)
	rec, tp := spanRecorder()
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
	if want := fmt.Sprintf("00-%s-%s-01", client.SpanContext().TraceID(), client.SpanContext().SpanID()); (*seen)[0] != want {
		t.Errorf("upstream traceparent %q, want %q", (*seen)[0], want)
	}
}

func TestMCPSpans(t *testing.T) {
	up := newUpstream(t)
	rec, tp := spanRecorder()
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

// traceparentOf is the W3C traceparent of a recorded span.
func traceparentOf(s sdktrace.ReadOnlySpan) string {
	return fmt.Sprintf("00-%s-%s-01", s.SpanContext().TraceID(), s.SpanContext().SpanID())
}

// spanNamed returns the first ended span called name.
func spanNamed(t *testing.T, spans []sdktrace.ReadOnlySpan, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	for _, s := range spans {
		if s.Name() == name {
			return s
		}
	}
	t.Fatalf("no %s span", name)
	return nil
}

// noSecretAttrs fails when an attribute of any span holds one of secrets.
func noSecretAttrs(t *testing.T, spans []sdktrace.ReadOnlySpan, secrets ...string) {
	t.Helper()
	for _, s := range spans {
		for _, a := range s.Attributes() {
			for _, sec := range secrets {
				if strings.Contains(a.Value.Emit(), sec) {
					t.Errorf("span %s attribute %s holds a secret: %s", s.Name(), a.Key, a.Value.Emit())
				}
			}
		}
		if strings.Contains(s.Status().Description, "tok-1") {
			t.Errorf("span %s status holds a secret", s.Name())
		}
	}
}

// A forwarded REST request: rest.request > rest.forward > the engine's
// client span, whose context reaches the upstream.
func TestForwardSpans(t *testing.T) {
	up := newUpstream(t)
	seen := traceparents(up)
	rec, tp := spanRecorder()
	_, h := restServer(t, up, WithTracerProvider(tp))
	if status, body, _ := do(t, h, "PATCH", "/proxy/echo/x?q=1", "payload", "Traceparent", remoteParent, "Authorization", "Bearer caller"); status != 200 {
		t.Fatalf("forward: %d %s", status, body)
	}
	spans := rec.Ended()
	want := `rest.request server http.request.method=PATCH http.response.status_code=200 naftiko.adapter.type=rest naftiko.capability=REST naftiko.operation.id=/proxy/{{path}} PATCH
  rest.forward internal naftiko.namespace=orgs
    http.client.PATCH client http.request.method=PATCH http.response.status_code=200 naftiko.namespace=orgs naftiko.operation=orgs.(forward)
`
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("spans:\n%s\nwant:\n%s", got, want)
	}
	server := spanNamed(t, spans, "rest.request")
	if server.Parent().SpanID().String() != "b7ad6b7169203331" || !server.Parent().IsRemote() {
		t.Errorf("server span parent %v", server.Parent())
	}
	if want := traceparentOf(spanNamed(t, spans, "http.client.PATCH")); len(*seen) != 1 || (*seen)[0] != want {
		t.Errorf("upstream traceparent %q, want %q", *seen, want)
	}
	noSecretAttrs(t, spans, "tok-1", "caller")
}

// A tool whose call names an aggregate function: mcp.tool > function.call
// > the function's client span.
func TestFunctionSpans(t *testing.T) {
	up := newUpstream(t)
	rec, tp := spanRecorder()
	doc := strings.Replace(strings.ReplaceAll(declaredDoc, "UPSTREAM", up.URL), "    - name: via-ref\n",
		"    - name: via-call\n      description: Calls a function.\n      inputParameters:\n      - {name: org, type: string, description: Organization}\n      call: lib.members\n    - name: via-ref\n", 1)
	s, err := New(parse(t, doc), WithLookup(env("TOKEN", "tok-1")), WithRetries(0), WithTracerProvider(tp))
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s.MCPServer("orgs-mcp"))
	rec.Reset()
	if text, _, isErr := callTool(t, cs, "via-call", map[string]any{"org": "o1"}); isErr || text != "o1" {
		t.Fatalf("via-call: %v %s", isErr, text)
	}
	want := `mcp.request server naftiko.adapter.type=mcp naftiko.capability=Declared naftiko.operation.id=tools/call
  mcp.tool internal naftiko.operation.id=via-call
    function.call internal naftiko.function=lib.members
      http.client.GET client http.request.method=GET http.response.status_code=200 naftiko.namespace=orgs naftiko.operation=orgs.memberships.list
`
	spans := rec.Ended()
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("spans:\n%s\nwant:\n%s", got, want)
	}
	noSecretAttrs(t, spans, "tok-1")
}

// Skill requests get a skill.request server span named by the route.
func TestSkillSpans(t *testing.T) {
	c, err := spec.Parse([]byte(`ikanos: "1.0.0-beta5"
info: {label: Skills}
capability:
  exposes:
  - type: skill
    port: 0
    namespace: sk
    skills:
      guide:
        description: A guide
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rec, tp := spanRecorder()
	s, err := New(c, WithTracerProvider(tp))
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler("sk")
	if st, body, _ := do(t, h, "GET", "/skills/guide", "", "Traceparent", remoteParent); st != 200 {
		t.Fatalf("GET /skills/guide: %d %s", st, body)
	}
	if st, _, _ := do(t, h, "GET", "/skills/nope/contents", ""); st != 404 {
		t.Fatalf("GET /skills/nope/contents: %d", st)
	}
	spans := rec.Ended()
	want := `skill.request server http.request.method=GET http.response.status_code=200 naftiko.adapter.type=skill naftiko.capability=Skills naftiko.operation.id=GET /skills/{name}
skill.request server http.request.method=GET http.response.status_code=404 naftiko.adapter.type=skill naftiko.capability=Skills naftiko.operation.id=GET /skills/{name}/contents
`
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("spans:\n%s\nwant:\n%s", got, want)
	}
	if p := spans[0].Parent(); p.SpanID().String() != "b7ad6b7169203331" || !p.IsRemote() {
		t.Errorf("skill span parent %v", p)
	}
}

// traceparentHeader sets the Traceparent header on every request.
type traceparentHeader struct{ base http.RoundTripper }

func (h traceparentHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Traceparent", remoteParent)
	return h.base.RoundTrip(r)
}

// Over MCP streamable HTTP the traceparent header is the parent of the
// tool call's spans; a request inbound authentication refuses gets a
// span too, without its credential.
func TestMCPHTTPSpans(t *testing.T) {
	up := newUpstream(t)
	rec, tp := spanRecorder()
	s := declared(t, up, WithTracerProvider(tp))
	s.units[0].auth = parse(t, "naftiko: 1.0.0-alpha2\ncapability:\n  exposes:\n  - {type: rest, namespace: x, port: 1, authentication: {type: bearer, token: '{{TOKEN}}'}}\n").Exposes[0].Auth
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	hc := &http.Client{}
	defer hc.CloseIdleConnections()
	endpoint := "http://" + s.Addr("orgs-mcp") + "/mcp"

	if st, _, _ := get(t, hc, endpoint, "Authorization", "Bearer wrong-secret", "Traceparent", remoteParent); st != 401 {
		t.Fatalf("wrong token: %d", st)
	}
	spans := rec.Ended()
	want := "mcp.request server http.request.method=GET http.response.status_code=401 naftiko.adapter.type=mcp naftiko.auth.refused=true naftiko.capability=Declared\n"
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("refused spans:\n%s\nwant:\n%s", got, want)
	}
	if p := spans[0].Parent(); p.SpanID().String() != "b7ad6b7169203331" || !p.IsRemote() {
		t.Errorf("refused span parent %v", p)
	}
	noSecretAttrs(t, spans, "wrong-secret", "tok-1")

	rec.Reset()
	tr := &mcp.StreamableClientTransport{Endpoint: endpoint,
		HTTPClient: &http.Client{Transport: traceparentHeader{bearer{"tok-1", http.DefaultTransport}}}}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "otel", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	rec.Reset()
	if text, _, isErr := callTool(t, cs, "lookup-user", map[string]any{"email": "b@x"}); isErr {
		t.Fatalf("lookup-user: %s", text)
	}
	spans = rec.Ended()
	want = `mcp.request server http.request.method=POST naftiko.adapter.type=mcp naftiko.capability=Declared naftiko.operation.id=tools/call
  mcp.tool internal naftiko.operation.id=lookup-user
    step.call internal naftiko.namespace=orgs naftiko.step.call=orgs.users naftiko.step.index=0
      http.client.GET client http.request.method=GET http.response.status_code=200 naftiko.namespace=orgs naftiko.operation=orgs.users.users
    step.lookup internal naftiko.step.index=1
`
	if got := spanTree(spans, noisy); got != want {
		t.Errorf("spans:\n%s\nwant:\n%s", got, want)
	}
	call := spanNamed(t, spans, "mcp.request")
	if p := call.Parent(); p.SpanID().String() != "b7ad6b7169203331" || p.TraceID().String() != "0af7651916cd43dd8448eb211c80319c" || !p.IsRemote() {
		t.Errorf("tools/call parent %v", p)
	}
	noSecretAttrs(t, spans, "tok-1")
}

// TestNoServerTracingWithoutProvider: without WithTracerProvider nothing is
// wrapped (REST, skill, refused requests) and no span
// context reaches an upstream, forwards included.
func TestNoServerTracingWithoutProvider(t *testing.T) {
	up := newUpstream(t)
	seen := traceparents(up)
	s, h := restServer(t, up)
	if s.tracer != nil || s.refusedSpan("rest") != nil {
		t.Error("tracing set up without a provider")
	}
	if _, ok := s.newSkill(&spec.Expose{}).(*http.ServeMux); !ok {
		t.Error("skill handler wrapped without tracing")
	}
	do(t, h, "GET", "/orgs/o1/members", "")
	do(t, h, "PATCH", "/proxy/echo/x", "payload")
	if len(*seen) != 2 || (*seen)[0] != "" || (*seen)[1] != "" {
		t.Errorf("upstream traceparents without tracing: %q", *seen)
	}
}
