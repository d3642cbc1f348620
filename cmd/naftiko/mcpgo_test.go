package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// buildMCPGo builds the mark3labs/mcp-go client of
// engine/serve/testdata/mcpgo (a module of its own, so that mcp-go stays
// out of naftiko's go.mod) into dir; "" when it cannot be built.
func buildMCPGo(t *testing.T, dir string) string {
	src, err := filepath.Abs("../../engine/serve/testdata/mcpgo")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "mcpgo")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Logf("building the mcp-go client: %v\n%s", err, out)
		return ""
	}
	return bin
}

// TestMCPGoClient runs testdata/mcpgo/*.txtar: mark3labs/mcp-go 1.2 lists
// and calls the tools of "naftiko serve" over streamable HTTP and stdio,
// with the 2026-07-28 revision (its default) and 2025-11-25. The client
// is built from its own module, which needs the Go module proxy: in CI a
// failed build fails the test, elsewhere it skips.
func TestMCPGoClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mcp-go")
	}
	bin := buildMCPGo(t, t.TempDir())
	if bin == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but the mcp-go client does not build")
		}
		t.Skip("the mcp-go client does not build here (no module proxy?)")
	}
	up := httptest.NewServer(clerkUpstream())
	t.Cleanup(up.Close)
	clerk, err := filepath.Abs("../../capabilities/clerk/organization-memberships.yaml")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "../../testdata/mcpgo",
		Setup: func(env *testscript.Env) error {
			env.Setenv("UPSTREAM", up.URL)
			env.Setenv("CLERK", clerk)
			env.Setenv("PORT", freePort(t))
			env.Setenv("MCPGO", bin)
			return nil
		},
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"waitport": cmdWaitPort},
		RequireExplicitExec: true,
	})
}
