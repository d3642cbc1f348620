package schema

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// FuzzValidate fuzzes validation (loader, schema and lint rules) with the
// golden inputs and the smaller corpus files as seeds: it must never fail
// internally, and its diagnostics are sorted and positioned.
func FuzzValidate(f *testing.F) {
	addSeeds(f, "../../testdata/validate/*.yaml", 0)
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
			if !slices.IsSortedFunc(ds, func(a, b spec.Diagnostic) int {
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

// addSeeds adds the files matching pattern as fuzz seeds, skipping those
// larger than max bytes (0: no limit).
func addSeeds(f *testing.F, pattern string, max int) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || (max > 0 && len(data) > max) {
			continue
		}
		f.Add(data)
	}
}
