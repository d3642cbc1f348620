package serve

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/naftiko/naftiko/engine/enginetest"
)

// referenceDir is the reference engine's tutorial, backends and tests
// (../shared/reference from the repository root). Tests skip when it is
// absent, and fail when env CI is set, since CI provides it.
func referenceDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs("../../../shared/reference")
	if err == nil {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("the reference tutorial is missing at %s (CI provides ../shared/reference)", dir)
	}
	t.Skipf("no reference tutorial at %s", dir)
	return ""
}

// mockBackend is enginetest.Microcks serving the given OpenAPI files.
type mockBackend struct {
	*httptest.Server
	*enginetest.Microcks
}

func newMockBackend(t testing.TB, specs ...string) *mockBackend {
	t.Helper()
	m, err := enginetest.NewMicrocks(specs...)
	if err != nil {
		t.Fatal(err)
	}
	b := &mockBackend{Server: httptest.NewServer(m), Microcks: m}
	t.Cleanup(b.Close)
	return b
}

// requests returns the requests received so far.
func (m *mockBackend) requests() []enginetest.Request { return m.Requests() }
