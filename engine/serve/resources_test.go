package serve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/spec"
)

// TestResourcesAndPrompts serves static and dynamic MCP resources and
// prompts.
func TestResourcesAndPrompts(t *testing.T) {
	up := newUpstream(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "docs", "guide"), 0o755)
	os.WriteFile(filepath.Join(dir, "docs", "readme.md"), []byte("# Read me"), 0o644)
	os.WriteFile(filepath.Join(dir, "docs", "guide", "a.txt"), []byte("A"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("nope"), 0o644)
	src := strings.NewReplacer("UPSTREAM", up.URL).Replace(`naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: UPSTREAM
    resources:
    - name: m
      path: /organizations/{organization_id}/memberships
      operations: [{name: list, method: GET}]
  exposes:
  - type: mcp
    namespace: res
    port: 0
    resources:
    - {name: docs, uri: 'docs://files', location: 'file://./docs', description: Documentation}
    - name: members
      uri: 'orgs://{org}/members'
      call: orgs.list
      with: {organization_id: tools.org}
      outputParameters: [{type: array, mapping: '$.items[*].id'}]
    prompts:
    - name: greet
      description: Greets.
      arguments: [{name: who, required: true}, {name: tone}]
      template:
      - {role: user, content: 'Say hello to {{who}} {{tone}}{{unknown}}.'}
      - {role: assistant, content: 'Hello, {{who}}!'}
`)
	c, err := spec.Parse([]byte(src), filepath.Join(dir, "cap.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s.MCPServer("res"))
	ctx := context.Background()
	list, err := cs.ListResources(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var uris []string
	for _, r := range list.Resources {
		uris = append(uris, r.URI)
	}
	if got := strings.Join(uris, " "); got != "docs://files/guide/a.txt docs://files/readme.md" {
		t.Errorf("resources = %s", got)
	}
	tl, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil || len(tl.ResourceTemplates) != 2 {
		t.Fatalf("templates = %v %v", tl, err)
	}
	for uri, want := range map[string]string{
		"docs://files/readme.md":   "text/markdown; charset=utf-8 # Read me",
		"docs://files/guide/a.txt": "text/plain; charset=utf-8 A",
		"orgs://o1/members":        `application/json ["m1","m2"]`,
	} {
		r, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		if err != nil {
			t.Errorf("%s: %v", uri, err)
			continue
		}
		if got := r.Contents[0].MIMEType + " " + r.Contents[0].Text; got != want {
			t.Errorf("%s = %q, want %q", uri, got, want)
		}
	}
	for _, uri := range []string{"docs://files/../secret.txt", "docs://files/guide", "docs://files/%2e%2e/secret.txt"} {
		if _, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri}); err == nil {
			t.Errorf("%s was served", uri)
		}
	}
	p, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "greet", Arguments: map[string]string{"who": "{{tone}}"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Messages[0].Content.(*mcp.TextContent).Text + "|" + p.Messages[1].Content.(*mcp.TextContent).Text; got != "Say hello to {{tone}} {{unknown}}.|Hello, {{tone}}!" {
		t.Errorf("prompt = %q", got)
	}
	_, err = cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: "greet"})
	var we *jsonrpc.Error
	if !errors.As(err, &we) || we.Code != jsonrpc.CodeInvalidParams {
		t.Errorf("missing argument: %v", err)
	}
}
