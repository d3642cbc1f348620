package main

import (
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary act as the naftiko command inside scripts.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"naftiko": func() { os.Exit(mainWithSignals()) },
	})
}

// TestScripts runs testdata/script/*.txtar against a fake upstream whose
// URL is $UPSTREAM (see newUpstream).
func TestScripts(t *testing.T) {
	up := httptest.NewServer(newUpstream())
	t.Cleanup(up.Close)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "../../testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("UPSTREAM", up.URL)
			env.Setenv("REPO", repo)
			env.Setenv("VERSION", versionString())
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitcode,
		},
		RequireExplicitExec: true,
	})
}

// cmdExitcode implements the script command "exitcode N prog args...": it
// runs prog like exec and fails unless it exits with status N. stdout and
// stderr are kept for the following assertions.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %q is not a number", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// echoedHeaders are the request headers the fake upstream reports.
var echoedHeaders = []string{"Accept", "Apy-Token", "Authorization", "Content-Type", "Cookie", "X-Amz-Target", "X-Api-Key", "X-Request-Id", "X-Trace"}

// newUpstream returns the fake upstream of the scripts. By default it
// answers 200 with a JSON echo of the request:
//
//	{"method","path","query","headers":{…},"body"}
//
// where path is the escaped path, query the raw query and headers the
// echoedHeaders that were sent. Special paths:
//
//	/status/N   answers status N with {"status":N,"message":"…"} (204: no body)
//	/text       answers text/plain "hello, world\n"
//	/slow       answers only when the client gives up (or after 10s)
//	/loop       redirects to itself
//	/redirect/N redirects N+1 times (to /redirect/N-1, …, /echo)
//	/echo/N/FMT answers status N with the echo as FMT: json, yaml, xml,
//	            text or html (upstreams echo credentials in errors)
func newUpstream() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/echo/"):
			n, format, _ := strings.Cut(strings.TrimPrefix(p, "/echo/"), "/")
			code, err := strconv.Atoi(n)
			if err != nil || code < 200 || code > 599 {
				http.Error(w, "bad status", http.StatusBadRequest)
				return
			}
			writeEcho(w, r, code, format)
			return
		case strings.HasPrefix(p, "/status/"):
			n, err := strconv.Atoi(strings.TrimPrefix(p, "/status/"))
			if err != nil || n < 200 || n > 599 {
				http.Error(w, "bad status", http.StatusBadRequest)
				return
			}
			if n == http.StatusNoContent {
				w.WriteHeader(n)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(n)
			json.NewEncoder(w).Encode(map[string]any{"status": n, "message": http.StatusText(n)})
			return
		case p == "/text":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, "hello, world\n")
			return
		case p == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
			return
		case strings.HasPrefix(p, "/redirect/"):
			// /redirect/N answers 302 to /redirect/N-1, and /redirect/0
			// to /echo.
			n, err := strconv.Atoi(strings.TrimPrefix(p, "/redirect/"))
			switch {
			case err != nil || n < 0:
				http.Error(w, "bad count", http.StatusBadRequest)
			case n == 0:
				http.Redirect(w, r, "/echo", http.StatusFound)
			default:
				http.Redirect(w, r, "/redirect/"+strconv.Itoa(n-1), http.StatusFound)
			}
			return
		case p == "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		body, _ := io.ReadAll(r.Body)
		headers := map[string]string{}
		for _, h := range echoedHeaders {
			if vs := r.Header.Values(h); len(vs) > 0 {
				headers[h] = strings.Join(vs, ", ")
			}
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]any{
			"method":  r.Method,
			"path":    r.URL.EscapedPath(),
			"query":   r.URL.RawQuery,
			"headers": headers,
			"body":    string(body),
		})
	})
}

// writeEcho answers status code with the request's method, query and
// echoedHeaders written as format: json, yaml, xml, text or html.
func writeEcho(w http.ResponseWriter, r *http.Request, code int, format string) {
	var b strings.Builder
	line := func(k, v string) {
		switch format {
		case "json":
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			kj, _ := json.Marshal(k)
			vj, _ := json.Marshal(v)
			b.Write(kj)
			b.WriteByte(':')
			b.Write(vj)
		case "yaml":
			kj, _ := json.Marshal(k)
			vj, _ := json.Marshal(v)
			b.WriteString(string(kj) + ": " + string(vj) + "\n")
		case "xml":
			b.WriteString("<h name=\"" + html.EscapeString(k) + "\">" + html.EscapeString(v) + "</h>")
		case "html":
			b.WriteString("<li>" + html.EscapeString(k) + ": " + html.EscapeString(v) + "</li>")
		default:
			b.WriteString(k + ": " + v + "\n")
		}
	}
	line("method", r.Method)
	line("query", r.URL.RawQuery)
	for _, h := range echoedHeaders {
		if vs := r.Header.Values(h); len(vs) > 0 {
			line(h, strings.Join(vs, ", "))
		}
	}
	body := b.String()
	types := map[string]string{"json": "application/json", "yaml": "application/yaml", "xml": "application/xml", "html": "text/html"}
	ct, ok := types[format]
	if !ok {
		ct = "text/plain"
	}
	switch format {
	case "json":
		body = "{" + body + "}\n"
	case "xml":
		body = "<echo>" + body + "</echo>\n"
	case "html":
		body = "<html><body><ul>" + body + "</ul></body></html>\n"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(code)
	io.WriteString(w, body)
}
