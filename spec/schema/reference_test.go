package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/engine/enginetest"
	"github.com/naftiko/naftiko/spec"
)

// counts returns the errors (fatal included) and the diagnostics of the
// rules that mean "naftiko does not understand this shape". A missing field
// the reference's own schema requires (resources and prompts without
// `display` in the MCP fixtures) is a fair warning, not a shape naftiko
// misreads.
func counts(ds []spec.Diagnostic) (errs int, shape []spec.Diagnostic) {
	for _, d := range ds {
		if d.Severity == spec.SeverityError || d.Severity == spec.SeverityFatal {
			errs++
		}
		if d.Rule == "unknown-field" || d.Rule == "wrong-kind" || (d.Rule == "schema" && d.Severity != spec.SeverityInfo &&
			!strings.Contains(d.Message, "which the ikanos schema requires")) {
			shape = append(shape, d)
		}
	}
	return errs, shape
}

// TestReferenceTutorialValidates: every step of the reference tutorial
// validates with 0 errors and no unknown-field, wrong-kind or schema
// diagnostics.
func TestReferenceTutorialValidates(t *testing.T) {
	dir := enginetest.ReferenceDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "tutorial", "step-*.yml"))
	if len(files) != 11 {
		t.Fatalf("%d tutorial steps, want 11", len(files))
	}
	for _, f := range files {
		errs, shape := counts(ValidateFile(f, ValidateOptions{}))
		if errs != 0 || len(shape) != 0 {
			t.Errorf("%s: %d errors; shape diagnostics %v", filepath.Base(f), errs, shape)
		}
	}
}

// The fixtures that only make sense imported into another document: they
// call consumed namespaces declared elsewhere.
var fragmentFixtures = map[string]bool{
	"imports/aggregates/shared.aggregates.yml": true,
	"imports/exposes/shared-servers.yml":       true,
	"imports/exposes/shared.exposes.yml":       true,
}

// TestReferenceFixturesLoad: every fixture of the reference engine loads
// with 0 errors and no shape diagnostics, except fragments (only
// unresolved calls) and the files invalid on purpose (refused with the
// reason the reference gives, see TestReferenceFixturesRefused).
func TestReferenceFixturesLoad(t *testing.T) {
	dir := filepath.Join(enginetest.ReferenceDir(t), "fixtures")
	var n int
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "imports/invalid/") || rel == "aggregates/aggregate-invalid-ref.yaml" {
			return nil
		}
		n++
		ds := ValidateFile(path, ValidateOptions{})
		errs, shape := counts(ds)
		if fragmentFixtures[rel] {
			for _, d := range ds {
				if d.Severity >= spec.SeverityError && d.Rule != "call-unresolved" {
					t.Errorf("%s: %v", rel, d)
				}
			}
			errs = 0
		}
		if errs != 0 || len(shape) != 0 {
			t.Errorf("%s: %d errors; shape diagnostics %v", rel, errs, shape)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 36 {
		t.Errorf("%d fixtures loaded, want at least 36", n)
	}
}

// TestReferenceFixturesRefused: the fixtures invalid on purpose are
// refused for the reason the reference's tests give.
func TestReferenceFixturesRefused(t *testing.T) {
	dir := filepath.Join(enginetest.ReferenceDir(t), "fixtures")
	// aggregate-invalid-ref.yaml: the reference fails fast on the unknown ref.
	ds := ValidateFile(filepath.Join(dir, "aggregates", "aggregate-invalid-ref.yaml"), ValidateOptions{})
	wantDiag(t, ds, spec.SeverityError, "call-unresolved", "`ref: unknown.nonexistent` names no aggregate function")

	// imports/invalid: imported into a capability, the empty section
	// ("No consumes entries") and the malformed file ("Failed to load") are
	// refused, and a call into them cannot run.
	tmp := t.TempDir()
	for name, want := range map[string]string{
		"empty-section.consumes.yml": "has no consumes entries",
		"malformed.yml":              "could not be loaded",
	} {
		src := filepath.Join(dir, "imports", "invalid", name)
		cap := "ikanos: \"1.0.0-beta5\"\ncapability:\n  consumes:\n    - import: weather-api\n      from: " + src +
			"\n  exposes:\n    - type: mcp\n      port: 3000\n      namespace: m\n      tools:\n        - name: t\n" +
			"          description: d\n          call: weather-api.get-forecast\n"
		f := filepath.Join(tmp, "cap.yml")
		if err := os.WriteFile(f, []byte(cap), 0o644); err != nil {
			t.Fatal(err)
		}
		ds := ValidateFile(f, ValidateOptions{})
		wantDiag(t, ds, spec.SeverityWarning, "", want)
		wantDiag(t, ds, spec.SeverityError, "call-unresolved", want)
	}
}

