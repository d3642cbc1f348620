package spec

import (
	"path/filepath"
	"testing"
)

const corpusDir = "../../shared/corpus"

// TestCorpus loads every published capability of the shared corpus: each
// must load without a fatal error, and every operation must have a name
// and a method and be reachable by its namespace.resource.op reference.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Skipf("no corpus at %s", corpusDir)
	}
	ops := 0
	for _, f := range files {
		c, err := LoadFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, d := range c.Diagnostics {
			if d.Severity == SeverityFatal {
				t.Errorf("%s: fatal diagnostic in a successful load: %v", f, d)
			}
		}
		for _, a := range c.Consumes {
			seen := map[string]bool{}
			for _, r := range a.Resources {
				for _, o := range r.Operations {
					ops++
					if o.Name == "" || o.Method == "" {
						t.Errorf("%s: operation at %v has name %q method %q", f, o.Pos, o.Name, o.Method)
					}
					ref := r.Name + "." + o.Name
					if !a.Shadowed && !o.Shadowed && seen[ref] {
						t.Errorf("%s: %s.%s is declared twice", f, a.Namespace, ref)
					}
					seen[ref] = true
				}
			}
		}
	}
	if len(files) == 120 && ops != 3958 {
		t.Errorf("%d operations loaded from the 120 corpus files, want 3958", ops)
	}
}
