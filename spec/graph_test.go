package spec

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// allowedImports is the architecture: for each package of the module, the
// module packages it may import. No package reaches back up (the compile
// stage never imports the engine, the engine never imports its servers),
// and packages not listed here fail the test until they are placed.
var allowedImports = map[string][]string{
	"spec/internal/vocab":    {},
	"spec/internal/yamlnode": {},
	"spec":                   {"spec/internal/vocab", "spec/internal/yamlnode"},
	"spec/schema":            {"spec", "spec/program", "spec/internal/vocab", "spec/internal/yamlnode"},
	"spec/program":           {"spec", "spec/internal/vocab"},
	"binder":                 {"spec"},
	"spec/jsonv":             {"spec"},
	"engine":                 {"spec", "spec/program", "spec/jsonv", "binder", "engine/decode"},
	"engine/decode":          {"spec", "spec/jsonv"},
	"engine/serve":           {"spec", "spec/program", "spec/jsonv", "binder", "engine"},
	"engine/telemetry":       {"spec"},
	"engine/enginetest":      {},
	"cmd/naftiko":            {"spec", "spec/schema", "spec/program", "binder", "engine", "engine/serve", "engine/telemetry"},
}

// pureStd are standard packages the compile stage (no HTTP, no
// environment) must not import. (spec itself imports net/http only for
// the http.Header an upstream error carries and the Kind → status table.)
var pureStd = map[string][]string{
	"spec/program": {"net/http", "os", "os/exec"},
}

// TestImportGraph checks every edge between the module's packages against
// allowedImports, and that the compile stage stays pure.
func TestImportGraph(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go"
	}
	cmd := exec.Command(goTool, "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	const mod = "github.com/naftiko/naftiko/"
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, ok := strings.CutPrefix(f[0], mod)
		if !ok {
			continue
		}
		allowed, placed := allowedImports[pkg]
		if !placed {
			t.Errorf("package %s is not placed in the import graph (allowedImports)", pkg)
			continue
		}
		seen++
		for _, imp := range f[1:] {
			if dep, ok := strings.CutPrefix(imp, mod); ok && !slices.Contains(allowed, dep) {
				t.Errorf("%s imports %s, which the architecture does not allow", pkg, dep)
			}
			if slices.Contains(pureStd[pkg], imp) {
				t.Errorf("%s imports %s: it must stay pure", pkg, imp)
			}
		}
	}
	if seen < len(allowedImports) {
		t.Errorf("go list saw %d of the %d placed packages", seen, len(allowedImports))
	}
}
