package serve

import (
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// serverRemedies word the remedies an error names for a client of the
// server, REST or MCP: they are the server's to fix, in its environment
// and capability file, never with command-line flags (the CLI words the
// same fields its own way).
var serverRemedies = map[spec.Remedy]func(string, *spec.Error) string{
	spec.RemedyKeyFile:    setInServer(""),
	spec.RemedyCredential: setInServer(" to the credential"),
	spec.RemedyHeader: func(h string, _ *spec.Error) string {
		return thenServer(h, "the server cannot send this authentication; the capability must declare a supported type")
	},
	spec.RemedyBody: func(h string, _ *spec.Error) string {
		return thenServer(h, "the body type must be changed in the capability")
	},
	spec.RemedyText: func(h string, e *spec.Error) string {
		return thenServer(h, "supply `"+e.Inputs[0]+"` as text")
	},
	spec.RemedyTimeout: func(h string, _ *spec.Error) string {
		return thenServer(h, "the upstream did not answer within the time the server allows each attempt")
	},
	spec.RemedyMaxSize: func(h string, _ *spec.Error) string {
		return thenServer(h, "the upstream's response is larger than the server accepts")
	},
	spec.RemedyHops: func(h string, _ *spec.Error) string { return h },
	spec.RemedyBaseURI: func(_ string, e *spec.Error) string {
		return "the server has no absolute http(s) base URL for namespace " + e.Namespace +
			": declare its baseUri in the capability, or give the server one, and restart it"
	},
	spec.RemedyRaw: func(h string, _ *spec.Error) string {
		return thenServer(h, "the capability's outputRawFormat does not match what the upstream sends")
	},
}

// setInServer words an unset variable (or credential) as the server's to set.
func setInServer(what string) func(string, *spec.Error) string {
	return func(_ string, e *spec.Error) string {
		return "set " + e.Env[0] + what + " in the server's environment, or bind it from a key file (location: file://…), and restart the server"
	}
}

// serverEnv words environment variables as the server's to set.
func serverEnv(names []string) string {
	return "set " + strings.Join(names, ", ") + " in the server's environment and restart the server"
}

// restWording words errors for a REST client: inputs are the request's
// path, query or body inputs.
var restWording = spec.Wording{Remedies: serverRemedies, Env: serverEnv,
	Inputs: func(in []string) string {
		return "supply " + strings.Join(quoteAll(in), ", ") + " in the request (path, query or JSON body)"
	}}

// mcpWording words errors for an MCP client: inputs are tool arguments.
var mcpWording = spec.Wording{Remedies: serverRemedies, Env: serverEnv,
	Inputs: func(in []string) string {
		return "supply the tool argument" + plural(len(in)) + " " + strings.Join(quoteAll(in), ", ")
	}}

// thenServer adds the server's way out to the library's hint.
func thenServer(h, more string) string {
	if h == "" {
		return more
	}
	return h + "; " + more
}
