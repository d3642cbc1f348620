package enginetest

import (
	"os"
	"path/filepath"
	"testing"
)

// ReferenceDir returns the specification authors' tutorial, backends,
// fixtures and tests: ../shared/reference beside the repository (the
// directory holding go.mod, found upward from the test's directory). A
// test skips when it is absent, and fails when the environment variable
// CI is set, since CI provides it.
func ReferenceDir(t testing.TB) string {
	t.Helper()
	dir := "../shared/reference"
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(filepath.Dir(d), "shared", "reference")
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		return dir
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("the reference tutorial and fixtures are missing at %s (CI provides ../shared/reference)", dir)
	}
	t.Skipf("no reference tutorial and fixtures at %s", dir)
	return ""
}
