package serve

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/naftiko/naftiko/engine"
)

const serveSecretsDoc = `naftiko: 1.0.0-alpha2
info: {label: Secrets}
binds:
- namespace: env
  keys: {S1: S1, S2: S2}
capability:
  consumes:
  - type: http
    namespace: bearer
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{S1}}'}
    resources:
    - name: echo
      path: /echo/{{code}}/{{fmt}}
      operations:
      - {name: bearerEcho, method: GET}
  - type: http
    namespace: basic
    baseUri: UPSTREAM
    authentication: {type: basic, username: '{{S1}}', password: '{{S2}}'}
    resources:
    - name: echo
      path: /echo/{{code}}/{{fmt}}
      operations:
      - {name: basicEcho, method: GET}
  - type: http
    namespace: query
    baseUri: UPSTREAM
    authentication: {type: apikey, key: api_key, value: '{{S2}}', placement: query}
    resources:
    - name: echo
      path: /echo/{{code}}/{{fmt}}
      operations:
      - {name: queryEcho, method: GET}
  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
    - path: /b/{code}/{fmt}
      name: b
      operations:
      - {method: GET, name: b, call: bearer.bearerEcho, with: {code: rest.code, fmt: rest.fmt}}
    - path: /a/{code}/{fmt}
      name: a
      operations:
      - {method: GET, name: a, call: basic.basicEcho, with: {code: rest.code, fmt: rest.fmt}}
    - path: /q/{code}/{fmt}
      name: q
      operations:
      - {method: GET, name: q, call: query.queryEcho, with: {code: rest.code, fmt: rest.fmt}}
  - type: mcp
    namespace: tools
    port: 0
    tools:
    - {name: b, description: B, call: bearer.bearerEcho}
    - {name: a, description: A, call: basic.basicEcho}
    - {name: q, description: Q, call: query.queryEcho}
  - type: control
    namespace: ctl
    port: 0
    management: {info: true}
`

// TestServeSecretsNeverPrinted is the serve half of the promise (see
// cmd/naftiko TestSecretsNeverPrinted): REST error answers, MCP tool error
// results (and argument errors quoting a secret), the debug log and the
// engine trace, /metrics and /status never show a bound value, in any
// form, whatever the upstream echoes into its error bodies.
func TestServeSecretsNeverPrinted(t *testing.T) {
	s1, s2 := "Sntl1+a/b=c&d~e", "Sntl2 p@ss\"w'rd"
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var code int
		var format string
		fmt.Sscanf(strings.ReplaceAll(strings.TrimPrefix(r.URL.Path, "/echo/"), "/", " "), "%d %s", &code, &format)
		if code < 200 || code > 599 {
			code = http.StatusBadRequest
		}
		echo := map[string]string{"auth": r.Header.Get("Authorization"), "query": r.URL.RawQuery}
		var body string
		switch format {
		case "json":
			b, _ := json.Marshal(echo)
			body = string(b)
		case "xml":
			body = "<e><auth>" + echo["auth"] + "</auth><q>" + echo["query"] + "</q></e>"
		case "yaml":
			body = "auth: '" + echo["auth"] + "'\nquery: '" + echo["query"] + "'\n"
		default:
			body = "<p>auth: " + echo["auth"] + " query: " + echo["query"] + "</p>"
		}
		types := map[string]string{"json": "application/json", "xml": "application/xml", "yaml": "application/yaml", "text": "text/plain", "html": "text/html"}
		w.Header().Set("Content-Type", types[format])
		w.WriteHeader(code)
		io.WriteString(w, body)
	}))
	defer up.Close()
	var logs, trace bytes.Buffer
	var mu syncBuf
	mu.w = &logs
	s, err := New(parse(t, strings.ReplaceAll(serveSecretsDoc, "UPSTREAM", up.URL)),
		WithLookup(env("S1", s1, "S2", s2)), WithRetries(0),
		WithLogger(slog.New(slog.NewTextHandler(&mu, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithEngineOptions(engine.WithTrace(&syncBuf{w: &trace})))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	}()
	checks := 0
	check := func(where, text string) {
		t.Helper()
		checks++
		for _, sec := range []string{s1, s2, s1 + ":" + s2} {
			j, _ := json.Marshal(sec)
			for _, f := range []string{sec, base64.StdEncoding.EncodeToString([]byte(sec)), url.QueryEscape(sec), url.PathEscape(sec), string(j[1 : len(j)-1])} {
				if strings.Contains(text, f) {
					t.Errorf("%s shows %q:\n%s", where, f, text)
				}
			}
		}
	}
	api := s.Handler("api")
	cs := connect(t, s.MCPServer("tools"))
	for _, route := range []string{"b", "a", "q"} {
		for _, code := range []string{"401", "500"} {
			for _, f := range []string{"json", "yaml", "xml", "text", "html"} {
				rec := httptest.NewRecorder()
				api.ServeHTTP(rec, httptest.NewRequest("GET", "/"+route+"/"+code+"/"+f, nil))
				check("REST "+route+" "+code+" "+f, rec.Body.String()+fmt.Sprint(rec.Header()))
				text, sc, isErr := callTool(t, cs, route, map[string]any{"code": code, "fmt": f})
				if !isErr {
					t.Errorf("MCP %s %s %s: not an error: %s", route, code, f, text)
				}
				check("MCP "+route+" "+code+" "+f, text+sc)
			}
		}
		text, sc, _ := callTool(t, cs, route, map[string]any{"code": s1, "fmt": 5})
		check("MCP arguments "+route, text+sc)
	}
	ctl := s.Handler("ctl")
	for _, p := range []string{"/metrics", "/status", "/health/ready"} {
		rec := httptest.NewRecorder()
		ctl.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		check(p, rec.Body.String())
	}
	check("debug log", mu.String())
	check("trace", trace.String())
	if logs.Len() == 0 || trace.Len() == 0 {
		t.Errorf("nothing logged (%d bytes) or traced (%d bytes)", logs.Len(), trace.Len())
	}
	t.Logf("%d outputs checked", checks)
}

// syncBuf serialises writes to a buffer for concurrent loggers.
type syncBuf struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *syncBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *syncBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}
