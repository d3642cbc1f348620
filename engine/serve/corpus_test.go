package serve

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

// TestCorpusServes builds the servers of every published capability of
// the shared corpus: every adapter builds without a panic, and the tools
// of each file's first MCP adapter (or its generated tools) are listed
// over an in-memory session.
func TestCorpusServes(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/*.yaml")
	if len(files) == 0 {
		t.Skip("no corpus")
	}
	tools, declared := 0, 0
	for _, f := range files {
		c, err := spec.LoadFile(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if _, err := New(c, WithLookup(env())); err != nil {
			t.Errorf("%s: New: %v", f, err)
			continue
		}
		s, err := New(c, WithLookup(env()), WithMCPStdio(), WithWrites(true))
		if err != nil {
			t.Errorf("%s: New: %v", f, err)
			continue
		}
		for _, x := range c.Exposes {
			if x.Type == "mcp" {
				declared += len(x.Tools)
				break
			}
		}
		cs := connect(t, s.MCPServer(""))
		res, err := cs.ListTools(context.Background(), nil)
		if err != nil {
			t.Errorf("%s: ListTools: %v", f, err)
			continue
		}
		tools += len(res.Tools)
		cs.Close()
	}
	t.Logf("%d files: %d tools listed (%d declared in first MCP adapters)", len(files), tools, declared)
	if len(files) == 120 && tools < 3000 {
		t.Errorf("only %d tools served from the corpus", tools)
	}
}
