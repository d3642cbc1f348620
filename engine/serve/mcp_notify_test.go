package serve

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const notifyDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {KEY: KEY}
capability:
  consumes:
  - type: http
    namespace: up
    baseUri: UPSTREAM
    resources:
    - name: things
      path: /things
      operations:
      - name: get
        method: GET
        inputParameters:
        - {name: key, in: query, type: string, description: API key}
  exposes:
  - type: mcp
    namespace: notify
    port: 0
    tools:
    - name: fetch
      description: Fetches things.
      call: up.get
      with: {key: '{{KEY}}'}
`

// TestNotifications follows a tool call that is retried once: log
// messages for every attempt, the retry and the end (secrets masked), and
// progress notifications when the request carries a token; over the
// 2025-11-25 revision (info level until the client sets one) and the
// 2026-07-28 one.
func TestNotifications(t *testing.T) {
	var hits atomic.Int64
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1)%2 == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(up.Close)
	c := parse(t, strings.ReplaceAll(notifyDoc, "UPSTREAM", up.URL))
	s, err := New(c, WithLookup(env("KEY", "sekret-key-123")), WithRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range []string{"2025-11-25", "2026-07-28"} {
		t.Run(version, func(t *testing.T) {
			var mu sync.Mutex
			var logs, progress []string
			client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, &mcp.ClientOptions{
				LoggingMessageHandler: func(_ context.Context, r *mcp.LoggingMessageRequest) {
					mu.Lock()
					defer mu.Unlock()
					data := r.Params.Data.(map[string]any)
					logs = append(logs, fmt.Sprintf("%s %s", r.Params.Level, data["message"]))
				},
				ProgressNotificationHandler: func(_ context.Context, r *mcp.ProgressNotificationClientRequest) {
					mu.Lock()
					defer mu.Unlock()
					progress = append(progress, fmt.Sprintf("%v %g/%g %s", r.Params.ProgressToken, r.Params.Progress, r.Params.Total, r.Params.Message))
				},
			})
			st, ct := mcp.NewInMemoryTransports()
			ss, err := s.MCPServer("notify").Connect(context.Background(), st, nil)
			if err != nil {
				t.Fatal(err)
			}
			cs, err := client.Connect(context.Background(), ct, &mcp.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				t.Fatal(err)
			}
			defer func() { cs.Close(); ss.Wait() }()
			params := &mcp.CallToolParams{Name: "fetch"}
			if version >= "2026-07-28" {
				// The sessionless revision sends the level with each request.
				params.Meta = mcp.Meta{mcp.MetaKeyLogLevel: "info"}
			}
			params.SetProgressToken("tok-1")
			res, err := cs.CallTool(context.Background(), params)
			if err != nil || res.IsError {
				t.Fatalf("call: %v %v", res, err)
			}
			// Notifications are handled apart from the result: wait for the
			// last of each.
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				mu.Lock()
				n, p := len(logs), len(progress)
				mu.Unlock()
				if n >= 7 && p >= 4 {
					break
				}
			}
			mu.Lock()
			defer mu.Unlock()
			got := strings.Join(logs, "\n")
			for _, want := range []string{
				"info tool fetch started",
				"info GET " + up.URL + "/things?key=**** (attempt 1 of 2)",
				"warning GET " + up.URL + "/things?key=**** failed in ",
				"warning retrying get in ",
				"info GET " + up.URL + "/things?key=**** (attempt 2 of 2)",
				"info GET " + up.URL + "/things?key=****: 200 OK in ",
				"info tool fetch finished in ",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("no log %q in\n%s", want, got)
				}
			}
			if strings.Contains(got, "sekret") {
				t.Errorf("secret in logs:\n%s", got)
			}
			if len(progress) != 4 || !strings.HasPrefix(progress[0], "tok-1 0/0 tool fetch started") ||
				!strings.HasPrefix(progress[1], "tok-1 1/0 GET ") || !strings.HasPrefix(progress[2], "tok-1 2/0 GET ") ||
				!strings.HasPrefix(progress[3], "tok-1 3/3 tool fetch finished") {
				t.Errorf("progress:\n%s", strings.Join(progress, "\n"))
			}
		})
	}
}
