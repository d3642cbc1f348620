package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/engine"
)

// runHelp prints the help of "naftiko run": generated from the file for
// "run FILE OPERATION --help" (the operation and its inputs) and
// "run FILE --help" (the operations), cobra's own otherwise.
func (a *app) runHelp(c *cobra.Command, defaultHelp func(*cobra.Command, []string)) {
	args := c.Flags().Args()
	if len(args) == 0 || c.Name() != "run" {
		defaultHelp(c, args)
		return
	}
	c2, err := a.load(commandContext(c), args[0])
	if err == nil {
		var e *engine.Engine
		if e, err = engine.New(c2); err == nil {
			if len(args) == 1 {
				a.fileHelp(c, args[0], e)
				return
			}
			var op *engine.Operation
			if op, err = e.Resolve(args[1]); err == nil {
				a.printWarnings(c2, op.Source, false)
				a.opHelp(c, args[0], args[1], op)
				return
			}
		}
	}
	a.code = a.finish(commandContext(c), c, err)
}

// opHelp prints the help page of one operation (SPEC.md §6.4).
func (a *app) opHelp(c *cobra.Command, file, ref string, op *engine.Operation) {
	w := c.OutOrStdout()
	fmt.Fprintf(w, "Usage:\n  naftiko run %s %s [--param NAME=VALUE]... [flags]\n\n", file, ref)
	if d := strings.TrimSpace(op.Description); d != "" {
		fmt.Fprintf(w, "%s\n\n", d)
	}
	fmt.Fprintf(w, "Operation:\n  %s %s\n", op.Method, op.Path)
	if op.FullRef != ref {
		fmt.Fprintf(w, "  reference: %s\n", op.FullRef)
	}
	fmt.Fprintln(w)
	if len(op.Inputs) == 0 {
		fmt.Fprint(w, "Inputs:\n  none\n\n")
	} else {
		fmt.Fprintln(w, "Inputs:")
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, in := range op.Inputs {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s", in.Name, in.In, inputType(in), requiredText(in.Required))
			if d := firstLine(in.Description); d != "" {
				fmt.Fprintf(tw, "\t%s", d)
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	needsBody := op.CallerBody
	if needsBody != "" {
		fmt.Fprintf(w, "Body:\n  the operation sends a %s body that the file does not describe: supply it with --body @file, --body - or --body TEXT\n\n", needsBody)
	}
	fmt.Fprintf(w, "Example:\n  naftiko run %s %s", file, ref)
	for _, in := range op.Inputs {
		if in.Required {
			fmt.Fprintf(w, " --param %s=%s", in.Name, exampleValue(in))
		}
	}
	if needsBody != "" {
		fmt.Fprint(w, " --body @body.json")
	}
	fmt.Fprint(w, "\n\n")
	printFlags(w, c)
}

// fileHelp prints the help of "naftiko run FILE": the operations of FILE.
func (a *app) fileHelp(c *cobra.Command, file string, e *engine.Engine) {
	w := c.OutOrStdout()
	fmt.Fprintf(w, "Usage:\n  naftiko run %s OPERATION [--param NAME=VALUE]... [flags]\n\n", file)
	ops := e.Operations()
	if len(ops) == 0 {
		fmt.Fprintf(w, "%s declares no consumed operation.\n\n", file)
	} else {
		fmt.Fprintf(w, "Operations of %s:\n", file)
		tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
		for _, op := range ops {
			fmt.Fprintf(tw, "  %s\t%s\t%s", op.Ref, op.Method, op.Path)
			if d := firstLine(op.Description); d != "" {
				fmt.Fprintf(tw, "\t%s", d)
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		fmt.Fprintf(w, "\nShow the inputs of one:\n  naftiko run %s OPERATION --help\n\n", file)
	}
	printFlags(w, c)
}

// printFlags prints the flag section of a help page.
func printFlags(w io.Writer, c *cobra.Command) {
	fmt.Fprintf(w, "Flags:\n%s", c.LocalFlags().FlagUsages())
	if c.HasAvailableInheritedFlags() {
		fmt.Fprintf(w, "\nGlobal Flags:\n%s", c.InheritedFlags().FlagUsages())
	}
}

// inputType is an input's declared type, "string" when absent.
func inputType(in engine.Input) string {
	if in.Type == "" {
		return "string"
	}
	return in.Type
}

// requiredText says whether an input is required.
func requiredText(required bool) string {
	if required {
		return "required"
	}
	return "optional"
}

// exampleValue is a placeholder value for an input in a generated example.
func exampleValue(in engine.Input) string {
	switch inputType(in) {
	case "integer", "number":
		return "0"
	case "boolean":
		return "true"
	case "object":
		return "@" + in.Name + ".json"
	}
	return "VALUE"
}

// firstLine returns the first non-blank line of s, trimmed.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// commandContext returns the context c runs under (the one given to
// Main), or a background context when cobra gives it none.
func commandContext(c *cobra.Command) context.Context {
	if ctx := c.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
