package main

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMappingDeclarationOrder: an orchestrated result keeps the order its
// mappings and outputs declare, nested objects and list items included
// (route.from before route.to, ship.name before ship.flag, crew fullName
// before role), not the sorted order of a Go map.
func TestMappingDeclarationOrder(t *testing.T) {
	tu := startTutorial(t, 11)
	res, err := tu.session(t).CallTool(context.Background(), &mcp.CallToolParams{Name: "get-voyage-manifest",
		Arguments: map[string]any{"voyageId": "VOY-2026-042"}})
	if err != nil || res.IsError || len(res.Content) != 1 {
		t.Fatalf("tools/call: %v %s", err, mustJSON(res))
	}
	text := res.Content[0].(*mcp.TextContent).Text
	want := `{"voyageId":"VOY-2026-042","status":"planned","route":{"from":"Oslo","to":"Singapore"},` +
		`"ship":{"name":null,"type":null,"flag":null},` +
		`"crew":[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}],` +
		`"cargo":[{"type":"container","description":"Electronics components","weight":12.5,"hazardous":false}]}`
	if text != want {
		t.Errorf("get-voyage-manifest text\n got %s\nwant %s", text, want)
	}
}
