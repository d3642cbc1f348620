package serve

import (
	"strings"
	"testing"
)

// An argument equal to a bound secret, rejected before any call needed the
// secret, is masked in the MCP error text (SPEC.md §13.3).
func TestMCPArgumentErrorMasksSecret(t *testing.T) {
	up := newUpstream(t)
	cs := connect(t, clerkServer(t, up, WithMCPStdio()).MCPServer(""))
	text, _, isErr := callTool(t, cs, "ListOrganizationMemberships", map[string]any{"organization_id": "o", "limit": "sk_test_123"})
	want := "invalid arguments for tool ListOrganizationMemberships: argument `limit`: expected integer, got \"****\""
	if !isErr || !strings.HasPrefix(text, want) || strings.Contains(text, "sk_test_123") {
		t.Errorf("isError=%v text=%q, want prefix %q", isErr, text, want)
	}
}
