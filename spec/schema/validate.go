package schema

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/internal/yamlnode"
	"github.com/naftiko/naftiko/spec/program"
)

// ValidateOptions configures ValidateBytes and ValidateFile.
type ValidateOptions struct {
	// Strict makes every schema violation an error, unknown fields
	// included (naftiko validate --strict).
	Strict bool
}

// ValidateRules lists the rules that validation adds to the loader's and
// the lint rules, for documentation.
var ValidateRules = []spec.Rule{
	{ID: "schema", Summary: "the document violates the project's JSON Schema for its version: a warning when naftiko tolerates it (the dialect of SPEC.md §2.4), an error under --strict"},
	{ID: "project-extension", Summary: "a field the project adds to the published schema: consumed OAuth2 client fields, operation-level authentication (info, not printed)"},
	{ID: "internal", Summary: "a bug in naftiko stopped the validation of the file (please report it)"},
}

// ValidateFile reads the document at path and validates it with
// ValidateBytes. A file that cannot be read gives one error diagnostic at
// path:1:1.
func ValidateFile(path string, opts ValidateOptions) []spec.Diagnostic {
	data, err := spec.ReadFile(path)
	if err != nil {
		return spec.AsError(err).Diagnostics
	}
	return ValidateBytes(data, path, opts)
}

// ValidateBytes checks a document the way `naftiko validate` does
// (SPEC.md §3): it loads it (name is the file name, "" for standard input,
// reported as "<stdin>"), validates it against the project's JSON Schema
// for its version, and runs the lint rules. It returns every diagnostic,
// infos included, sorted by file, line, column, rule and message.
//
// By default a schema violation is a warning (naftiko runs the document
// anyway); with opts.Strict it is an error, as are unknown fields reported
// by the loader. When the document cannot be loaded, the loader's
// diagnostics are returned, with the schema's where the YAML tree is sound.
func ValidateBytes(data []byte, name string, opts ValidateOptions) (out []spec.Diagnostic) {
	file := name
	if file == "" {
		file = "<stdin>"
	}
	defer func() {
		if r := recover(); r != nil {
			out = []spec.Diagnostic{{Pos: spec.Pos{File: file, Line: 1, Col: 1}, Severity: spec.SeverityError, Rule: "internal",
				Message: fmt.Sprintf("validating %s: internal error: %v", file, r)}}
		}
	}()
	c, root, err := spec.ParseWithNode(data, name)
	if err != nil {
		e := spec.AsError(err)
		diags := slices.Clone(e.Diagnostics)
		if len(diags) == 0 {
			p := e.Pos
			if p.IsZero() {
				p = spec.Pos{File: file, Line: 1, Col: 1}
			}
			diags = []spec.Diagnostic{{Pos: p, Severity: spec.SeverityError, Rule: "internal", Message: e.Msg}}
		}
		var schema []spec.Diagnostic
		if e.Kind == spec.KindSpec && root != nil && treeSound(diags) {
			if rootKey, version := versionOf(yamlnode.Deref(root)); rootKey != "" {
				schema = schemaCheck(file, root, schemaKey(rootKey, version), schemaSeverity(opts))
			}
		}
		return merge(diags, schema, nil, opts)
	}
	return validate(c, root, opts)
}

// validate checks a loaded capability: the schema (when root, the
// document's YAML root node, is known) and the lint rules, merged with the
// capability's load diagnostics.
func validate(c *spec.Capability, root *yaml.Node, opts ValidateOptions) []spec.Diagnostic {
	var schema []spec.Diagnostic
	if root != nil {
		schema = schemaCheck(c.File, root, schemaKey(c.Root, c.Version), schemaSeverity(opts))
	}
	lint := program.Lint(c)
	lint = append(lint, extensions(c)...)
	return merge(slices.Clone(c.Diagnostics), schema, lint, opts)
}

func schemaSeverity(opts ValidateOptions) spec.Severity {
	if opts.Strict {
		return spec.SeverityError
	}
	return spec.SeverityWarning
}

// treeSound reports whether the YAML tree of a failed load can be walked
// safely: the load failed on a problem of the model, not of the YAML
// (syntax, aliases, depth, size).
func treeSound(diags []spec.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity != spec.SeverityFatal {
			continue
		}
		switch d.Rule {
		case "duplicate-key", "wrong-kind", "merge-key":
		default:
			return false
		}
	}
	return true
}

