package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
)

// version is the naftiko version, set at build time with
// -ldflags "-X main.version=v1.2.3".
var version = "dev"

// versionString returns version, or the module version recorded in the
// binary when version was not set at build time.
func versionString() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// exitInterrupted is the exit status after SIGINT or SIGTERM.
const exitInterrupted = 130

// app holds the streams and state of one Main invocation; there is no
// global state, so Main can run concurrently in tests.
type app struct {
	stdin  *stdinOnce
	stdout io.Writer
	stderr io.Writer
	// code, when non-zero, is the exit status of a command that already
	// printed its own error (a help page for a file that fails to load).
	code int
	// noColor is --no-color: no colour on any stream (see term.go).
	noColor bool
	// providers are the bind providers of run and serve, by scheme. The
	// command line registers none; a program embedding naftiko's command
	// (and the tests) may.
	providers map[string]binder.Provider
}

// reportedError is returned by a command that already printed everything
// about its failure; Main only turns it into the exit status.
type reportedError struct{ code int }

func (e *reportedError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs the naftiko command line with args (without the program name)
// and returns the process exit status (SPEC.md §10): 0 success, 1
// transport, output or internal error, 2 usage, spec, binding or request
// error, 4 upstream 4xx, 5 upstream 5xx, 130 when ctx was cancelled (by
// SIGINT or SIGTERM in the real binary).
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return (&app{stdin: &stdinOnce{r: stdin}, stdout: stdout, stderr: stderr}).main(ctx, args)
}

// main runs the command line with args on a's streams.
func (a *app) main(ctx context.Context, args []string) (code int) {
	stdin, stdout, stderr := a.stdin.r, a.stdout, a.stderr
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "naftiko: internal: panic: %v\n", r)
			fmt.Fprintf(stderr, "hint: this is a bug in naftiko; please report it with the command that caused it\n")
			code = 1
		}
	}()
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	return a.finish(ctx, cmd, err)
}

// finish prints err, if any, and returns the exit status.
func (a *app) finish(ctx context.Context, cmd *cobra.Command, err error) int {
	if err == nil {
		return a.code
	}
	var rep *reportedError
	if errors.As(err, &rep) {
		return rep.code
	}
	var se *spec.Error
	if !errors.As(err, &se) {
		// Anything that is not naftiko's error comes from cobra: a bad flag,
		// a missing argument, an unknown command.
		se = cobraUsageError(cmd, err)
	}
	a.printError(se)
	if ctx.Err() != nil {
		return exitInterrupted
	}
	return se.ExitCode()
}

// printError writes the one-line summary of SPEC.md §10 and the hint.
func (a *app) printError(e *spec.Error) {
	color := a.colorOn(a.stderr)
	fmt.Fprintf(a.stderr, "%s %s\n", paint(color, sgrBoldRed, "naftiko:"), e.Error())
	h := cliHint(e)
	if h != "" {
		fmt.Fprintf(a.stderr, "%s %s\n", paint(color, sgrCyan, "hint:"), h)
	}
}

// cobraUsageError turns an error of cobra (or pflag) into a usage error,
// moving cobra's "Did you mean this?" block into the hint.
func cobraUsageError(cmd *cobra.Command, err error) *spec.Error {
	msg, rest, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
	var sugg []string
	if strings.Contains(rest, "Did you mean this?") {
		for _, l := range strings.Split(rest, "\n") {
			if strings.HasPrefix(l, "\t") {
				sugg = append(sugg, "`"+strings.TrimSpace(l)+"`")
			}
		}
	}
	path := "naftiko"
	if cmd != nil {
		path = cmd.CommandPath()
		if len(sugg) == 0 {
			sugg = flagSuggestions(cmd, msg)
		}
	}
	hint := "run '" + path + " --help' for usage"
	if len(sugg) > 0 {
		hint = "did you mean " + strings.Join(sugg, " or ") + "? " + hint
	}
	return &spec.Error{Kind: spec.KindUsage, Msg: msg, Hint: hint}
}

// newRootCmd builds the command tree of one invocation.
func (a *app) newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "naftiko",
		Short: "Call the HTTP operations described by a naftiko capability",
		Long: `naftiko interprets naftiko capability documents: YAML files that describe the
operations of an HTTP API (the "consumes" adapters), how to authenticate to it
and which values to pass.

List the operations of a capability with "naftiko ops FILE", read the inputs of
one with "naftiko run FILE OPERATION --help", and call it with
"naftiko run FILE OPERATION --param NAME=VALUE...". The result is printed on
stdout as JSON; errors go to stderr as one line "naftiko: KIND: ...".

Secrets declared under "binds" are read from the environment (or from
--env-file files) only when a call needs them, and are never printed.`,
		Example: `  # List the operations of the Clerk organization memberships capability.
  naftiko ops capabilities/clerk/organization-memberships.yaml

  # Show the inputs of one operation.
  naftiko run capabilities/clerk/organization-memberships.yaml ListOrganizationMemberships --help

  # Call it.
  export CLERK_SECRET_KEY=sk_test_...
  naftiko run capabilities/clerk/organization-memberships.yaml ListOrganizationMemberships \
      --param organization_id=org_2RwC6 --param user_id=user_a --param user_id=user_b \
      --param order_by=+created_at`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("naftiko {{.Version}}\n")
	root.PersistentFlags().BoolVar(&a.noColor, "no-color", false, "no colour in the output, even on a terminal (also NO_COLOR=1)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cobraUsageError(c, err)
	})
	root.AddCommand(a.newRunCmd(), a.newOpsCmd(), a.newVersionCmd())
	root.AddCommand(a.newServeCmd())
	root.AddCommand(a.newValidateCmd())
	strictHelpAndCompletion(root)
	return root
}

// newVersionCmd builds "naftiko version".
func (a *app) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the naftiko version",
		Long: `Print the version of this naftiko binary as "naftiko VERSION".

Release builds carry their version; a binary built from source says "dev"
unless it was installed with "go install" from a tagged module version.`,
		Example: `  naftiko version
  naftiko --version`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "naftiko %s\n", versionString())
			return nil
		},
	}
}

// noArgs rejects positional arguments with a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &spec.Error{Kind: spec.KindUsage,
			Msg:  fmt.Sprintf("%s takes no arguments, got %q", cmd.CommandPath(), args[0]),
			Hint: "run '" + cmd.CommandPath() + " --help' for usage"}
	}
	return nil
}
