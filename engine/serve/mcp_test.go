package serve

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/spec"
)

const clerkFile = "../../capabilities/clerk/organization-memberships.yaml"

func clerkServer(t *testing.T, up *upstream, opts ...Option) *Server {
	t.Helper()
	c, err := spec.LoadFile(clerkFile)
	if err != nil {
		t.Fatal(err)
	}
	opts = append([]Option{WithBaseURI("", up.URL), WithLookup(env("CLERK_SECRET_KEY", "sk_test_123")), WithRetries(0)}, opts...)
	s, err := New(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func toolNames(t *testing.T, cs *mcp.ClientSession) []string {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	return names
}

func findTool(t *testing.T, cs *mcp.ClientSession, name string) *mcp.Tool {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range res.Tools {
		if tl.Name == name {
			return tl
		}
	}
	t.Fatalf("no tool %s", name)
	return nil
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGeneratedTools serves the Clerk capability, which has no MCP
// adapter: one tool per GET operation, every method with writes.
func TestGeneratedTools(t *testing.T) {
	up := newUpstream(t)
	cs := connect(t, clerkServer(t, up, WithMCPStdio()).MCPServer(""))
	if got, want := toolNames(t, cs), []string{"ListOrganizationMemberships", "InstanceGetOrganizationMemberships"}; !slices.Equal(got, want) {
		t.Errorf("tools = %v, want %v", got, want)
	}
	init := cs.InitializeResult()
	if init.ServerInfo.Name != "Clerk Backend Api — Organization Memberships" {
		t.Errorf("serverInfo.name = %q", init.ServerInfo.Name)
	}
	tl := findTool(t, cs, "ListOrganizationMemberships")
	schema := tl.InputSchema.(map[string]any)
	if got := jsonOf(t, schema["required"]); got != `["organization_id"]` {
		t.Errorf("required = %s", got)
	}
	if got := jsonOf(t, schema["additionalProperties"]); got != "false" {
		t.Errorf("additionalProperties = %s", got)
	}
	props := schema["properties"].(map[string]any)
	if got := jsonOf(t, props["user_id"]); !strings.HasPrefix(got, `{"description":`) || !strings.Contains(got, `"items":{"type":"string"},"type":"array"}`) {
		t.Errorf("user_id = %s", got)
	}
	if got := jsonOf(t, props["limit"].(map[string]any)["type"]); got != `"integer"` {
		t.Errorf("limit type = %s", got)
	}
	if got := jsonOf(t, tl.Annotations); got != `{"idempotentHint":false,"readOnlyHint":true}` {
		t.Errorf("annotations = %s", got)
	}

	w := clerkServer(t, up, WithMCPStdio(), WithWrites(true))
	cw := connect(t, w.MCPServer(""))
	if got := toolNames(t, cw); len(got) != 6 {
		t.Errorf("with writes: tools = %v", got)
	}
	if got := jsonOf(t, findTool(t, cw, "DeleteOrganizationMembership").Annotations); got != `{"destructiveHint":true,"idempotentHint":false,"readOnlyHint":false}` {
		t.Errorf("delete annotations = %s", got)
	}
}

// TestGeneratedToolCalls calls generated tools: success, upstream error,
// invalid arguments (no upstream call), truncation, 204.
func TestGeneratedToolCalls(t *testing.T) {
	up := newUpstream(t)
	cs := connect(t, clerkServer(t, up, WithMCPStdio(), WithWrites(true), WithMaxResult(64<<10)).MCPServer(""))

	text, sc, isErr := callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "org_1", "limit": 2})
	want := `{"auth":"Bearer sk_test_123","items":[{"id":"m1","role":"admin"},{"id":"m2","role":"member"}],"limit":"2","org":"org_1"}`
	if isErr || text != want || sc != want {
		t.Errorf("list: isError=%v\n text %s\n sc   %s\nwant %s", isErr, text, sc, want)
	}

	text, sc, isErr = callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "missing"})
	if !isErr || !strings.Contains(text, "status: 404 Not Found\nbody: {\"errors\":[{\"code\":\"not_found\"}]}") ||
		sc != `{"error":{"body":{"errors":[{"code":"not_found"}]},"kind":"upstream","status":404}}` {
		t.Errorf("upstream error: isError=%v text=%q sc=%s", isErr, text, sc)
	}
	if strings.Contains(text, "sk_test_123") {
		t.Errorf("secret in error text: %s", text)
	}

	before := up.hits.Load()
	text, _, isErr = callTool(t, cs, "ListOrganizationMemberships", map[string]any{"limit": "ten", "usr_id": "x"})
	wantText := "invalid arguments for tool ListOrganizationMemberships: argument `limit`: expected integer, got \"ten\"; " +
		"unknown argument `usr_id`"
	if !isErr || !strings.HasPrefix(text, wantText) || !strings.HasSuffix(text, "; missing required argument `organization_id`") {
		t.Errorf("invalid args: isError=%v text=%q", isErr, text)
	}
	if up.hits.Load() != before {
		t.Errorf("invalid arguments reached the upstream")
	}

	text, sc, isErr = callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "big"})
	wantSuffix := "\n[truncated: result is 307211 bytes, limit 65536 bytes; narrow the request]"
	if isErr || sc != "" || !strings.HasSuffix(text, wantSuffix) || len(text) != 65536+len(wantSuffix) {
		t.Errorf("truncation: isError=%v sc=%q len=%d suffix=%q", isErr, sc, len(text), text[max(0, len(text)-90):])
	}

	del, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "DeleteOrganizationMembership",
		Arguments: map[string]any{"organization_id": "o", "user_id": "u"}})
	if err != nil || resultJSON(t, del) != `{"content":[]}` {
		t.Errorf("204: %s %v", jsonOf(t, del), err)
	}

	text, sc, isErr = callTool(t, cs, "CreateOrganizationMembership", map[string]any{"organization_id": "o", "body": map[string]any{"user_id": "u", "role": "admin"}})
	if want := `{"created":{"role":"admin","user_id":"u"},"org":"o"}`; isErr || text != want || sc != want {
		t.Errorf("create: isError=%v text=%q sc=%s", isErr, text, sc)
	}

	_, err = cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "nope"})
	var we *jsonrpc.Error
	if !errors.As(err, &we) || we.Code != jsonrpc.CodeInvalidParams {
		t.Errorf("unknown tool: %v", err)
	}
}

