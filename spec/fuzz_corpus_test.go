package spec

import (
	"errors"
	"os"
	"path/filepath"
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
