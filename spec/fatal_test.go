package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFatal(t *testing.T) {
	nested := func(n int) string {
		return "naftiko: 1.0.0-alpha2\nx: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
	}
	tests := []struct {
		name, src string
		pos       string // line:col
		rule, msg string
	}{
		{"yaml syntax", "naftiko: 1.0.0-alpha2\ninfo: [a\n", "2:1", "yaml-syntax",
			"YAML syntax error: did not find expected ',' or ']'"},
		{"yaml scanner error", "naftiko: 1.0.0-alpha2\ninfo: a: b\n", "2:1", "yaml-syntax",
			"YAML syntax error: mapping values are not allowed in this context"},
		{"tab indentation", "naftiko: 1.0.0-alpha2\n\tinfo: {}\n", "2:1", "yaml-syntax",
			"YAML syntax error: found a tab character that violates indentation"},
		{"unknown anchor", "naftiko: 1.0.0-alpha2\ninfo: *nope\n", "1:1", "yaml-syntax",
			"YAML syntax error: unknown anchor 'nope' referenced"},
		{"empty file", "", "1:1", "not-naftiko", "the document is empty: not a naftiko capability document"},
		{"only comments", "# nothing here\n", "1:1", "not-naftiko", "the document is empty: not a naftiko capability document"},
		{"only a marker", "---\n", "1:1", "not-naftiko", "the document is empty: not a naftiko capability document"},
		{"root scalar", "hello\n", "1:1", "not-naftiko",
			"the document root is a string, not a mapping: not a naftiko capability document"},
		{"root list", "# c\n- a\n", "2:1", "not-naftiko",
			"the document root is a list, not a mapping: not a naftiko capability document"},
		{"no version key", "apiVersion: v1\nkind: Pod\n", "1:1", "not-naftiko",
			"not a naftiko capability document: it has neither a `naftiko` nor an `ikanos` version key"},
		{"both version keys", "naftiko: 1.0.0-alpha2\nikanos: 1.0.0-beta1\n", "2:1", "version-key",
			"the document has both a `naftiko` and an `ikanos` version key"},
		{"both version keys, ikanos first", "ikanos: 1.0.0-beta1\ninfo: {}\nnaftiko: 1.0.0-alpha2\n", "3:1", "version-key",
			"the document has both a `naftiko` and an `ikanos` version key"},
		{"version mapping", "naftiko: {v: 1}\n", "1:10", "version-key", "the `naftiko` version must be a scalar, not a mapping"},
		{"duplicate key", "naftiko: 1.0.0-alpha2\ninfo:\n  label: a\n  description: d\n  label: b\n", "5:3", "duplicate-key",
			"duplicate key `label`: first defined on line 3"},
		{"duplicate root key", "naftiko: 1.0.0-alpha2\ncapability: {}\ninfo: {}\ncapability: {}\n", "4:1", "duplicate-key",
			"duplicate key `capability`: first defined on line 2"},
		{"duplicate key in flow mapping", "naftiko: 1.0.0-alpha2\ninfo: {label: a, label: b}\n", "2:18", "duplicate-key",
			"duplicate key `label`: first defined on line 2"},
		{"duplicate quoted key", "naftiko: 1.0.0-alpha2\ninfo: {label: a, 'label': b}\n", "2:18", "duplicate-key",
			"duplicate key `label`: first defined on line 2"},
		{"depth limit", nested(300), "2:259", "depth-limit", "the document nests deeper than 256 levels"},
		{"alias cycle", "naftiko: 1.0.0-alpha2\nx: &a [*a]\n", "2:8", "yaml-alias", "alias *a refers to a node that contains it"},
		{"alias bomb", "naftiko: 1.0.0-alpha2\n" +
			"a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
			"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
			"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
			"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
			"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
			"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "6:36", "yaml-alias",
			"aliases expand to more than 100000 nodes"},
		{"alias too deep", "naftiko: 1.0.0-alpha2\nx: &x " + strings.Repeat("[", 200) + strings.Repeat("]", 200) +
			"\ny: " + strings.Repeat("[", 60) + "*x" + strings.Repeat("]", 60) + "\n",
			"3:64", "depth-limit", "alias *x nests deeper than 256 levels"},
		{"merge of a scalar", "naftiko: 1.0.0-alpha2\ninfo:\n  <<: 5\n", "3:7", "merge-key",
			"a merge key (<<) needs a mapping or a list of mappings, not a number"},
		{"merge list of scalars", "naftiko: 1.0.0-alpha2\ninfo:\n  <<: [a]\n", "3:8", "merge-key",
			"a merge key (<<) list must contain only mappings, not a string"},
		{"capability not a mapping", "naftiko: 1.0.0-alpha2\ncapability: [a]\n", "2:13", "wrong-kind",
			"`capability` must be a mapping, not a list"},
		{"info not a mapping", "naftiko: 1.0.0-alpha2\ninfo: hello\n", "2:7", "wrong-kind", "`info` must be a mapping, not a string"},
		{"binds not a list", "naftiko: 1.0.0-alpha2\nbinds: {namespace: env}\n", "2:8", "wrong-kind", "`binds` must be a list, not a mapping"},
		{"consumes not a list", "naftiko: 1.0.0-alpha2\ncapability:\n  consumes: {a: 1}\n", "3:13", "wrong-kind",
			"`consumes` must be a list, not a mapping"},
		{"consumes entry not a mapping", adapterDoc("  - http\n"), "4:5", "wrong-kind",
			"a consumes entry must be a mapping, not a string"},
		{"resources not a list", adapterDoc("  - type: http\n    namespace: a\n    baseUri: https://a.test\n    resources: 5\n"),
			"7:16", "wrong-kind", "`resources` must be a list, not a number"},
		{"operation not a mapping", opDoc("      - GET\n"), "11:9", "wrong-kind", "an operation must be a mapping, not a string"},
		{"parameters not a list", opDoc("      - name: a\n        inputParameters: yes\n"), "12:26", "wrong-kind",
			"`inputParameters` must be a list, not a string"},
		{"exposes entry not a mapping", "naftiko: 1.0.0-alpha2\ncapability:\n  exposes: [rest]\n", "3:13", "wrong-kind",
			"an exposes entry must be a mapping, not a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := loadErr(t, tt.src)
			if e.Kind != KindSpec {
				t.Errorf("kind = %v, want spec", e.Kind)
			}
			if e.Msg != tt.msg {
				t.Errorf("message = %q\n      want %q", e.Msg, tt.msg)
			}
			want := Pos{File: "t.yaml"}
			want.Line, want.Col = mustLineCol(t, tt.pos)
			if e.Pos != want {
				t.Errorf("pos = %v, want %v", e.Pos, want)
			}
			var first *Diagnostic
			for i, d := range e.Diagnostics {
				if d.Severity == SeverityFatal {
					first = &e.Diagnostics[i]
					break
				}
			}
			if first == nil || first.Rule != tt.rule || first.Message != tt.msg || first.Pos != want {
				t.Errorf("first fatal diagnostic = %+v, want rule %s", first, tt.rule)
			}
			if got := e.Error(); got != "spec: "+tt.msg {
				t.Errorf("Error() = %q", got)
			}
		})
	}
}