const declaredDoc = `naftiko: 1.0.0-alpha2
info: {label: Declared}
binds:
- namespace: env
  keys: {TOKEN: TOKEN}
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{TOKEN}}'}
    resources:
    - name: memberships
      path: /organizations/{organization_id}/memberships
      operations:
      - name: list
        method: GET
        inputParameters:
        - {name: organization_id, in: path, type: string, description: The organization}
        - {name: limit, in: query, type: integer, description: Page size, required: false}
    - name: users
      path: /users
      operations:
      - name: users
        method: GET
  exposes:
  - type: mcp
    namespace: orgs-mcp
    description: Organization tools.
    port: 0
    tools:
    - name: list-members
      label: List members
      description: List the members of an organization.
      hints: {readOnly: true, openWorld: false}
      call: orgs.list
      with:
        organization_id: tools.org
        limit: 5
      outputParameters:
      - type: array
        mapping: $.items
        items:
          type: object
          properties:
            member: {type: string, mapping: $.id}
            admin: {type: string, mapping: $.role}
    - name: count
      description: Two named outputs.
      inputParameters:
      - {name: org, type: string, description: Organization}
      - {name: verbose, type: boolean, required: false}
      call: orgs.list
      with: {organization_id: '{{org}}'}
      outputParameters:
      - {name: organization, type: string, mapping: $.org}
      - {name: limit, type: integer, mapping: $.limit}
    - name: version
      description: A mock.
      outputParameters:
      - {name: version, type: string, value: '1.2'}
      - {name: stable, type: boolean, const: true}
    - name: lookup-user
      description: Steps with a lookup.
      inputParameters:
      - {name: email, type: string, description: E-mail}
      steps:
      - {type: call, name: all-users, call: orgs.users}
      - {type: lookup, name: found, index: all-users, match: email, lookupValue: '{{email}}', outputParameters: [id]}
      mappings:
      - {targetName: user.id, value: $.found.id}
      - {targetName: user.email, value: $this.orgs-mcp.email}
    - name: broken
      description: Unresolvable.
      call: orgs.nothing
    - name: via-ref
      ref: lib.members
      hints: {openWorld: true}
  aggregates:
  - label: Library
    namespace: lib
    functions:
    - name: members
      description: Members through a function.
      semantics: {safe: true, idempotent: true}
      inputParameters:
      - {name: org, type: string, description: Organization}
      call: orgs.list
      with: {organization_id: '{{org}}'}
      outputParameters:
      - {type: string, mapping: $.org}
`

