package serve

import (
	"slices"
	"strings"
	"testing"
)

// Tool names longer than 64 characters (13 in the microsoft-graph files)
// are shortened deterministically: the first 55 bytes, "_" and 8 hex
// digits of the whole name's SHA-256, so names sharing a long prefix stay
// distinct. Generated and declared tools alike.
func TestLongToolNamesShortened(t *testing.T) {
	long1 := "identity-customAuthenticationExtensions-customAuthenticationExtension-id-validate"
	long2 := "identity-customAuthenticationExtensions-customAuthenticationExtension-id-list"
	doc := `naftiko: 1.0.0-alpha2
info: {label: Long}
capability:
  consumes:
  - type: http
    namespace: graph
    baseUri: UPSTREAM
    resources:
    - name: users
      path: /users
      operations:
      - name: ` + long1 + `
        method: GET
      - name: ` + long2 + `
        method: GET
  exposes:
  - type: mcp
    namespace: graph-mcp
    port: 0
    tools:
    - name: ` + long1 + `
      description: Validate.
      call: graph.` + long1 + `
    - name: ` + long2 + `
      description: List.
      call: graph.` + long2 + `
`
	up := newUpstream(t)
	s, err := New(parse(t, strings.ReplaceAll(doc, "UPSTREAM", up.URL)), WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"identity-customAuthenticationExtensions-customAuthentic_8d9301b6",
		"identity-customAuthenticationExtensions-customAuthentic_31bc0fe5",
	}
	for _, ns := range []string{"graph-mcp", ""} {
		got := toolNames(t, connect(t, s.MCPServer(ns)))
		slices.Sort(got)
		w := slices.Clone(want)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%q: tools %q, want %q", ns, got, w)
		}
		for _, n := range got {
			if len(n) > 64 {
				t.Errorf("%q: %s is %d characters", ns, n, len(n))
			}
		}
	}
	text, _, isErr := callTool(t, connect(t, s.MCPServer("graph-mcp")), want[1], nil)
	if isErr {
		t.Errorf("calling the shortened tool: %s", text)
	}
}
