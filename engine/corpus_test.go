package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// TestCorpusOperationsResolveAndBuild loads every real capability file in
// ../shared/corpus (when present), resolves each operation by its
// namespace.resource.op reference and builds a request for it with dummy
// values, sending nothing. Building may fail only with a clear error of
// the kinds a caller can act on, never with a panic or an internal error.
func TestCorpusOperationsResolveAndBuild(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) == 0 {
		t.Skip("no corpus at " + dir)
	}
	if testing.Short() {
		files = files[:10]
	}
	ops := 0
	for _, f := range files {
		c, err := spec.LoadFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		e, err := New(c, WithLookup(func(k string) (string, bool) { return "x-" + strings.ToLower(k), true }),
			WithBaseURI("", "https://upstream.invalid"))
		if err != nil {
			t.Errorf("%s: New: %v", f, err)
			continue
		}
		seen := map[string]bool{}
		for _, r := range c.Operations() {
			if r.Adapter.Shadowed || r.Op.Shadowed {
				continue
			}
			full := r.Adapter.Namespace + "." + r.Resource.Name + "." + r.Op.Name
			if seen[full] {
				continue
			}
			seen[full] = true
			op, err := e.Resolve(full)
			if err != nil {
				t.Errorf("%s: resolve %s: %v", filepath.Base(f), full, err)
				continue
			}
			ops++
			params := map[string]any{}
			for _, in := range op.Inputs {
				if in.Required {
					params[in.Name] = dummy(in.Type)
				}
			}
			_, err = e.Prepare(context.Background(), op, params)
			if se := spec.AsError(err); se != nil && os.Getenv("CORPUS_LOG") != "" {
				t.Logf("KIND %s %s", se.Kind, se.Msg)
			}
			if se := spec.AsError(err); se != nil && (se.Kind == spec.KindInternal || se.Kind == spec.KindUsage) {
				t.Errorf("%s: prepare %s: %v", filepath.Base(f), full, err)
			}
		}
	}
	t.Logf("%d files, %d operations", len(files), ops)
}

func dummy(typ string) any {
	switch typ {
	case "integer":
		return "1"
	case "number":
		return "1.5"
	case "boolean":
		return "true"
	case "array":
		return []string{"a", "b"}
	case "object":
		return `{"k":"v"}`
	}
	return "v"
}
