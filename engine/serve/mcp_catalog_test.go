package serve

import (
	"context"
	"errors"
	"os"
	"path/filepath"
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
	// 2026-07-28 clients require a cache scope on list results.
	if first, err := cs.ListTools(ctx, nil); err != nil || !strings.Contains(jsonOf(t, first), `"ttlMs":0,"cacheScope":"public"`) {
		t.Errorf("cache hint: %s %v", jsonOf(t, first), err)
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

	// resources/subscribe knows a resource and a URI its template matches
	// ({id} is one segment).
	cs = connectVersion(t, s.MCPServer("order"), "2025-11-25")
	for _, uri := range []string{"data://a", "data://a/7"} {
		if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: uri}); err != nil {
			t.Errorf("subscribe %s: %v", uri, err)
		}
	}
	for _, uri := range []string{"data://b/7", "data://a/7/8"} {
		if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: uri}); !errors.As(err, &je) || je.Code != mcp.CodeResourceNotFound {
			t.Errorf("subscribe %s: %v", uri, err)
		}
	}
}

// TestCompletion completes the path of a static resource template with
// its files, filtered by prefix; prompt arguments complete to nothing;
// unknown references are invalid params.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"guide/a.md", "guide/b.md", "readme.md"} {
		os.MkdirAll(filepath.Join(dir, "docs", filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, "docs", f), []byte("x"), 0o644)
	}
	c := parseAt(t, `naftiko: 1.0.0-alpha2
capability:
  exposes:
  - type: mcp
    namespace: comp
    port: 0
    resources:
    - {name: docs, uri: 'docs://files', location: 'file://./docs', description: Documentation}
    prompts:
    - {name: p, description: P., arguments: [{name: who}], template: [{role: user, content: '{{who}}'}]}
`, filepath.Join(dir, "cap.yaml"))
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s.MCPServer("comp"))
	ctx := context.Background()
	for _, tc := range []struct {
		ref    *mcp.CompleteReference
		arg    string
		values string
	}{
		{&mcp.CompleteReference{Type: "ref/resource", URI: "docs://files/{+path}"}, "gu", `["guide/a.md","guide/b.md"]`},
		{&mcp.CompleteReference{Type: "ref/resource", URI: "docs://files/{+path}"}, "", `["guide/a.md","guide/b.md","readme.md"]`},
		{&mcp.CompleteReference{Type: "ref/resource", URI: "docs://files/{+path}"}, "z", `[]`},
		{&mcp.CompleteReference{Type: "ref/prompt", Name: "p"}, "a", `[]`},
	} {
		res, err := cs.Complete(ctx, &mcp.CompleteParams{Ref: tc.ref, Argument: mcp.CompleteParamsArgument{Name: map[bool]string{true: "path", false: "who"}[tc.ref.Type == "ref/resource"], Value: tc.arg}})
		if err != nil {
			t.Fatalf("%v %q: %v", tc.ref, tc.arg, err)
		}
		if got := jsonOf(t, res.Completion.Values); got != tc.values {
			t.Errorf("%v %q: values %s, want %s", tc.ref, tc.arg, got, tc.values)
		}
	}
	_, err = cs.Complete(ctx, &mcp.CompleteParams{Ref: &mcp.CompleteReference{Type: "ref/prompt", Name: "nope"}, Argument: mcp.CompleteParamsArgument{Name: "x"}})
	var je *jsonrpc.Error
	if !errors.As(err, &je) || je.Code != jsonrpc.CodeInvalidParams || !strings.Contains(je.Message, `unknown prompt "nope"`) {
		t.Errorf("unknown prompt: %v", err)
	}

	// Subscriptions belong to the session revisions (2025-11-25 and older).
	cs = connectVersion(t, s.MCPServer("comp"), "2025-11-25")
	if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "docs://files/guide/a.md"}); err != nil {
		t.Errorf("subscribe: %v", err)
	}
	if err := cs.Unsubscribe(ctx, &mcp.UnsubscribeParams{URI: "docs://files/guide/a.md"}); err != nil {
		t.Errorf("unsubscribe: %v", err)
	}
	if err := cs.Subscribe(ctx, &mcp.SubscribeParams{URI: "docs://elsewhere"}); !errors.As(err, &je) || je.Code != mcp.CodeResourceNotFound {
		t.Errorf("subscribe to an unknown resource: %v", err)
	}
}

// connectVersion connects a client to srv in memory, speaking version.
func connectVersion(t testing.TB, srv *mcp.Server, version string) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		ss.Wait()
	})
	return cs
}
