package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/naftiko/naftiko/spec/program"
)

// flagSuggestions returns the flags of cmd close to the unknown flag that
// pflag's message msg names, as "`--name`" for the hint:
//
//	unknown flag: --dryrun                  → `--dry-run`
//	unknown shorthand flag: 'd' in -dry-run → `--dry-run` (one dash too few)
func flagSuggestions(cmd *cobra.Command, msg string) []string {
	var name string
	switch {
	case strings.HasPrefix(msg, "unknown flag: --"):
		name = strings.TrimPrefix(msg, "unknown flag: --")
	case strings.HasPrefix(msg, "unknown shorthand flag: "):
		_, word, ok := strings.Cut(msg, " in -")
		if !ok || len(word) < 2 {
			return nil
		}
		name = word
	default:
		return nil
	}
	name, _, _ = strings.Cut(name, "=")
	var names []string
	visit := func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	}
	cmd.LocalFlags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	var out []string
	for _, s := range program.Suggest(name, names, 2) {
		out = append(out, "`--"+s+"`")
	}
	return out
}

// strictHelpAndCompletion makes "naftiko help TOPIC" and "naftiko
// completion SHELL" usage errors with suggestions when TOPIC or SHELL is
// unknown; cobra prints a help page and exits 0 for both.
func strictHelpAndCompletion(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			run := c.Run
			c.Run = nil
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					if found, rest, err := root.Find(args); err != nil || found == root || len(rest) > 0 {
						return unknownCommand(root, "help topic", args[0])
					}
				}
				run(cmd, args)
				return nil
			}
		case "completion":
			c.Args = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return unknownCommand(cmd, "shell", args[0])
				}
				return nil
			}
			c.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
		}
	}
}

// unknownCommand is the usage error for an unknown subcommand name of
// parent, with the closest names.
func unknownCommand(parent *cobra.Command, what, name string) error {
	var names []string
	for _, c := range parent.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	e := usageErrorf("unknown %s %q for %q", what, name, parent.CommandPath())
	e.Hint = "run '" + parent.CommandPath() + " --help' for usage"
	if s := program.Suggest(name, names, 2); len(s) > 0 {
		e.Hint = "did you mean `" + strings.Join(s, "` or `") + "`? " + e.Hint
	}
	return e
}
