// Package engine calls the operations a capability consumes.
//
// An Engine is built once from a loaded *spec.Capability and is then safe
// for concurrent use: New resolves every operation's parameter set, its
// headers and its templates up front, so a Call only validates the
// caller's values, renders, sends and decodes.
//
//	c, err := spec.LoadFile("capabilities/clerk/organization-memberships.yaml")
//	e, err := engine.New(c, engine.WithHTTPClient(client))
//	res, err := e.Call(ctx, "ListOrganizationMemberships", map[string]any{
//		"organization_id": "org_2RwC6",
//		"user_id":         []string{"user_a", "user_b"},
//	})
//
// Bound variables (binds) are resolved lazily, only when a template being
// rendered needs them, and every value they produce is redacted from what
// the engine prints. Every failure is a *spec.Error whose Kind maps to an
// exit status, an HTTP status or an MCP result.
package engine
