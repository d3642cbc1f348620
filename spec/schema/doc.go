// Package schema validates capability documents the way `naftiko validate`
// does (SPEC.md §3): it loads a document with package spec, checks it
// against the project's JSON Schema for its version (embedded here, one
// file per version), runs the lint rules of spec.Lint, and returns every
// diagnostic, sorted.
//
// It is apart from package spec so that programs that only load and run
// documents do not link the JSON Schema library, whose initialisation
// compiles the meta-schemas of every JSON Schema draft.
//
// Imports: spec and spec's internal helpers; nothing imports it but the
// CLI.
package schema
