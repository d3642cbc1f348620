// Package binder resolves the variables a capability binds (SPEC.md §4)
// and keeps every resolved secret out of naftiko's output (SPEC.md §13.3).
//
// A Binder is built from the document's binds. Nothing is read when it is
// built: a variable is resolved from its source (the process environment
// through a LookupFunc, a key file named by a file:// location, or a
// Provider registered for the location's scheme) the first time a template
// needs it, and the result is cached for the Binder's life.
//
// Every resolved value is a Value that knows it is a secret: formatting it
// with fmt, encoding it as JSON or text, or logging it with log/slog shows
// "****", and only Reveal returns the real text, for the wire. Every
// resolved value is also registered with a Redactor, which masks it, and
// its percent-encoded, base64 and JSON-escaped forms, in any text printed,
// logged or returned in an error.
//
// ParseDotenv and EnvFiles implement the dotenv format shared by .env key
// files and the CLI's --env-file flag.
//
// Imports: spec only (the Bind model and the error type). The engine owns
// the one Binder of a program run, providers included (Engine.Binder);
// the servers resolve their own templates with it.
package binder
