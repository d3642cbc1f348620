package serve

import (
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// cliFlags are naftiko run's flags; a server's caller cannot pass them.
var cliFlags = []string{"--env-file", "--param", "-H ", "--body", "export ", "--base-uri"}

func assertNoCLIFlag(t *testing.T, where, text string) {
	t.Helper()
	for _, f := range cliFlags {
		if strings.Contains(text, f) {
			t.Errorf("%s words its hint for the command line (%q): %s", where, f, text)
		}
	}
}

// An unbound variable is the server's to set: the MCP result and the REST
// error say so in server terms, with no command-line flag.
func TestUnboundVariableWordedForTheServer(t *testing.T) {
	up := newUpstream(t)
	cs := connect(t, clerkServer(t, up, WithMCPStdio(), WithLookup(env())).MCPServer(""))
	text, _, isErr := callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "o"})
	want := "hint: set CLERK_SECRET_KEY in the server's environment, or bind it from a key file (location: file://…), and restart the server"
	if !isErr || !strings.Contains(text, want) {
		t.Errorf("isError=%v text=%q, want it to contain %q", isErr, text, want)
	}
	assertNoCLIFlag(t, "the MCP result", text)

	_, h := restServer(t, up, WithLookup(env()))
	status, body, _ := do(t, h, "GET", "/orgs/o1/members", "")
	wantBody := `{"error":{"kind":"binding","message":"variable TOKEN (binds namespace \"env\") is not set","hint":"set TOKEN in the server's environment, or bind it from a key file (location: file://…), and restart the server"}}`
	if status != 500 || strings.TrimSpace(body) != wantBody {
		t.Errorf("REST error = %d %s, want 500 %s", status, body, wantBody)
	}
	assertNoCLIFlag(t, "the REST error", body)
}

// Every remedy the library names is worded without a command-line flag.
func TestServerHintsHaveNoCLIFlags(t *testing.T) {
	for _, se := range []*spec.Error{
		{Env: []string{"X"}},
		{Env: []string{"X"}, Remedy: spec.RemedyKeyFile},
		{Env: []string{"X"}, Remedy: spec.RemedyCredential},
		{Remedy: spec.RemedyHeader},
		{Hint: "use json", Remedy: spec.RemedyBody},
		{Hint: "save it to a file first", Inputs: []string{"p"}, Remedy: spec.RemedyText},
		{Remedy: spec.RemedyTimeout},
		{Remedy: spec.RemedyMaxSize},
		{Hint: "the upstream redirects in a loop or through too many hops", Remedy: spec.RemedyHops},
		{Remedy: spec.RemedyRaw},
		{Namespace: "n", Remedy: spec.RemedyBaseURI},
	} {
		for _, h := range []string{se.HintFor(mcpWording), se.HintFor(restWording)} {
			if h == "" {
				t.Errorf("%+v: no hint", se)
			}
			assertNoCLIFlag(t, "a server hint", h)
		}
	}
}

// A namespace without a base URL is the server's to fix: the MCP tool
// result says so without naftiko run's --base-uri.
func TestNoBaseURIWordedForTheServer(t *testing.T) {
	s, err := New(parse(t, `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - {type: http, namespace: n, resources: [{name: r, path: /r, operations: [{name: op}]}]}
  exposes:
  - type: mcp
    namespace: m
    transport: stdio
    tools:
    - {name: t, description: T, call: n.op}
`), WithMCPStdio())
	if err != nil {
		t.Fatal(err)
	}
	text, _, isErr := callTool(t, connect(t, s.MCPServer("")), "t", nil)
	want := "spec: op: namespace n has no baseUri\nhint: the server has no absolute http(s) base URL for namespace n: declare its baseUri in the capability, or give the server one, and restart it"
	if !isErr || text != want {
		t.Errorf("isError=%v text=%q\nwant %q", isErr, text, want)
	}
}
