package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/engine/enginetest"
	"github.com/naftiko/naftiko/spec"
)

// TestTutorialThroughServe runs the last step of the specification's
// tutorial (step 11, every adapter: MCP with inbound bearer
// authentication, REST, skills) through the naftiko serve command as a
// user starts it — the file as written, --port NS=0 for each adapter
// (addresses read from the "serving" log lines), --address 127.0.0.1 and
// --base-uri to a Microcks-like fake of the backends — and checks what
// clients get back and what reaches the backends.
func TestTutorialThroughServe(t *testing.T) {
	m, backendURL := newMicrocks(t)
	file := filepath.Join(enginetest.ReferenceDir(t), "tutorial", "step-11-shipyard-fleet-manifest.yml")
	c, err := spec.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	args := append(tutorialArgs(t, c, file, backendURL), "-v")
	stderr := startServe(t, nil, nil, nil, args, func(addr func(string) string) {
		mcpURL := "http://" + addr("shipyard-tools") + "/mcp"
		restURL := "http://" + addr("shipyard-api")
		skillURL := "http://" + addr("shipyard-skills")

		// The MCP adapter wants the bearer token of shared/secrets.yaml.
		res, err := http.Post(mcpURL, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("MCP without a token: %d, want 401", res.StatusCode)
		}
		hc := mcpClient(mcpToken)
		defer hc.CloseIdleConnections()
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(context.Background(),
			&mcp.StreamableClientTransport{Endpoint: mcpURL, HTTPClient: hc}, nil)
		if err != nil {
			t.Fatalf("MCP with the token: %v", err)
		}
		defer cs.Close()
		tools, err := cs.ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tool := range tools.Tools {
			names = append(names, tool.Name)
		}
		if got := strings.Join(names, " "); got != "list-ships get-ship list-legacy-vessels create-voyage get-ship-with-crew get-voyage-manifest" {
			t.Errorf("tools in declaration order: %s", got)
		}
		r, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get-voyage-manifest", Arguments: map[string]any{"voyageId": "VOY-2026-042"}})
		if err != nil {
			t.Fatal(err)
		}
		// The text keeps the order the mappings and outputs declare,
		// nested objects and list items included (route.from before
		// route.to, ship.name before ship.flag, crew fullName before
		// role), not the sorted order of a Go map. The file's ship lookup
		// matches `imo-number`, a field the registry's ships do not have
		// (they have imo_number): the ship's fields are null, in the
		// reference engine too (README, "From the tutorial").
		manifest := `{"voyageId":"VOY-2026-042","status":"planned",` +
			`"route":{"from":"Oslo","to":"Singapore"},` +
			`"ship":{"name":null,"type":null,"flag":null},` +
			`"crew":[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}],` +
			`"cargo":[{"type":"container","description":"Electronics components","weight":12.5,"hazardous":false}]}`
		var content string
		if len(r.Content) == 1 {
			if tc, ok := r.Content[0].(*mcp.TextContent); ok {
				content = tc.Text
			}
		}
		if r.IsError || content != manifest {
			t.Errorf("get-voyage-manifest: isError=%v\n got %s\nwant %s", r.IsError, content, manifest)
		}

		// The same manifest over the REST adapter; the ship with its crew.
		// The REST operation maps the same steps to flat fields.
		status, body := get(t, restURL+"/voyages/VOY-2026-042/manifest")
		want := `{"voyageId":"VOY-2026-042","status":"planned","departurePort":"Oslo","arrivalPort":"Singapore",` +
			`"shipName":null,"shipType":null,"shipFlag":null,` +
			`"crew":[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}],` +
			`"cargo":[{"type":"container","description":"Electronics components","weight":12.5,"hazardous":false}]}`
		if status != 200 || body != want {
			t.Errorf("REST manifest: %d %s\nwant %s", status, body, want)
		}
		status, body = get(t, restURL+"/ships/IMO-9321483/crew")
		if status != 200 || !strings.Contains(body, `"crew":[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}]`) {
			t.Errorf("REST ship with crew: %d %s", status, body)
		}

		// The skill catalog and one skill's detail.
		status, body = get(t, skillURL+"/skills")
		if status != 200 || !strings.Contains(body, `"name":"fleet-ops"`) || !strings.Contains(body, `"name":"voyage-ops"`) {
			t.Errorf("GET /skills: %d %s", status, body)
		}
		status, body = get(t, skillURL+"/skills/voyage-ops")
		if status != 200 || !strings.Contains(body, `"name":"create-voyage"`) || !strings.Contains(body, `"name":"get-voyage-manifest"`) {
			t.Errorf("GET /skills/voyage-ops: %d %s", status, body)
		}
	})

	// What reached the backends: the registry with its bearer token and
	// version header as step 11's shared file writes them — literally
	// "REGISTRY_TOKEN" and "REGISTRY_VERSION", without braces, so not the
	// bound values (validate warns that the binds are unused).
	reqs := m.Requests()
	if len(reqs) == 0 {
		t.Fatal("nothing reached the backends")
	}
	for _, r := range reqs {
		switch {
		case strings.Contains(r.Path, "maritime-registry"):
			if r.Header.Get("Authorization") != "Bearer REGISTRY_TOKEN" || r.Header.Get("Registry-Version") != "REGISTRY_VERSION" {
				t.Errorf("registry %s %s: Authorization %q, Registry-Version %q", r.Method, r.Path, r.Header.Get("Authorization"), r.Header.Get("Registry-Version"))
			}
		case strings.Contains(r.Path, "legacy-dockyard"):
			if r.Header.Get("X-Dock-Key") != "dummy-dockyard-key" {
				t.Errorf("dockyard %s %s: X-Dock-Key %q", r.Method, r.Path, r.Header.Get("X-Dock-Key"))
			}
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.Path)
		}
	}
	for _, secret := range []string{"dummy-token", "dummy-dockyard-key", mcpToken} {
		if strings.Contains(stderr, secret) {
			t.Errorf("serve -v printed the secret %q", secret)
		}
	}
	if !strings.Contains(stderr, "> GET ") {
		t.Errorf("serve -v traced no upstream request:\n%s", stderr)
	}
}

// mcpClient is an HTTP client of its own for a go-sdk session, with the
// bearer token when token is not empty. Close its idle connections before
// the server shuts down: the SDK may dial a spare connection it never
// uses, and http.Server.Shutdown waits up to 5 s for a new connection.
func mcpClient(token string) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if token == "" {
		return &http.Client{Transport: tr}
	}
	return &http.Client{Transport: authTransport{token: token, base: tr}}
}

// authTransport adds a bearer token to every request.
type authTransport struct {
	token string
	base  *http.Transport
}

func (a authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+a.token)
	return a.base.RoundTrip(r)
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach base.
func (a authTransport) CloseIdleConnections() { a.base.CloseIdleConnections() }
