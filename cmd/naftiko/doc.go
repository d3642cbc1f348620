// Command naftiko calls the HTTP operations described by a naftiko
// capability document.
//
//	naftiko run capabilities/clerk/organization-memberships.yaml \
//	    ListOrganizationMemberships --param organization_id=org_2RwC6
//
// README.md documents every command and flag. The command is a thin shell
// over Main, which tests call in-process.
//
// The command owns the CLI's wording: flags, help, output formats, and the
// edge at which errors become messages and exit codes. It may import every
// package of the module except internal ones: spec (load), spec/schema
// (validate), spec/program (the compiled capability), binder (--env-file),
// engine (run) and engine/serve (serve). A call flows
// run flags → spec.LoadFile → program.Compile (through engine.New) →
// Engine.Resolve → Engine.CallOp → the wire; README.md, "Layout", draws it.
package main
