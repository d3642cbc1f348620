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
// psv, html, markdown, text, binary; the decoders are package
// engine/decode, decode.go picks one) before the output JSONPaths run;
// request bodies are built by body type (body.go); digest, OAuth2 client
// credentials and AWS SigV4 authenticate when the request is sent
// (auth*.go).
//
// Dependency note: HTML responses are parsed with golang.org/x/net/html,
// maintained by the Go project, which implements the WHATWG parsing
// algorithm (implicit tbody, unclosed cells, entities) that real pages
// rely on and that no hand-written tokenizer would match; the small CSS
// selector engine that scopes tables (engine/decode/selector.go) is
// naftiko's own. github.com/andybalholm/cascadia was tried in its place and kept out: it
// fails TestSelectorMatching, since it matches [attr^=""] (and $=, *=)
// on every element carrying the attribute where CSS says such a selector
// represents nothing; it accepts dynamic pseudo-classes such as :hover
// that can never match a fetched page (silently empty tables instead of
// an error); and its errors carry no position ("expected '(' but didn't
// find it" instead of ":nth-of-type needs an argument").
//
// Authentication: the OAuth2 client credentials token request is made by
// golang.org/x/oauth2/clientcredentials (auth_oauth2.go), with the client
// authenticated in HTTP Basic as SPEC.md §7.5 says (never the library's
// auto-detection) and the engine's own *http.Client handed over in the
// context (oauth2.HTTPClient), so redirects, client spans and the -v
// trace apply to it. Around it the engine keeps what the library does
// not do per (endpoint, client, scopes, audience, resource): the cache
// with 30 s of skew on the engine's clock, one token request shared by
// concurrent callers, and the refresh and single resend on a 401. The
// library form-encodes the client id and secret inside Basic (RFC 6749
// §2.3.1: "s3cr3t:x" travels as "s3cr3t%3Ax"), sends the form keys in
// sorted order and also reads form-encoded token answers; it stops
// reading at 1 MiB, so the engine's transport refuses a longer answer
// (declared or not) with the same error as before.
//
// AWS SigV4 and HTTP Digest stay our own by design: no maintained Go
// library signs an arbitrary prepared request the way the engine needs
// (SigV4 over the final body and query, digest challenges cached per
// origin), and both are verified against published test vectors (the
// AWS SigV4 test suite, RFC 7616 examples).
//
// Imports: spec, spec/program (the compiled capability it executes: New
// compiles one, NewProgram takes one already compiled), binder, and the
// JSON values of the language (spec/jsonv), and its response decoders
// (engine/decode). It never imports
// engine/serve. Operations are resolved once (Resolve, Operations) and
// called as values (Prepare, CallOp); Call(ref) resolves on each call.
package engine
