package main

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// cliWording words the structured fields of an error for the command line:
// inputs are --param flags, environment variables are set with export or
// --env-file, and remedies are flags of naftiko run. The library leaves
// this wording to each caller (engine/serve words the same fields for REST
// and MCP clients).
var cliWording = spec.Wording{
	Remedies: map[spec.Remedy]func(string, *spec.Error) string{
		spec.RemedyKeyFile: func(_ string, e *spec.Error) string {
			return "export " + e.Env[0] + "=…, pass --env-file with a line " + e.Env[0] + "=…, or supply it through a key file bound with location: file://…"
		},
		spec.RemedyCredential: func(_ string, e *spec.Error) string {
			return "set " + e.Env[0] + " to the credential (export " + e.Env[0] + "=…, or a line " + e.Env[0] + "=… in --env-file); nothing was sent"
		},
		spec.RemedyHeader: func(string, *spec.Error) string {
			return "supply the credentials by hand, e.g. -H 'Authorization: Bearer {{TOKEN}}'"
		},
		spec.RemedyBody: func(h string, _ *spec.Error) string {
			return orElse(h, "pass the body by hand with --body @file")
		},
		spec.RemedyText: func(h string, e *spec.Error) string {
			return orElse(h, "pass its content as text with --param "+e.Inputs[0]+"=@@… or -")
		},
		spec.RemedyTimeout: func(string, *spec.Error) string { return "raise it with --timeout" },
		spec.RemedyMaxSize: func(string, *spec.Error) string { return "raise it with --max-response-size" },
		spec.RemedyHops: func(h string, _ *spec.Error) string {
			if h == "" {
				return "-v shows each hop"
			}
			return h + "; -v shows each hop"
		},
		spec.RemedyRaw: func(string, *spec.Error) string { return "-o raw prints the body as received" },
		spec.RemedyBaseURI: func(_ string, e *spec.Error) string {
			return "pass --base-uri https://api.example.com, or --base-uri " + e.Namespace + "=https://… for this namespace only"
		},
	},
	Env: func(names []string) string {
		return "export " + names[0] + "=… or pass --env-file with a line " + names[0] + "=…"
	},
	Inputs: func(names []string) string {
		q := make([]string, len(names))
		for i, n := range names {
			q[i] = "--param " + n + "=…"
		}
		return "pass " + strings.Join(q, " ")
	},
}

// cliHint is the hint of e worded for the command line.
func cliHint(e *spec.Error) string { return e.HintFor(cliWording) }

// orElse adds the command line's way out to the library's hint.
func orElse(h, more string) string {
	if h == "" {
		return more
	}
	return h + ", or " + more
}
