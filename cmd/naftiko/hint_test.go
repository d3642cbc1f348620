package main

import (
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// The command line words the structured fields of an error with its own
// flags; engine/serve words the same fields for its clients.
func TestCLIHint(t *testing.T) {
	for _, tc := range []struct {
		e    *spec.Error
		want string
	}{
		{&spec.Error{Inputs: []string{"a", "b"}}, "pass --param a=… --param b=…"},
		{&spec.Error{Inputs: []string{"a"}, Hint: "given\n"}, "given"},
		{&spec.Error{Env: []string{"TOKEN"}}, "export TOKEN=… or pass --env-file with a line TOKEN=…"},
		{&spec.Error{Env: []string{"TOKEN"}, Remedy: spec.RemedyKeyFile},
			"export TOKEN=…, pass --env-file with a line TOKEN=…, or supply it through a key file bound with location: file://…"},
		{&spec.Error{Env: []string{"TOKEN"}, Remedy: spec.RemedyCredential},
			"set TOKEN to the credential (export TOKEN=…, or a line TOKEN=… in --env-file); nothing was sent"},
		{&spec.Error{Remedy: spec.RemedyHeader}, "supply the credentials by hand, e.g. -H 'Authorization: Bearer {{TOKEN}}'"},
		{&spec.Error{Hint: "use json or text", Remedy: spec.RemedyBody}, "use json or text, or pass the body by hand with --body @file"},
		{&spec.Error{Hint: "save it to a file first", Inputs: []string{"doc"}, Remedy: spec.RemedyText},
			"save it to a file first, or pass its content as text with --param doc=@@… or -"},
		{&spec.Error{Remedy: spec.RemedyTimeout}, "raise it with --timeout"},
		{&spec.Error{Remedy: spec.RemedyMaxSize}, "raise it with --max-response-size"},
		{&spec.Error{Hint: "the upstream redirects in a loop or through too many hops", Remedy: spec.RemedyHops},
			"the upstream redirects in a loop or through too many hops; -v shows each hop"},
		{&spec.Error{Remedy: spec.RemedyRaw}, "-o raw prints the body as received"},
		{&spec.Error{Remedy: spec.RemedyHops}, "-v shows each hop"},
		{&spec.Error{}, ""},
	} {
		if got := cliHint(tc.e); got != tc.want {
			t.Errorf("cliHint(%+v) = %q, want %q", tc.e, got, tc.want)
		}
	}
}
