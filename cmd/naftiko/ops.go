package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// newOpsCmd builds "naftiko ops".
func (a *app) newOpsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "ops FILE",
		Short: "List the operations a capability can call",
		Long: `List the consumed operations of a capability, one per line in declaration
order: the reference to pass to "naftiko run", the HTTP method, the path
(resource path and operation path, placeholders unrendered) and the first
line of the description.

The reference is the operation's name when that is unambiguous, else
NAMESPACE.NAME, else NAMESPACE.RESOURCE.NAME. Columns are aligned on a
terminal and separated by one tab when the output is piped, for cut(1) and
awk(1). The command succeeds whenever the document loads.`,
		Example: `  naftiko ops capabilities/clerk/organization-memberships.yaml

  # The operations that read, by reference.
  naftiko ops capabilities/clerk/organization-memberships.yaml | awk -F'\t' '$2 == "GET" {print $1}'`,
		Args:              opsArgs,
		ValidArgsFunction: completeCapabilityFile,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.load(args[0])
			if err != nil {
				return err
			}
			e, err := engine.New(c)
			if err != nil {
				return err
			}
			return writeOps(a.stdout, e.Operations(), isTerminal(a.stdout))
		},
	}
}

// opsArgs checks the positional arguments of "naftiko ops".
func opsArgs(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return &spec.Error{Kind: spec.KindUsage, Msg: "ops needs a capability FILE",
			Hint: "naftiko ops capabilities/clerk/organization-memberships.yaml"}
	case len(args) > 1:
		return &spec.Error{Kind: spec.KindUsage,
			Msg:  fmt.Sprintf("ops takes one FILE, got %d arguments", len(args)),
			Hint: "list the operations of one file at a time"}
	}
	return nil
}

// writeOps prints one line per operation: reference, method, path and the
// first line of the description; aligned when aligned is set, else
// separated by tabs.
func writeOps(w io.Writer, ops []*engine.Operation, aligned bool) error {
	out := w
	var tw *tabwriter.Writer
	if aligned {
		tw = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		out = tw
	}
	for _, op := range ops {
		line := op.Ref + "\t" + op.Method + "\t" + op.Path
		if d := firstLine(op.Description); d != "" || !aligned {
			line += "\t" + d
		}
		if _, err := fmt.Fprintln(out, line); err != nil {
			return outputError(err)
		}
	}
	if tw != nil {
		if err := tw.Flush(); err != nil {
			return outputError(err)
		}
	}
	return nil
}
