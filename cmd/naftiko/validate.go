package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/schema"
)

// validateErrors is the exit status of "naftiko validate" when it
// reports an error (SPEC.md §3: its own statuses, not §10's).
const validateErrors = 1

// newValidateCmd builds "naftiko validate".
func (a *app) newValidateCmd() *cobra.Command {
	var (
		format string
		strict bool
	)
	cmd := &cobra.Command{
		Use:   "validate [--format text|json] [--strict] FILE...",
		Short: "Check capability documents: schema and lint rules",
		Long: `Check capability documents the way "go vet" checks Go code. Each FILE is
loaded, validated against naftiko's JSON Schema for its version (naftiko
1.0.0-alpha1, alpha2 and alpha3, and the ikanos forms), and checked by lint
rules: unresolved calls, duplicate namespaces, undeclared path parameters,
unused binds, templates that name nothing, and more. "-" reads a document from
standard input, reported as <stdin>.

Each problem is printed on stdout as one line

  FILE:LINE:COL: error|warning: MESSAGE (HINT) [RULE]

sorted by file, line, column, rule and message, and a summary line goes to
stderr. --format json prints a JSON array of {file, line, column, severity,
rule, message} objects instead ([] when there is nothing to report).

By default, schema violations that naftiko tolerates (unknown fields and the
real-world spellings it reads) are warnings, and problems it cannot run are
errors. --strict makes every schema violation an error.

Exit status: 0 when there is no error, 1 when there is at least one (a file
that cannot be read is an error at FILE:1:1), 2 on usage errors such as a
bad flag or no FILE.`,
		Example: `  naftiko validate capabilities/clerk/organization-memberships.yaml

  # Every capability of a directory, failing on any schema violation.
  naftiko validate --strict capabilities/*/*.yaml

  # Machine-readable output, from standard input.
  cat capability.yaml | naftiko validate --format json -`,
		Args:              validateArgs,
		ValidArgsFunction: completeValidateFile,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				e := usageErrorf("unknown --format %q", format)
				e.Hint = "use --format text or --format json"
				return e
			}
			opts := schema.ValidateOptions{Strict: strict}
			var diags []spec.Diagnostic
			for _, f := range args {
				if f == "-" {
					data, err := a.stdin.read(cmd.Context(), "the capability file -")
					if err != nil {
						return err
					}
					diags = append(diags, schema.ValidateBytes(data, "", opts)...)
					continue
				}
				diags = append(diags, schema.ValidateFile(f, opts)...)
			}
			shown := diags[:0:0]
			for _, d := range diags {
				if d.Severity != spec.SeverityInfo {
					shown = append(shown, d)
				}
			}
			spec.SortDiagnostics(shown)
			var err error
			if format == "json" {
				err = writeDiagnosticsJSON(a.stdout, shown)
			} else {
				err = writeDiagnosticsText(a.stdout, shown)
			}
			if err != nil {
				return outputError(err)
			}
			errs, warns := countDiagnostics(shown)
			fmt.Fprintln(a.stderr, validateSummary(errs, warns, len(args)))
			if errs > 0 {
				return &reportedError{code: validateErrors}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.BoolVar(&strict, "strict", false, "report every schema violation, unknown fields included, as an error")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"text", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// validateArgs requires at least one FILE.
func validateArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return &spec.Error{Kind: spec.KindUsage, Msg: "validate needs at least one capability FILE",
			Hint: "naftiko validate capabilities/clerk/organization-memberships.yaml (or - for stdin)"}
	}
	return nil
}

// completeValidateFile completes every positional argument with YAML files.
func completeValidateFile(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// writeDiagnosticsText prints one diagnostic per line:
// file:line:col: severity: message (hint) [rule].
func writeDiagnosticsText(w io.Writer, ds []spec.Diagnostic) error {
	for _, d := range ds {
		if _, err := fmt.Fprintln(w, d.String()); err != nil {
			return err
		}
	}
	return nil
}

// jsonDiagnostic is one element of the --format json array.
type jsonDiagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// writeDiagnosticsJSON prints the diagnostics as a JSON array (one object
// per line), the hint appended to the message as in the text format.
func writeDiagnosticsJSON(w io.Writer, ds []spec.Diagnostic) error {
	out := make([]jsonDiagnostic, len(ds))
	for i, d := range ds {
		msg := d.Message
		if d.Hint != "" {
			msg += " (" + d.Hint + ")"
		}
		out[i] = jsonDiagnostic{File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col,
			Severity: d.Severity.String(), Rule: d.Rule, Message: msg}
	}
	if len(out) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, d := range out {
		b.WriteString("  ")
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(d); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // the encoder's newline
		if i < len(out)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

// countDiagnostics counts errors (fatal included) and warnings.
func countDiagnostics(ds []spec.Diagnostic) (errs, warns int) {
	for _, d := range ds {
		switch d.Severity {
		case spec.SeverityFatal, spec.SeverityError:
			errs++
		case spec.SeverityWarning:
			warns++
		}
	}
	return errs, warns
}

// validateSummary phrases the summary line: "2 errors, 3 warnings in 1 file".
func validateSummary(errs, warns, files int) string {
	plural := func(n int, what string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, what)
		}
		return fmt.Sprintf("%d %ss", n, what)
	}
	return fmt.Sprintf("%s, %s in %s", plural(errs, "error"), plural(warns, "warning"), plural(files, "file"))
}
