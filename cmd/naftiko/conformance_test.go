package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// conformanceVersion is the pinned version of the official MCP
// conformance suite that .ci/run installs, with Node 22 (the suite does
// not start on Node 20), both from npm.
const conformanceVersion = "0.1.16"

// findConformance returns the entry point of
// @modelcontextprotocol/conformance@0.1.16 and the Node 22 binary of the
// npm package node@22 installed beside it, or "" when either is missing.
// $NAFTIKO_CONFORMANCE_DIR names the npm prefix (default
// $HOME/.cache/naftiko/conformance).
func findConformance() (suite, node string) {
	dir := os.Getenv("NAFTIKO_CONFORMANCE_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", ""
		}
		dir = filepath.Join(home, ".cache", "naftiko", "conformance")
	}
	pkg := filepath.Join(dir, "node_modules", "@modelcontextprotocol", "conformance")
	data, err := os.ReadFile(filepath.Join(pkg, "package.json"))
	if err != nil {
		return "", ""
	}
	var meta struct{ Version string }
	if json.Unmarshal(data, &meta) != nil || meta.Version != conformanceVersion {
		return "", ""
	}
	node = filepath.Join(dir, "node_modules", ".bin", "node")
	out, err := exec.Command(node, "--version").Output()
	if err != nil || len(out) < 4 || string(out[:4]) != "v22." {
		return "", ""
	}
	return filepath.Join(pkg, "dist", "index.js"), node
}

// Test content the conformance suite's scenarios look for.
var (
	// pixelPNG is a 1×1 PNG.
	pixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")
	// silenceWAV is a WAV file of one silent sample.
	silenceWAV, _ = base64.StdEncoding.DecodeString("UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=")
)

// conformanceUpstream fakes the API behind testdata/conformance/everything.yaml.
func conformanceUpstream() http.Handler {
	mux := http.NewServeMux()
	send := func(ct string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write(body)
		}
	}
	mux.HandleFunc("GET /content/text", send("text/plain; charset=utf-8", []byte("This is a simple text response for testing.")))
	mux.HandleFunc("GET /content/image", send("image/png", pixelPNG))
	mux.HandleFunc("GET /content/audio", send("audio/wav", silenceWAV))
	mux.HandleFunc("GET /content/document", send("application/pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\ntrailer <<>>\n%%EOF\n")))
	mux.HandleFunc("GET /content/watched", send("text/plain", []byte("Watched resource content")))
	mux.HandleFunc("GET /content/mixed", func(w http.ResponseWriter, r *http.Request) {
		mw := multipart.NewWriter(w)
		w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
		for _, p := range []struct {
			ct   string
			body []byte
		}{{"text/plain", []byte("Multiple content types test:")}, {"image/png", pixelPNG}, {"application/json", []byte(`{"test":"data","value":123}`)}} {
			pw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ct}})
			pw.Write(p.body)
		}
		mw.Close()
	})
	mux.HandleFunc("GET /work/job", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"steps":%q,"done":true}`, r.URL.Query().Get("steps"))
	})
	mux.HandleFunc("GET /work/failing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"error":"This tool intentionally returns an error for testing"}`)
	})
	mux.HandleFunc("GET /work/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"query": r.URL.RawQuery})
	})
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		id := r.PathValue("id")
		json.NewEncoder(w).Encode(map[string]any{"id": id, "templateTest": true, "data": "Data for ID: " + id})
	})
	return mux
}

// TestConformance runs testdata/conformance/*.txtar: the official MCP
// conformance suite's server scenarios against "naftiko serve" on
// testdata/conformance/everything.yaml (skipped when Node 22 or the
// pinned suite is not installed; .ci/run installs both and sets
// NAFTIKO_REQUIRE_CONFORMANCE, which turns the skip into a failure).
func TestConformance(t *testing.T) {
	suite, node := findConformance()
	if suite == "" {
		if os.Getenv("NAFTIKO_REQUIRE_CONFORMANCE") != "" {
			t.Fatalf("NAFTIKO_REQUIRE_CONFORMANCE is set but Node 22 or @modelcontextprotocol/conformance@%s is not installed", conformanceVersion)
		}
		t.Skipf("Node 22 or @modelcontextprotocol/conformance@%s not installed (.ci/run installs them)", conformanceVersion)
	}
	up := httptest.NewServer(conformanceUpstream())
	t.Cleanup(up.Close)
	capFile, err := filepath.Abs("../../testdata/conformance/everything.yaml")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "../../testdata/conformance",
		Setup: func(env *testscript.Env) error {
			env.Setenv("UPSTREAM", up.URL)
			env.Setenv("CAPABILITY", capFile)
			env.Setenv("PORT", freePort(t))
			env.Setenv("SUITE", suite)
			env.Setenv("NODE", node)
			return nil
		},
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"waitport": cmdWaitPort},
		RequireExplicitExec: true,
	})
}
