package serve

import (
	"net/http/httptest"
	"testing"

	"github.com/naftiko/naftiko/engine/enginetest"
)

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