func declared(t *testing.T, up *upstream, opts ...Option) *Server {
	t.Helper()
	c := parse(t, strings.ReplaceAll(declaredDoc, "UPSTREAM", up.URL))
	s, err := New(c, append([]Option{WithLookup(env("TOKEN", "tok-1")), WithRetries(0)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDeclaredTools serves an MCP adapter: schemas with implicit inputs,
// hints, every kind of tool (call, mock, steps, ref), and element errors
// left out.
func TestDeclaredTools(t *testing.T) {
	up := newUpstream(t)
	s := declared(t, up)
	cs := connect(t, s.MCPServer("orgs-mcp"))
	if got, want := toolNames(t, cs), []string{"list-members", "count", "version", "lookup-user", "via-ref"}; !slices.Equal(got, want) {
		t.Errorf("tools = %v, want %v", got, want)
	}
	if init := cs.InitializeResult(); init.ServerInfo.Name != "orgs-mcp" || init.Instructions != "Organization tools." {
		t.Errorf("init = %+v", init)
	}
	lm := findTool(t, cs, "list-members")
	if got := jsonOf(t, lm.InputSchema); got != `{"$schema":"https://json-schema.org/draft/2020-12/schema","additionalProperties":false,"properties":{"org":{"description":"The organization","type":"string"}},"required":["org"],"type":"object"}` {
		t.Errorf("list-members schema = %s", got)
	}
	if got := jsonOf(t, lm.Annotations); got != `{"idempotentHint":false,"openWorldHint":false,"readOnlyHint":true,"title":"List members"}` || lm.Title != "List members" {
		t.Errorf("list-members annotations = %s title %q", got, lm.Title)
	}
	if got := jsonOf(t, findTool(t, cs, "count").InputSchema); got != `{"$schema":"https://json-schema.org/draft/2020-12/schema","additionalProperties":false,"properties":{"org":{"description":"Organization","type":"string"},"verbose":{"type":"boolean"}},"required":["org"],"type":"object"}` {
		t.Errorf("count schema = %s", got)
	}
	if got := jsonOf(t, findTool(t, cs, "via-ref").Annotations); got != `{"destructiveHint":false,"idempotentHint":true,"openWorldHint":true,"readOnlyHint":true}` {
		t.Errorf("via-ref annotations = %s", got)
	}

	for _, tc := range []struct {
		tool     string
		args     map[string]any
		text, sc string
	}{
		{"list-members", map[string]any{"org": "o1"},
			`[{"member":"m1","admin":"admin"},{"member":"m2","admin":"member"}]`,
			`{"result":[{"admin":"admin","member":"m1"},{"admin":"member","member":"m2"}]}`},
		{"count", map[string]any{"org": "o2", "verbose": "true"}, `{"organization":"o2","limit":""}`, `{"limit":"","organization":"o2"}`},
		{"version", nil, `{"version":"1.2","stable":true}`, `{"stable":true,"version":"1.2"}`},
		{"lookup-user", map[string]any{"email": "b@x"}, `{"user":{"id":"u2","email":"b@x"}}`, `{"user":{"email":"b@x","id":"u2"}}`},
		{"via-ref", map[string]any{"org": "o3"}, `o3`, `{"result":"o3"}`},
	} {
		text, sc, isErr := callTool(t, cs, tc.tool, tc.args)
		if isErr || text != tc.text || sc != tc.sc {
			t.Errorf("%s: isError=%v\n text %s\n  sc  %s\nwant %s\n     %s", tc.tool, isErr, text, sc, tc.text, tc.sc)
		}
	}
}
