package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// inspectorVersion is the pinned version of the official MCP Inspector CLI
// that .ci/run installs.
const inspectorVersion = "1.0.3"

// findInspector returns the path of the MCP Inspector CLI's entry point
// (build/cli.js of @modelcontextprotocol/inspector-cli@1.0.3) and of node,
// or "" when either is missing. $NAFTIKO_INSPECTOR_DIR names the npm
// prefix it was installed into (default $HOME/.cache/naftiko/inspector).
func findInspector() (cli, node string) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", ""
	}
	dir := os.Getenv("NAFTIKO_INSPECTOR_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", ""
		}
		dir = filepath.Join(home, ".cache", "naftiko", "inspector")
	}
	pkg := filepath.Join(dir, "node_modules", "@modelcontextprotocol", "inspector-cli")
	data, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return "", ""
	}
	var meta struct{ Version string }
	if json.Unmarshal(data, &meta) != nil || meta.Version != inspectorVersion {
		return "", ""
	}
	return filepath.Join(pkg, "build", "cli.js"), node
}

// inspector2Version is the pinned version of the MCP Inspector 2, whose
// CLI also speaks the 2026-07-28 revision (--protocol-era modern). It
// needs Node 22.19 or later: .ci/run installs it beside the conformance
// suite and its Node 22.
const inspector2Version = "2.12.0"

// findInspector2 returns the entry point of
// @modelcontextprotocol/inspector@2.12.0 and the Node 22 installed in
// $NAFTIKO_CONFORMANCE_DIR, or "" when either is missing.
func findInspector2() (cli, node string) {
	_, node = findConformance()
	if node == "" {
		return "", ""
	}
	pkg := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(node))), "node_modules", "@modelcontextprotocol", "inspector")
	data, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return "", ""
	}
	var meta struct{ Version string }
	if json.Unmarshal(data, &meta) != nil || meta.Version != inspector2Version {
		return "", ""
	}
	return filepath.Join(pkg, "clients", "launcher", "build", "index.js"), node
}

// freePort returns a port that was free a moment ago, for scripts that
// must name a port before "naftiko serve" starts (tests in Go use port 0
// and read the address from the "serving" log line instead). It is drawn
// below the kernel's ephemeral range: a port handed out for ":0" goes back
// into the pool the moment its listener closes, and the many client
// connections these tests make can take it as their local port before
// serve binds it. No port is returned twice in one test binary.
func freePort(t *testing.T) string {
	t.Helper()
	lo := ephemeralLow()
	for i := 0; i < 200; i++ {
		p := 10000 + rand.IntN(lo-10000)
		if _, taken := handedPorts.LoadOrStore(p, true); taken {
			continue
		}
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			ln.Close()
			return strconv.Itoa(p)
		}
	}
	t.Fatalf("no free port between 10000 and %d", lo)
	return ""
}

// handedPorts holds the ports freePort has returned.
var handedPorts sync.Map

// ephemeralLow is the first port of Linux's ephemeral range (32768 when it
// cannot be read or leaves too little room below it).
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 12000 {
				return n
			}
		}
	}
	return 32768
}

// clerkUpstream fakes the Clerk organization memberships API: list
// operations answer {"data":[…],"total_count":N,"auth":…,"query":…};
// organization "missing" answers 404.
func clerkUpstream() http.Handler {
	mux := http.NewServeMux()
	list := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.PathValue("org") == "missing" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"errors":[{"code":"resource_not_found","message":"not found"}]}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"data":        []any{map[string]any{"id": "orgmem_1", "role": "org:admin"}},
			"total_count": 1, "auth": r.Header.Get("Authorization"), "query": r.URL.RawQuery,
		})
	}
	mux.HandleFunc("GET /organizations/{org}/memberships", list)
	mux.HandleFunc("GET /organization_memberships", list)
	return mux
}

// TestServeScripts runs testdata/serve/*.txtar: "naftiko serve" from the
// command line, and the official MCP Inspector CLI as a real MCP client
// (skipped when node or the pinned inspector-cli is not installed; .ci/run
// installs it).
func TestServeScripts(t *testing.T) {
	up := httptest.NewServer(clerkUpstream())
	t.Cleanup(up.Close)
	cli, node := findInspector()
	if cli == "" && os.Getenv("NAFTIKO_REQUIRE_INSPECTOR") != "" {
		t.Fatalf("NAFTIKO_REQUIRE_INSPECTOR is set but node or @modelcontextprotocol/inspector-cli@%s is not installed", inspectorVersion)
	}
	cli2, node22 := findInspector2()
	if cli2 == "" && os.Getenv("NAFTIKO_REQUIRE_INSPECTOR") != "" {
		t.Fatalf("NAFTIKO_REQUIRE_INSPECTOR is set but Node 22 or @modelcontextprotocol/inspector@%s is not installed", inspector2Version)
	}
	clerk, err := filepath.Abs("../../capabilities/clerk/organization-memberships.yaml")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "../../testdata/serve",
		Setup: func(env *testscript.Env) error {
			env.Setenv("UPSTREAM", up.URL)
			env.Setenv("CLERK", clerk)
			env.Setenv("PORT", freePort(t))
			env.Setenv("INSPECTOR", cli)
			env.Setenv("NODE", node)
			env.Setenv("INSPECTOR2", cli2)
			env.Setenv("NODE22", node22)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "inspector":
				return cli != "", nil
			case "inspector2":
				return cli2 != "", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitcode,
			"waitport": cmdWaitPort,
		},
		RequireExplicitExec: true,
	})
}

// cmdWaitPort implements "waitport PORT": it waits up to 10 seconds for
// 127.0.0.1:PORT to accept connections.
func cmdWaitPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitport PORT")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+args[0], 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("nothing listens on port %s: %v", args[0], err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
