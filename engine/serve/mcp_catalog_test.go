package serve

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// withPageSize sets the page size of the MCP list methods.
func withPageSize(n int) Option { return func(c *config) { c.mcpPageSize = n } }

const orderDoc = `naftiko: 1.0.0-alpha2
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
    namespace: order
    port: 0
    tools:
    - {name: zeta, description: Z., call: orgs.list, with: {organization_id: z}}
    - {name: alpha, description: A., call: orgs.list, with: {organization_id: a}}
    - {name: mu, description: M., call: orgs.list, with: {organization_id: m}}
    - {name: beta, description: B., call: orgs.list, with: {organization_id: b}}
    - {name: kappa, description: K., call: orgs.list, with: {organization_id: k}}
    resources:
    - {name: zr, uri: 'data://z', call: orgs.list, with: {organization_id: z}}
    - {name: ar, uri: 'data://a', call: orgs.list, with: {organization_id: a}}
    - {name: zt, uri: 'data://z/{id}', call: orgs.list, with: {organization_id: tools.id}}
    - {name: at, uri: 'data://a/{id}', call: orgs.list, with: {organization_id: tools.id}}
    prompts:
    - {name: zp, description: Z., template: [{role: user, content: z}]}
    - {name: ap, description: A., template: [{role: user, content: a}]}
`

// TestDeclarationOrder lists tools, resources, templates and prompts in
// the order they are declared, page by page.
func TestDeclarationOrder(t *testing.T) {
	up := newUpstream(t)
	c := parse(t, strings.ReplaceAll(orderDoc, "UPSTREAM", up.URL))
	s, err := New(c, withPageSize(2))
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s.MCPServer("order"))
	ctx := context.Background()

	var names, cursors []string
	cursor := ""
	for {
		res, err := cs.ListTools(ctx, &mcp.ListToolsParams{Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Tools) > 2 {
			t.Errorf("page of %d tools, page size 2", len(res.Tools))
		}
		for _, tl := range res.Tools {
			names = append(names, tl.Name)
		}
		if res.NextCursor == "" {
			break
		}
		cursor = res.NextCursor
		cursors = append(cursors, cursor)
	}
	if want := []string{"zeta", "alpha", "mu", "beta", "kappa"}; !slices.Equal(names, want) {
		t.Errorf("tools = %v, want %v", names, want)
	}
	if len(cursors) != 2 {
		t.Errorf("cursors = %v, want 2", cursors)
	}
	// A cursor stays valid: asking again gives the same page.
	again, err := cs.ListTools(ctx, &mcp.ListToolsParams{Cursor: cursors[0]})
	if err != nil || len(again.Tools) != 2 || again.Tools[0].Name != "mu" || again.Tools[1].Name != "beta" {
		t.Errorf("page after cursor 1 = %v %v", again, err)
	}
	// The SDK's iterator (every page) sees the same order.
	var all []string
	for tl, err := range cs.Tools(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, tl.Name)
	}
	if !slices.Equal(all, names) {
		t.Errorf("Tools iterator = %v", all)
	}
	_, err = cs.ListTools(ctx, &mcp.ListToolsParams{Cursor: "not-a-cursor"})
	var je *jsonrpc.Error
	if !errors.As(err, &je) || je.Code != jsonrpc.CodeInvalidParams {
		t.Errorf("bad cursor: %v", err)
	}

	var uris []string
	for r, err := range cs.Resources(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		uris = append(uris, r.URI)
	}
	for r, err := range cs.ResourceTemplates(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		uris = append(uris, r.URITemplate)
	}
	if got := strings.Join(uris, " "); got != "data://z data://a data://z/{id} data://a/{id}" {
		t.Errorf("resources = %s", got)
	}
	var prompts []string
	for p, err := range cs.Prompts(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		prompts = append(prompts, p.Name)
	}
	if got := strings.Join(prompts, " "); got != "zp ap" {
		t.Errorf("prompts = %s", got)
	}
}
