package main

import (
	"fmt"
	"io"
	"strings"
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
			c, err := a.load(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			e, err := engine.New(c)
			if err != nil {
				return err
			}
			ops := e.Operations()
			if err := writeOps(a.stdout, ops, isTerminal(a.stdout)); err != nil {
				return err
			}
			if len(ops) == 0 {
				a.explainNoOps(args[0], c)
			}
			return a.opsElementErrors(c, ops)
		},
	}
}

// opsElementErrors prints on stderr the element errors of the listed
// operations (their adapter, resource or operation) and makes ops fail
// (exit 2) when there is one: an operation such as one with "method: 42"
// is listed but cannot be called.
func (a *app) opsElementErrors(c *spec.Capability, ops []*engine.Operation) error {
	starts := regionStarts(c)
	listed := map[spec.Pos]bool{}
	for _, op := range ops {
		for _, p := range usedPositions(op.Source) {
			listed[regionKey(p)] = true
		}
	}
	n := 0
	for _, d := range c.Diagnostics {
		if d.Severity > spec.SeverityError {
			continue
		}
		if owner, ok := regionOf(starts[d.Pos.File], d.Pos.Line); ok && listed[spec.Pos{File: d.Pos.File, Line: owner}] {
			fmt.Fprintln(a.stderr, d.String())
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return &reportedError{code: 2}
}

// explainNoOps says on stderr why a document that loads has no operation
// to call: imports that failed, adapters without operations, or no
// consumes section at all (naftiko 1.0.0-alpha1 "tools" and "servers"
// describe what is exposed, not what is called).
func (a *app) explainNoOps(file string, c *spec.Capability) {
	a.warnf("%s has no operation to call:", file)
	reasons := 0
	for _, d := range c.Diagnostics {
		if strings.HasPrefix(d.Rule, "import-") {
			fmt.Fprintf(a.stderr, "  %s\n", d.String())
			reasons++
		}
	}
	for _, ad := range c.Consumes {
		if len(ad.Resources) == 0 && ad.ImportedFrom == "" {
			fmt.Fprintf(a.stderr, "  consumes adapter `%s` declares no resource with operations\n", ad.Namespace)
			reasons++
		}
	}
	if len(c.Consumes) == 0 && reasons == 0 {
		fmt.Fprintln(a.stderr, "  the document declares no `consumes` adapter; `exposes`, `tools` and `servers` describe what it serves, not what it calls")
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
