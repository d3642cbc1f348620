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