func wantDiag(t *testing.T, ds []spec.Diagnostic, sev spec.Severity, rule, msg string) {
	t.Helper()
	for _, d := range ds {
		if d.Severity == sev && (rule == "" || d.Rule == rule) && strings.Contains(d.Message, msg) {
			return
		}
	}
	t.Errorf("no %v %s diagnostic containing %q in %v", sev, rule, msg, ds)
}

// TestReferenceFixturesImported: the import fixtures are sources of the
// four sections; a capability importing them (consumes, aggregates,
// exposes, with an alias) loads with 0 errors, and the imported exposes
// call the consumed operation of the importing document.
func TestReferenceFixturesImported(t *testing.T) {
	dir := filepath.Join(enginetest.ReferenceDir(t), "fixtures", "imports")
	doc := `ikanos: "1.0.0-beta5"
capability:
  consumes:
    - {import: weather-api, from: DIR/consumes/shared.consumes.yml}
  aggregates:
    - {import: forecast, from: DIR/aggregates/shared.aggregates.yml}
  exposes:
    - {import: weather-mcp, from: DIR/exposes/shared.exposes.yml}
    - {import: weather-rest, from: DIR/exposes/shared-servers.yml, as: api}
    - {import: nope, from: DIR/exposes/shared.exposes.yml}
    - {import: x, from: DIR/invalid/empty-section.consumes.yml}
`
	f := filepath.Join(t.TempDir(), "cap.yml")
	if err := os.WriteFile(f, []byte(strings.ReplaceAll(doc, "DIR", dir)), 0o644); err != nil {
		t.Fatal(err)
	}
	ds := ValidateFile(f, ValidateOptions{})
	if errs, shape := counts(ds); errs != 0 || len(shape) != 0 {
		t.Errorf("%d errors; shape diagnostics %v", errs, shape)
	}
	wantDiag(t, ds, spec.SeverityWarning, "import-not-found", "shared.exposes.yml declares no exposes entry with namespace `nope`")
	wantDiag(t, ds, spec.SeverityWarning, "import-not-found", "empty-section.consumes.yml has no exposes entries")
	c, err := spec.LoadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range c.Exposes {
		for _, tool := range x.Tools {
			got = append(got, x.Type+" "+x.Namespace+" "+tool.Name+" -> "+tool.Target.Adapter.Namespace+"."+tool.Target.Op.Name)
		}
		for _, r := range x.Resources {
			for _, o := range r.Operations {
				got = append(got, x.Type+" "+x.Namespace+" "+o.Name+" -> "+o.Target.Adapter.Namespace+"."+o.Target.Op.Name)
			}
		}
	}
	if strings.Join(got, "; ") != "mcp weather-mcp get-weather -> weather-api.get-forecast; rest api get-weather -> weather-api.get-forecast" {
		t.Errorf("imported exposes: %v", got)
	}
	if len(c.Aggregates) != 1 || c.Aggregates[0].Namespace != "forecast" || c.Aggregates[0].Functions[0].Target == nil {
		t.Errorf("imported aggregates: %+v", c.Aggregates)
	}
}
