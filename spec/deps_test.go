package spec

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestNoSchemaLibrary checks that the loader, the engine, the server and
// the binder do not depend on the JSON Schema library: its package init compiles the
// meta-schemas of five drafts (milliseconds and megabytes at the start of
// every process). Only spec/schema, and the commands that validate, may
// import it.
func TestNoSchemaLibrary(t *testing.T) {
	const banned = "github.com/santhosh-tekuri/jsonschema/v6"
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goTool); err != nil {
		goTool = "go" // go test puts GOROOT/bin first in PATH
	}
	pkgs := []string{"./spec", "./engine", "./engine/serve", "./binder"}
	args := append([]string{"list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}"}, pkgs...)
	cmd := exec.Command(goTool, args...)
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 10 {
		t.Fatalf("go list -deps listed only %q", lines)
	}
	isBanned := func(p string) bool { return p == banned || strings.HasPrefix(p, banned+"/") }
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) == 0 || isBanned(f[0]) {
			continue
		}
		if i := slices.IndexFunc(f[1:], isBanned); i >= 0 {
			t.Errorf("%s imports %s: %s must not depend on it; keep JSON Schema validation in spec/schema",
				f[0], f[1+i], strings.Join(pkgs, ", "))
		}
	}
}