func mustLineCol(t *testing.T, s string) (int, int) {
	t.Helper()
	var l, c int
	if _, err := fmtSscanf(s, &l, &c); err != nil {
		t.Fatalf("bad position %q", s)
	}
	return l, c
}

// TestFatalAllDuplicates checks that every duplicate key is reported, not
// only the first.
func TestFatalAllDuplicates(t *testing.T) {
	e := loadErr(t, "naftiko: 1.0.0-alpha2\ninfo:\n  label: a\n  label: b\n  label: c\nbinds: []\nbinds: []\n")
	checkDiags(t, e.Diagnostics, []string{
		"t.yaml:4:3: error: duplicate key `label`: first defined on line 3 [duplicate-key]",
		"t.yaml:5:3: error: duplicate key `label`: first defined on line 3 [duplicate-key]",
		"t.yaml:7:1: error: duplicate key `binds`: first defined on line 6 [duplicate-key]",
	})
}

// TestDuplicateKeysLargeMapping exercises the map-based duplicate check.
func TestDuplicateKeysLargeMapping(t *testing.T) {
	var b strings.Builder
	b.WriteString("naftiko: 1.0.0-alpha2\nx:\n")
	for i := range 40 {
		b.WriteString("  k" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": 1\n")
	}
	b.WriteString("  kba: 2\n")
	e := loadErr(t, b.String())
	checkDiags(t, e.Diagnostics, []string{
		"t.yaml:43:3: error: duplicate key `kba`: first defined on line 4 [duplicate-key]",
	})
}

func TestFatalSizeLimit(t *testing.T) {
	data := make([]byte, MaxFileSize+1)
	_, err := Parse(data, "big.yaml")
	e, ok := err.(*Error)
	if !ok || e.Msg != "the file is larger than the 32 MiB limit" || e.Pos.String() != "big.yaml:1:1" {
		t.Fatalf("err = %#v", err)
	}

	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(path)
	e, ok = err.(*Error)
	if !ok || e.Diagnostics[0].Rule != "size-limit" || !strings.HasSuffix(e.Msg, "big.yaml: file is larger than the 32 MiB limit") {
		t.Fatalf("err = %#v", err)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile("testdata/does-not-exist.yaml")
	e, ok := err.(*Error)
	if !ok || e.Kind != KindSpec || e.Msg != "cannot read testdata/does-not-exist.yaml: no such file or directory" ||
		e.Pos.String() != "testdata/does-not-exist.yaml:1:1" || e.Diagnostics[0].Rule != "read-error" {
		t.Fatalf("err = %#v", err)
	}
}