// versionOf returns the version key ("naftiko" or "ikanos") of a document
// root and its value, or "" when there is none or both.
func versionOf(root *yaml.Node) (key, version string) {
	n, i := yamlnode.Field(root, "naftiko"), yamlnode.Field(root, "ikanos")
	switch {
	case n != nil && i == nil:
		return "naftiko", yamlnode.Scalar(n)
	case i != nil && n == nil:
		return "ikanos", yamlnode.Scalar(i)
	}
	return "", ""
}

// lintSeverity is the severity of a loader rule under validation when it
// differs from the loader's (SPEC.md §3).
var lintSeverity = map[string]spec.Severity{
	"namespace-unique": spec.SeverityError,
	"call-ambiguous":   spec.SeverityError,
}

// merge combines the loader's diagnostics with the schema's and the lint
// rules', adjusting severities for validation and dropping duplicates: a
// schema violation at a position where the loader already reported a
// problem says the same thing less precisely, and a lint rule the loader
// already reported on the same line is not repeated.
func merge(load, schema, lint []spec.Diagnostic, opts ValidateOptions) []spec.Diagnostic {
	type at struct {
		file      string
		line, col int
	}
	type onLine struct {
		file, rule string
		line       int
	}
	reported := map[at][]spec.Diagnostic{}
	rules := map[onLine]bool{}
	for i, d := range load {
		if sev, ok := lintSeverity[d.Rule]; ok && d.Severity > sev {
			d.Severity = sev
		}
		if opts.Strict && d.Rule == "unknown-field" && d.Severity > spec.SeverityError {
			d.Severity = spec.SeverityError
		}
		load[i] = d
		if d.Severity != spec.SeverityInfo {
			k := at{d.Pos.File, d.Pos.Line, d.Pos.Col}
			reported[k] = append(reported[k], d)
		}
		rules[onLine{d.Pos.File, d.Rule, d.Pos.Line}] = true
	}
	out := load
	for _, d := range schema {
		if covered(reported[at{d.Pos.File, d.Pos.Line, d.Pos.Col}], opts) {
			continue
		}
		out = append(out, d)
	}
	for _, d := range lint {
		if rules[onLine{d.Pos.File, d.Rule, d.Pos.Line}] {
			continue
		}
		out = append(out, d)
	}
	spec.SortDiagnostics(out)
	return slices.CompactFunc(out, func(a, b spec.Diagnostic) bool { return a == b })
}

// covered reports whether the loader's diagnostics at a position make a
// schema violation there redundant: an error always does, and so does an
// unknown-field report; by default any warning does too.
func covered(ds []spec.Diagnostic, opts ValidateOptions) bool {
	for _, d := range ds {
		if d.Severity <= spec.SeverityError || d.Rule == "unknown-field" || !opts.Strict {
			return true
		}
	}
	return false
}

// extensions reports (info) the fields the project adds to the published
// schema: OAuth2 client fields and operation-level authentication on
// consumed adapters (SPEC.md §3).
func extensions(c *spec.Capability) []spec.Diagnostic {
	var out []spec.Diagnostic
	oauth := func(a *spec.Auth) {
		if a == nil || a.Type != "oauth2" {
			return
		}
		for _, f := range []string{"clientId", "clientSecret"} {
			if t := a.Fields[f]; t != nil {
				out = append(out, spec.Diagnostic{Pos: t.Pos, Severity: spec.SeverityInfo, Rule: "project-extension",
					Message: fmt.Sprintf("OAuth2 `%s` on a consumed adapter is a naftiko addition to the published schema", f)})
			}
		}
	}
	for _, a := range c.Consumes {
		if a.ImportedFrom != "" {
			continue
		}
		oauth(a.Auth)
		for _, r := range a.Resources {
			for _, o := range r.Operations {
				if o.Auth != nil {
					out = append(out, spec.Diagnostic{Pos: o.Auth.Pos, Severity: spec.SeverityInfo, Rule: "project-extension",
						Message: fmt.Sprintf("`authentication` on operation `%s` is a naftiko addition to the published schema", o.Name)})
					oauth(o.Auth)
				}
			}
		}
	}
	return out
}
