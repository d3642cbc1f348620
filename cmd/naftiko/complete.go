package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// Shell completion. Completion never prints diagnostics: a file that does
// not load simply completes nothing.

// completeCapabilityFile completes the FILE argument with YAML files.
func completeCapabilityFile(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeRunArgs completes "naftiko run FILE OPERATION": FILE with YAML
// files, OPERATION with the references of FILE's operations.
func (a *app) completeRunArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return completeCapabilityFile(cmd, args, toComplete)
	case 1:
		e := quietEngine(args[0])
		if e == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, op := range e.Operations() {
			if strings.HasPrefix(op.Ref, toComplete) {
				out = append(out, cobra.CompletionWithDesc(op.Ref, firstLine(op.Description)))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeParam completes --param with NAME= for each input of the chosen
// operation, the values true and false for a boolean input, and file
// names after NAME=@.
func (a *app) completeParam(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	// NAME=@path completes file names, whatever the operation.
	if name, value, ok := strings.Cut(toComplete, "="); ok {
		if path, ok := strings.CutPrefix(value, "@"); ok && !strings.HasPrefix(path, "@") {
			return completeAtPath(name+"=@", path)
		}
	}
	if len(args) < 2 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	e := quietEngine(args[0])
	if e == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	op, err := e.Resolve(args[1])
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	if name, _, ok := strings.Cut(toComplete, "="); ok {
		i := slices.IndexFunc(op.Inputs, func(in engine.Input) bool { return in.Name == name })
		if i >= 0 && op.Inputs[i].Type == "boolean" {
			return []cobra.Completion{name + "=true", name + "=false"}, cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, in := range op.Inputs {
		if strings.HasPrefix(in.Name, toComplete) {
			desc := inputType(in) + ", " + requiredText(in.Required)
			if d := firstLine(in.Description); d != "" {
				desc += ": " + d
			}
			out = append(out, cobra.CompletionWithDesc(in.Name+"=", desc))
		}
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// completeBody completes --body: "@" then file names after it, and "-"
// for stdin.
func (a *app) completeBody(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if path, ok := strings.CutPrefix(toComplete, "@"); ok {
		return completeAtPath("@", path)
	}
	if toComplete == "" {
		return []cobra.Completion{cobra.CompletionWithDesc("@", "read the body from a file"),
			cobra.CompletionWithDesc("-", "read the body from stdin")}, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeAtPath completes the file name partial of an @path value whose
// text before the path is lead ("@" or "NAME=@"): the entries of partial's
// directory that start with its last element, directories with a trailing
// "/" and no space after them so that completion continues inside. Hidden
// entries appear only when partial's last element starts with a dot.
func completeAtPath(lead, partial string) ([]cobra.Completion, cobra.ShellCompDirective) {
	dir, base := filepath.Split(partial)
	read := dir
	if read == "" {
		read = "."
	}
	entries, err := os.ReadDir(read)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	dirs := 0
	for _, en := range entries {
		name := en.Name()
		if !strings.HasPrefix(name, base) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".")) {
			continue
		}
		v := lead + dir + name
		if fi, err := os.Stat(filepath.Join(read, name)); err == nil && fi.IsDir() {
			v += "/"
			dirs++
		}
		out = append(out, v)
	}
	directive := cobra.ShellCompDirectiveNoFileComp
	if dirs > 0 || len(out) > 1 {
		directive |= cobra.ShellCompDirectiveNoSpace
	}
	return out, directive
}

// completeBaseURI completes --base-uri with NAMESPACE= for each consumed
// adapter of FILE.
func (a *app) completeBaseURI(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return completeNamespaces(args, toComplete, func(c *spec.Capability) (ns []string) {
		for _, ad := range c.Consumes {
			ns = append(ns, ad.Namespace)
		}
		return ns
	})
}

// completePort completes --port with the namespaces of the document's
// exposes adapters served over HTTP (the ones --port can move), followed
// by "=".
func (a *app) completePort(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return completeNamespaces(args, toComplete, func(c *spec.Capability) (ns []string) {
		for _, x := range c.Exposes {
			if x.OverHTTP() {
				ns = append(ns, x.Namespace)
			}
		}
		return ns
	})
}

// completeNamespaces offers "NS=" for the namespaces names lists in the
// document args[0], those starting with toComplete.
func completeNamespaces(args []string, toComplete string, names func(*spec.Capability) []string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) < 1 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	c, err := spec.LoadFile(args[0])
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, ns := range names(c) {
		v := ns + "="
		if strings.HasPrefix(v, toComplete) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

// quietEngine loads path and builds an engine, or returns nil.
func quietEngine(path string) *engine.Engine {
	c, err := spec.LoadFile(path)
	if err != nil {
		return nil
	}
	e, err := engine.New(c)
	if err != nil {
		return nil
	}
	return e
}
