package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/binder"
)

// TestServeSecretsNeverPrinted is the serve half of the promise of
// TestSecretsNeverPrinted, through "naftiko serve -v" itself: for every
// authentication kind with the sentinels bound from every source, the REST
// adapter's error answers (one after a retry), the MCP tool error results
// over streamable HTTP (the document's MCP adapter, and --mcp-http) and over
// stdio (--mcp-stdio), MCP argument errors quoting a secret, /metrics,
// /status and /health/ready of the control adapter, and the debug log and
// trace on stderr never show a sentinel in any form. Successful
// results are data and are not checked; they are called so that the logs
// hold a successful exchange too.
func TestServeSecretsNeverPrinted(t *testing.T) {
	up, sent := secretsUpstream(t)
	servers, checks := 0, 0
	check := func(where, text string) { checks += assertNoSentinel(t, where, text) }
	forEachSecretsCase(t, up.URL, func(sc secretsCase) {
		where := sc.kind + "/" + sc.src
		// Port 0 everywhere: each adapter takes a port the kernel picks and
		// the test reads it from the "serving" log line, so no port chosen
		// in advance can be taken by another process meanwhile.
		file := write(t, sc.dir, "cap.yaml", "naftiko: 1.0.0-alpha2\ninfo: {label: P}\nbinds:\n"+sc.binds+
			"capability:\n  consumes:\n"+sc.consumes+`  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
    - path: /e/{code}/{fmt}
      name: e
      operations:
      - {method: GET, name: e, call: p.Echo, with: {code: rest.code, fmt: rest.fmt}}
  - type: mcp
    namespace: tools
    port: 0
    tools:
    - {name: echo, description: Echo, call: p.Echo}
  - type: control
    namespace: ctl
    port: 0
    management: {info: true}
`)
		// Every adapter, MCP over streamable HTTP; one retry, logged at
		// debug level.
		stderr := startServe(t, sc.provs, nil, nil, append([]string{"serve", file, "-v", "--retries", "1"}, sc.extra...), func(addr func(ns string) string) {
			rest, mcpPort, ctl := addr("api"), addr("tools"), addr("ctl")
			for _, code := range []string{"401", "500"} {
				for _, f := range []string{"json", "yaml", "xml", "text", "html"} {
					res, err := http.Get("http://" + rest + "/e/" + code + "/" + f)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if res.StatusCode < 400 {
						t.Errorf("%s: REST %s %s: status %d", where, code, f, res.StatusCode)
					}
					check(fmt.Sprintf("%s REST %s %s", where, code, f), string(b)+fmt.Sprint(res.Header))
				}
			}
			res, err := http.Get("http://" + rest + "/e/503/json") // retried once
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			check(where+" REST 503 after a retry", string(b)+fmt.Sprint(res.Header))
			if res, err := http.Get("http://" + rest + "/e/200/json"); err == nil {
				res.Body.Close()
			}
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(context.Background(),
				&mcp.StreamableClientTransport{Endpoint: "http://" + mcpPort + "/mcp"}, nil)
			if err != nil {
				t.Fatalf("%s: MCP over HTTP: %v", where, err)
			}
			toolErrors(t, where+" MCP HTTP", cs, check)
			cs.Close()
			for _, p := range []string{"/metrics", "/status", "/health/ready"} {
				res, err := http.Get("http://" + ctl + p)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != 200 || len(b) == 0 {
					t.Errorf("%s %s: status %d, %d bytes", where, p, res.StatusCode, len(b))
				}
				check(where+" "+p, string(b))
			}
		})
		check(where+" serve -v stderr", stderr)
		if !strings.Contains(stderr, "> GET ") || !strings.Contains(stderr, "level=DEBUG msg=retrying") {
			t.Errorf("%s: no trace or debug log on stderr:\n%s", where, stderr)
		}

		// Only MCP, over streamable HTTP at --mcp-http.
		stderr = startServe(t, sc.provs, nil, nil, append([]string{"serve", file, "--mcp-http", "127.0.0.1:0", "-v", "--retries", "0"}, sc.extra...), func(addr func(string) string) {
			port := addr("tools")
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(context.Background(),
				&mcp.StreamableClientTransport{Endpoint: "http://" + port + "/mcp"}, nil)
			if err != nil {
				t.Fatalf("%s: MCP over --mcp-http: %v", where, err)
			}
			toolErrors(t, where+" --mcp-http", cs, check)
			cs.Close()
		})
		check(where+" --mcp-http -v stderr", stderr)

		// MCP over stdio: every frame on stdout is checked.
		inR, inW := io.Pipe()
		outR, outW := io.Pipe()
		var frames bytes.Buffer
		stderr = startServe(t, sc.provs, inR, outW, append([]string{"serve", file, "--mcp-stdio", "-v", "--retries", "0"}, sc.extra...), func(func(string) string) {
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "t", Version: "1"}, nil).Connect(context.Background(),
				&mcp.IOTransport{Reader: io.NopCloser(io.TeeReader(outR, &frames)), Writer: inW}, nil)
			if err != nil {
				t.Fatalf("%s: MCP over stdio: %v", where, err)
			}
			toolErrors(t, where+" MCP stdio", cs, check)
			cs.Close()
		})
		check(where+" --mcp-stdio stdout", frames.String())
		check(where+" --mcp-stdio -v stderr", stderr)
		servers += 3
		if !sent.sawAndReset() {
			t.Errorf("%s: the upstream never received the sentinel: the property would hold vacuously", where)
		}
	})
	t.Logf("%d servers, %d outputs checked", servers, checks)
}

