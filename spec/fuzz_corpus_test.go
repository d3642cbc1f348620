package spec

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// addSeeds adds the files matching pattern as fuzz seeds, skipping those
// larger than max bytes (0: no limit). It reports how many were added.
func addSeeds(f *testing.F, pattern string, max int) int {
	files, _ := filepath.Glob(pattern)
	n := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || (max > 0 && len(data) > max) {
			continue
		}
		f.Add(data)
		n++
	}
	return n
}

// FuzzParseCorpus fuzzes the loader with the published capabilities of the
// shared corpus as seeds (when the corpus is present): it must never panic
// and must return either a capability or a spec error.
func FuzzParseCorpus(f *testing.F) {
	if addSeeds(f, filepath.Join(corpusDir, "*.yaml"), 0) == 0 {
		f.Add([]byte("naftiko: 1.0.0-alpha2\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if (c == nil) == (err == nil) {
			t.Fatalf("capability %v with error %v", c != nil, err)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Kind != KindSpec) {
			t.Fatalf("error %#v is not a spec error", err)
		}
	})
}

// FuzzValidate fuzzes validation (loader, schema and lint rules) with the
// golden inputs and the smaller corpus files as seeds: it must never fail
// internally, and its diagnostics are sorted and positioned.
func FuzzValidate(f *testing.F) {
	addSeeds(f, "../testdata/validate/*.yaml", 0)
	addSeeds(f, filepath.Join(corpusDir, "*.yaml"), 64<<10)
	f.Add([]byte("ikanos: 1.0.0-beta5\ncapability:\n  consumes:\n  - {type: http, namespace: a, baseUri: 'https://a.test', resources: {r: {path: /x, operations: {o: {method: GET}}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, strict := range []bool{false, true} {
			ds := ValidateBytes(data, "fuzz.yaml", ValidateOptions{Strict: strict})
			for _, d := range ds {
				if d.Rule == "internal" || d.Rule == "" || d.Message == "" || d.Pos.IsZero() {
					t.Fatalf("bad diagnostic %+v", d)
				}
			}
			if !slices.IsSortedFunc(ds, func(a, b Diagnostic) int {
				if a.Pos.File != b.Pos.File {
					if a.Pos.File < b.Pos.File {
						return -1
					}
					return 1
				}
				if a.Pos.Line != b.Pos.Line {
					return a.Pos.Line - b.Pos.Line
				}
				return a.Pos.Col - b.Pos.Col
			}) {
				t.Fatalf("diagnostics not sorted")
			}
		}
	})
}
