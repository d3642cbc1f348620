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
//
// Responses are decoded by outputRawFormat (json, xml, yaml, csv, tsv,
// psv, html, markdown, text, binary; decode*.go) before the output
// JSONPaths run; request bodies are built by body type (body.go); digest,
// OAuth2 client credentials and AWS SigV4 authenticate when the request is
// sent (auth*.go).
//
// Dependency note: HTML responses are parsed with golang.org/x/net/html,
// maintained by the Go project, which implements the WHATWG parsing
// algorithm (implicit tbody, unclosed cells, entities) that real pages
// rely on and that no hand-written tokenizer would match; the small CSS
// selector engine that scopes tables (selector.go) is naftiko's own.
//
// Imports: spec, spec/program (the compiled capability it executes: New
// compiles one, NewProgram takes one already compiled), binder, and its
// internal JSON-value helpers (engine/internal/jsonv). It never imports
// engine/serve. Operations are resolved once (Resolve, Operations) and
// called as values (Prepare, CallOp); Call(ref) resolves on each call.
package engine
