package serve

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// vault is a bind provider as an embedding program registers it.
type vault map[string]string

func (v vault) Lookup(_ context.Context, location, key string) (string, bool, error) {
	if location != "vault://kv/app" {
		return "", false, nil
	}
	s, ok := v[key]
	return s, ok, nil
}

const providerDoc = `naftiko: 1.0.0-alpha2
info: {label: Provider}
binds:
- namespace: secrets
  location: vault://kv/app
  keys: {API_KEY: api_key, ORG_ID: org_id}
capability:
  consumes:
  - type: http
    namespace: echo
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{API_KEY}}'}
    resources:
    - name: orgs
      path: /echo/{org}
      operations:
      - name: get
        method: GET
        inputParameters:
        - {name: q, in: query}
  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
    - path: /with
      name: with
      operations:
      - method: GET
        call: echo.get
        with: {org: '{{ORG_ID}}', q: $this.secrets.ORG_ID}
    - path: /steps
      name: steps
      operations:
      - method: GET
        steps:
        - {type: call, name: first, call: echo.get, with: {org: '{{secrets.ORG_ID}}', q: 'step'}}
  - type: mcp
    namespace: tools-mcp
    port: 0
    tools:
    - name: echo
      description: Echo
      inputParameters:
      - {name: q, type: string, description: Query}
      call: echo.get
      with: {org: '{{ORG_ID}}', q: tools.q}
`

// TestBindProviderThroughServe checks that a provider registered by an
// embedding program with engine.WithBindProvider serves every template of
// serve: REST `with`, steps, MCP tool calls and consumed authentication.
// Before the one binder it failed with a 500 in `with` values.
func TestBindProviderThroughServe(t *testing.T) {
	up := newUpstream(t)
	src := strings.ReplaceAll(providerDoc, "UPSTREAM", up.URL)
	s, err := New(parse(t, src), WithLookup(env()), WithRetries(0),
		WithEngineOptions(engine.WithBindProvider("vault", vault{"api_key": "key-from-vault", "org_id": "org-9"})))
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler("api")
	type echo struct {
		Path    string            `json:"path"`
		Query   string            `json:"query"`
		Headers map[string]string `json:"headers"`
	}
	check := func(what, body, wantQuery string) {
		t.Helper()
		var got echo
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%s: %v in %s", what, err, body)
		}
		if got.Path != "/echo/org-9" || got.Query != wantQuery || got.Headers["Authorization"] != "Bearer key-from-vault" {
			t.Errorf("%s: upstream saw %+v", what, got)
		}
	}
	status, body, _ := do(t, h, "GET", "/with", "")
	if status != 200 {
		t.Fatalf("REST with: %d %s", status, body)
	}
	check("REST with", body, "q=org-9")

	status, body, _ = do(t, h, "GET", "/steps", "")
	if status != 200 {
		t.Fatalf("REST steps: %d %s", status, body)
	}
	check("steps", body, "q=step")

	cs := connect(t, s.MCPServer("tools-mcp"))
	text, _, isErr := callTool(t, cs, "echo", map[string]any{"q": "hi"})
	if isErr {
		t.Fatalf("MCP tool: %s", text)
	}
	check("MCP tool", text, "q=hi")
	if strings.Contains(text, "key-from-vault") {
		// The echo returns the header; it is the upstream's answer, shown
		// as is. What matters is that the server's own messages redact it.
		if got := s.redact("Bearer key-from-vault"); got == "Bearer key-from-vault" {
			t.Errorf("the server does not redact provider secrets: %q", got)
		}
	}
}

// TestHintsWordedAtTheEdge checks that inputs an engine error names are
// worded for an MCP client, not as CLI flags.
func TestHintsWordedAtTheEdge(t *testing.T) {
	se := &spec.Error{Kind: spec.KindUsage, Msg: "missing required parameters `a`, `b`", Inputs: []string{"a", "b"}}
	if got, want := se.HintFor(mcpWording), "supply the tool arguments `a`, `b`"; got != want {
		t.Errorf("HintFor(mcpWording) = %q, want %q", got, want)
	}
	se.Hint = "given"
	if got := se.HintFor(mcpWording); got != "given" {
		t.Errorf("an explicit hint is kept: %q", got)
	}
}
