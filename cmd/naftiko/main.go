// Command naftiko calls the HTTP operations described by a naftiko
// capability document.
//
//	naftiko run capabilities/clerk/organization-memberships.yaml \
//	    ListOrganizationMemberships --param organization_id=org_2RwC6
//
// README.md documents every command and flag. The command is a thin shell
// over Main, which tests call in-process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(mainWithSignals())
}

// mainWithSignals runs Main on the process's arguments and standard
// streams, cancelling its context on SIGINT or SIGTERM.
func mainWithSignals() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
