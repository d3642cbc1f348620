package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec"
)

// The shared corpus of published capabilities, when present, and its
// biggest file (1.8 MB, 46,000 lines, 1,158 operations).
const (
	corpusDir         = "../../../shared/corpus"
	largestCorpusFile = corpusDir + "/microsoft-graph__microsoft-graph-drives-driveitem.yaml"
)

// validateText validates src (named t.yaml) and returns the non-info
// diagnostics, one String per line.
func validateText(t *testing.T, src string, strict bool) string {
	t.Helper()
	var b strings.Builder
	for _, d := range ValidateBytes([]byte(src), "t.yaml", ValidateOptions{Strict: strict}) {
		if d.Severity != spec.SeverityInfo {
			b.WriteString(d.String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func TestSchemasCompile(t *testing.T) {
	for key, doc := range schemaDocs {
		if _, err := doc.compiled(); err != nil {
			t.Errorf("%s: %v", key, err)
		}
	}
	for _, c := range []struct{ root, version, want string }{
		{"naftiko", "1.0.0-alpha1", "naftiko-1.0.0-alpha1"},
		{"naftiko", "1.0.0-alpha2", "naftiko-1.0.0-alpha2"},
		{"naftiko", "1.0.0-alpha3", "naftiko-1.0.0-alpha3"},
		{"naftiko", "2.0", "naftiko-1.0.0-alpha3"},
		{"ikanos", "1.0.0-beta5", "ikanos"},
		{"ikanos", "9", "ikanos"},
	} {
		if got := schemaKey(c.root, c.version); got != c.want {
			t.Errorf("schemaKey(%q, %q) = %q, want %q", c.root, c.version, got, c.want)
		}
	}
	if !strings.Contains(string(JSON("naftiko", "1.0.0-alpha2")), `"const": "1.0.0-alpha2"`) {
		t.Errorf("JSON(alpha2) is not the alpha2 schema")
	}
}

func TestSchemaValue(t *testing.T) {
	src := `
a: 2026-05-22
b: 1.0
c: 8080
d: true
e: ~
f: '~'
g: "true"
h: [x, {y: 1}]
base: &base {k: 1, l: 2}
m:
  <<: *base
  l: 3
n: .inf
`
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	got := schemaValue(doc.Content[0])
	want := map[string]any{
		"a": "2026-05-22", "b": 1.0, "c": 8080.0, "d": true, "e": nil, "f": "~", "g": "true",
		"h":    []any{"x", map[string]any{"y": 1.0}},
		"base": map[string]any{"k": 1.0, "l": 2.0},
		"m":    map[string]any{"k": 1.0, "l": 3.0},
		"n":    ".inf",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("schemaValue:\n got %#v\nwant %#v", got, want)
	}
}

const validDoc = `naftiko: 1.0.0-alpha2
info:
  label: Users
  description: Read users.
capability:
  consumes:
  - type: http
    namespace: users-api
    baseUri: https://api.users.test
    resources:
    - name: users
      path: /users
      operations:
      - name: list-users
        method: GET
`

func TestValidateClean(t *testing.T) {
	if got := validateText(t, validDoc, true); got != "" {
		t.Errorf("a valid document gives:\n%s", got)
	}
}

// TestSchemaUnion checks that only the branch selected by a discriminator
// reports errors, once per unexpected property, in sorted order, at the
// property's position.
func TestSchemaUnion(t *testing.T) {
	src := validDoc + `  exposes:
  - type: rest
    namespace: users-rest
    port: 8080
    authentication:
      type: bearer
      zeta: 1
      token: t
      alpha: 2
    resources:
    - path: /users
      operations:
      - method: GET
        call: users-api.list-users
        outputParameters:
        - type: string
          mapping: $.name
          value: x
`
	want := `t.yaml:22:7: warning: unknown field ` + "`zeta`" + ` in ` + "`authentication`" + ` [unknown-field]
t.yaml:24:7: warning: unknown field ` + "`alpha`" + ` in ` + "`authentication`" + ` [unknown-field]
t.yaml:31:11: warning: a scalar output has ` + "`mapping` or `value`" + `, not both (output parameter) [schema]
`
	if got := validateText(t, src, false); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestValidateStrict(t *testing.T) {
	src := strings.Replace(validDoc, "        method: GET\n", "        method: GET\n        timeout: 3\n", 1)
	if got := validateText(t, src, false); !strings.Contains(got, "16:9: warning: unknown field `timeout`") {
		t.Errorf("default:\n%s", got)
	}
	if got := validateText(t, src, true); !strings.Contains(got, "16:9: error: unknown field `timeout`") {
		t.Errorf("strict:\n%s", got)
	}
}

func TestValidateFatal(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"a: [", "t.yaml:2:1: error: YAML syntax error: did not find expected node content [yaml-syntax]\n"},
		{"apiVersion: v1\n", "t.yaml:1:1: error: not a naftiko capability document: it has neither a `naftiko` nor an `ikanos` version key (a capability starts with a version key such as `naftiko: 1.0.0-alpha2`) [not-naftiko]\n" +
			"t.yaml:1:1: warning: unknown field `apiVersion` in the document root [unknown-field]\n"},
	} {
		if got := validateText(t, c.src, false); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
	// A failed load whose tree is sound is also checked against the schema.
	src := validDoc + "info: {label: again}\n"
	got := validateText(t, src, false)
	if !strings.Contains(got, "[duplicate-key]") || !strings.Contains(got, "[schema]") {
		t.Errorf("duplicate key:\n%s", got)
	}
}

func TestValidateFileUnreadable(t *testing.T) {
	ds := ValidateFile(filepath.Join(t.TempDir(), "missing.yaml"), ValidateOptions{})
	if len(ds) != 1 || ds[0].Rule != "read-error" || ds[0].Pos.Line != 1 || ds[0].Pos.Col != 1 || ds[0].Severity.String() != "error" {
		t.Errorf("got %v", ds)
	}
}

func TestValidateIkanos(t *testing.T) {
	src := `ikanos: 1.0.0-beta5
info:
  display: Users
  description: Read users.
capability:
  consumes:
  - type: http
    namespace: users-api
    baseUri: https://api.users.test
    resources:
      users:
        path: /users
        operations:
          list-users:
            method: GET
            colour: blue
`
	want := "t.yaml:16:13: warning: unknown field `colour` in operation `list-users`\n"
	if got := validateText(t, src, false); !strings.HasPrefix(got, strings.TrimSuffix(want, "\n")) {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The same document under a naftiko key is checked against alpha2,
	// which wants lists.
	got := validateText(t, strings.Replace(src, "ikanos: 1.0.0-beta5", "naftiko: 1.0.0-alpha2", 1), false)
	if !strings.Contains(got, "`resources` must be a list, not a mapping [schema]") {
		t.Errorf("naftiko with map-keyed resources:\n%s", got)
	}
}

func TestProjectExtensions(t *testing.T) {
	src := strings.Replace(validDoc, "        method: GET\n", `        method: GET
        authentication:
          type: oauth2
          tokenEndpoint: https://auth.users.test/token
          clientId: '{{env.ID}}'
          clientSecret: '{{env.SECRET}}'
`, 1)
	var rules []string
	for _, d := range ValidateBytes([]byte(src), "t.yaml", ValidateOptions{Strict: true}) {
		rules = append(rules, d.Severity.String()+" "+d.Rule+" "+d.Pos.String())
	}
	want := []string{"info project-extension t.yaml:17:11", "info project-extension t.yaml:19:21", "info project-extension t.yaml:20:25"}
	if !slices.Equal(rules, want) {
		t.Errorf("got %q, want %q", rules, want)
	}
}

// TestValidateCorpus validates every corpus file: no panic, no internal
// error, well-formed and sorted diagnostics, the same result twice.
func TestValidateCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Skipf("no corpus at %s", corpusDir)
	}
	count := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ds := ValidateBytes(data, f, ValidateOptions{})
		for _, d := range ds {
			if d.Rule == "internal" || d.Severity == spec.SeverityFatal || d.Rule == "" || d.Message == "" || d.Pos.IsZero() {
				t.Errorf("%s: %v", f, d)
			}
			if d.Severity != spec.SeverityInfo {
				count[d.Severity.String()+" "+d.Rule]++
			}
		}
		if !slices.IsSortedFunc(ds, func(a, b spec.Diagnostic) int {
			if a.Pos.File != b.Pos.File {
				return strings.Compare(a.Pos.File, b.Pos.File)
			}
			return a.Pos.Line - b.Pos.Line
		}) {
			t.Errorf("%s: diagnostics not sorted", f)
		}
		if again := ValidateBytes(data, f, ValidateOptions{}); !slices.Equal(ds, again) {
			t.Errorf("%s: two validations differ", f)
		}
	}
	if testing.Verbose() {
		keys := make([]string, 0, len(count))
		for k := range count {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			t.Logf("%6d %s", count[k], k)
		}
	}
}

// BenchmarkValidateLargest loads and validates the largest corpus file
// (schema compiled beforehand).
func BenchmarkValidateLargest(b *testing.B) {
	data, err := os.ReadFile(largestCorpusFile)
	if err != nil {
		b.Skipf("%v", err)
	}
	if _, err := schemaDocs[schemaKey("naftiko", "1.0.0-alpha2")].compiled(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ValidateBytes(data, largestCorpusFile, ValidateOptions{})
	}
}

// BenchmarkSchemaCompile measures the one-time cost of compiling a schema.
func BenchmarkSchemaCompile(b *testing.B) {
	for _, key := range []string{"naftiko-1.0.0-alpha2", "ikanos"} {
		b.Run(key, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := compileSchema(schemaDocs[key].file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRulesDocumented checks that every rule id (the loader's, the lint
// rules' and validation's) is listed in the README.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, list := range [][]spec.Rule{spec.Rules, spec.LintRules, ValidateRules} {
		for _, r := range list {
			if !strings.Contains(string(doc), "`"+r.ID+"`") {
				t.Errorf("rule %s is not documented", r.ID)
			}
		}
	}
}

// TestRulesListed checks that ValidateRules lists, once and with a
// summary, every rule id the package emits that the loader and the lint
// rules do not list, and only those.
func TestRulesListed(t *testing.T) {
	others := map[string]bool{}
	for _, list := range [][]spec.Rule{spec.Rules, spec.LintRules} {
		for _, r := range list {
			others[r.ID] = true
		}
	}
	listed := map[string]bool{}
	for _, r := range ValidateRules {
		if listed[r.ID] || others[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		if r.Summary == "" {
			t.Errorf("rule %s has no summary", r.ID)
		}
		listed[r.ID] = true
	}
	re := regexp.MustCompile(`(?:r\.add\(|Rule: *)[^"]*"([a-z0-9-]+)"`)
	files, _ := os.ReadDir(".")
	used := map[string]bool{}
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(f.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	for id := range used {
		if !listed[id] && !others[id] {
			t.Errorf("rule %s is emitted but not listed in ValidateRules", id)
		}
	}
	for id := range listed {
		if !used[id] {
			t.Errorf("rule %s is listed but never emitted", id)
		}
	}
}