// toolErrors calls the echo tool for upstream errors in every body format
// and with an argument error quoting a secret, checking each result.
func toolErrors(t *testing.T, where string, cs *mcp.ClientSession, check func(where, text string)) {
	t.Helper()
	call := func(args map[string]any) (string, bool) {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: args})
		if err != nil {
			t.Fatalf("%s: CallTool: %v", where, err)
		}
		b, _ := json.Marshal(res)
		return string(b), res.IsError
	}
	for _, code := range []string{"401", "500"} {
		for _, f := range []string{"json", "yaml", "xml", "text", "html"} {
			text, isErr := call(map[string]any{"code": code, "fmt": f})
			if !isErr {
				t.Errorf("%s %s %s: not an error: %s", where, code, f, text)
			}
			check(fmt.Sprintf("%s %s %s", where, code, f), text)
		}
	}
	text, isErr := call(map[string]any{"code": sentinels["s1"], "fmt": 5})
	if !isErr {
		t.Errorf("%s: argument error: not an error: %s", where, text)
	}
	check(where+" argument error", text)
}

// startServe runs the command line args (a serve command), with the
// given bind providers, until use returns, then cancels it as SIGINT would and returns its stderr. use is
// given addr, which returns the address ("127.0.0.1:port") the adapter of
// a namespace listens on (see served.addr).
func startServe(t *testing.T, provs map[string]binder.Provider, stdin io.Reader, stdout io.WriteCloser, args []string, use func(addr func(ns string) string)) string {
	t.Helper()
	srv := serveInBackground(t, provs, stdin, stdout, args)
	use(srv.addr)
	return srv.stop()
}

// served is a serve command running in the background of a test.
type served struct {
	t      *testing.T
	args   []string
	errb   *lockedBuffer
	cancel context.CancelFunc
	done   chan int
	once   sync.Once
	out    string
}

// serveInBackground runs the command line args (a serve command) with
// the given providers and streams (nil: empty stdin, stdout discarded)
// until stop, or until the test ends.
func serveInBackground(t *testing.T, provs map[string]binder.Provider, stdin io.Reader, stdout io.WriteCloser, args []string) *served {
	t.Helper()
	var out io.Writer = io.Discard
	if stdout != nil {
		out = stdout
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{t: t, args: args, errb: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		a := &app{stdin: &stdinOnce{r: stdin}, stdout: out, stderr: s.errb, providers: provs}
		s.done <- a.main(ctx, args)
		if stdout != nil {
			stdout.Close()
		}
	}()
	t.Cleanup(func() { s.stop() })
	return s
}

// addr returns the address ("127.0.0.1:port") the adapter of namespace ns
// listens on, read from serve's "serving" log line; it fails the test at
// once, with serve's stderr, if serve has exited instead.
func (s *served) addr(ns string) string {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for _, l := range servingLine.FindAllStringSubmatch(s.errb.String(), -1) {
			if l[1] == ns {
				return l[2]
			}
		}
		select {
		case code := <-s.done:
			s.done <- code
			s.t.Fatalf("%q exited with %d before serving %s:\n%s", s.args, code, ns, s.errb.String())
		case <-deadline:
			s.t.Fatalf("%q is not serving %s after 10s:\n%s", s.args, ns, s.errb.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// stop cancels the command as SIGINT would, waits for it to end and
// returns its stderr.
func (s *served) stop() string {
	s.once.Do(func() {
		s.cancel()
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			s.t.Errorf("%q did not stop after its context was cancelled:\n%s", s.args, s.errb.String())
		}
		s.out = s.errb.String()
	})
	return s.out
}

// servingLine matches serve's log line for an adapter that listens:
// the namespace and the address.
var servingLine = regexp.MustCompile(`msg=serving type=\S+ namespace=(\S+) address=(\S+)`)

// lockedBuffer is a bytes.Buffer safe for concurrent writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
