// Package enginetest holds fakes for testing capabilities, in the manner
// of net/http/httptest: Microcks serves OpenAPI documents the way the
// Microcks mock server does, which is how the specification's authors
// test their tutorial, and ReferenceDir finds their tutorial, fixtures and
// tests beside the repository. naftiko's own tests run the tutorial
// against it through the naftiko command (cmd/naftiko).
//
// It imports nothing of naftiko (spec/graph_test.go enforces it); test
// code of any package may import it.
package enginetest
