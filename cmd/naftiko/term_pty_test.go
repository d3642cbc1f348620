//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// pty is one pseudo-terminal: Main writes to tty, the test reads what a
// terminal would show from the master side.
type pty struct {
	tty  *os.File
	out  bytes.Buffer
	done chan struct{}
}

// openPTY opens a pseudo-terminal with output post-processing off (no
// "\n" → "\r\n"), so that what Main writes is read back byte for byte. It
// fails under CI=true when the machine has no /dev/ptmx, and skips
// elsewhere.
func openPTY(t *testing.T) *pty {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no pseudo-terminal: %v", err)
		}
		t.Skipf("SKIP: no pseudo-terminal: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	p := &pty{tty: tty, done: make(chan struct{})}
	go func() {
		// Reading ends with EIO once the terminal side is closed.
		io.Copy(&p.out, master)
		master.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.text() })
	return p
}

// text closes the terminal side and returns everything written to it.
func (p *pty) text() string {
	if p.tty != nil {
		p.tty.Close()
		p.tty = nil
		<-p.done
	}
	return p.out.String()
}

const ttyCapability = `naftiko: 1.0.0-alpha2
info:
  label: Things
capability:
  consumes:
  - type: http
    namespace: things
    baseUri: https://api.things.test
    resources:
    - name: thing
      path: /things/{id}
      operations:
      - name: GetThing
        method: GET
        inputParameters:
        - {name: id, in: path}
`

// ttyRun runs "naftiko run FILE GetThing --param id=ID" against an
// upstream that answers /things/1 with a JSON object and anything else 404,
// with stdout and stderr as given, and returns the exit status.
func ttyRun(t *testing.T, id string, stdout, stderr io.Writer, extra ...string) int {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/things/1" {
			w.WriteHeader(404)
			io.WriteString(w, `{"error":"no such thing"}`)
			return
		}
		io.WriteString(w, `{"id":1,"name":"x","tags":["a"],"ok":true,"gone":null}`)
	}))
	t.Cleanup(up.Close)
	file := filepath.Join(t.TempDir(), "things.yaml")
	if err := os.WriteFile(file, []byte(ttyCapability), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"run", file, "GetThing", "--param", "id=" + id, "--base-uri", up.URL}, extra...)
	return Main(context.Background(), args, strings.NewReader(""), stdout, stderr)
}

var (
	sgr        = regexp.MustCompile("\x1b\\[[0-9;]*m")
	plainValue = "{\n  \"gone\": null,\n  \"id\": 1,\n  \"name\": \"x\",\n  \"ok\": true,\n  \"tags\": [\n    \"a\"\n  ]\n}\n"
)

// TestTerminalColourAndStatus: on a terminal the result is indented,
// coloured JSON and stderr gets the status line.
func TestTerminalColourAndStatus(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm-256color")
	out, errw := openPTY(t), openPTY(t)
	if code := ttyRun(t, "1", out.tty, errw.tty); code != 0 {
		t.Fatalf("exit %d; stderr %q", code, errw.text())
	}
	stdout, stderr := out.text(), errw.text()
	want := "{\n  \x1b[34m\"gone\"\x1b[0m: \x1b[35mnull\x1b[0m,\n  \x1b[34m\"id\"\x1b[0m: \x1b[36m1\x1b[0m,\n" +
		"  \x1b[34m\"name\"\x1b[0m: \x1b[32m\"x\"\x1b[0m,\n  \x1b[34m\"ok\"\x1b[0m: \x1b[33mtrue\x1b[0m,\n" +
		"  \x1b[34m\"tags\"\x1b[0m: [\n    \x1b[32m\"a\"\x1b[0m\n  ]\n}\n"
	if stdout != want {
		t.Errorf("stdout =\n%q\nwant\n%q", stdout, want)
	}
	if !regexp.MustCompile("^\x1b\\[1;32m200 OK\x1b\\[0m\x1b\\[2m · \\d+ ms · 54 B\x1b\\[0m\n$").MatchString(stderr) {
		t.Errorf("stderr = %q, want the coloured status line of a 54-byte answer", stderr)
	}
}

// TestTerminalNoColor: NO_COLOR, --no-color and TERM=dumb keep the
// terminal layout (indented JSON, status line) without any colour code.
func TestTerminalNoColor(t *testing.T) {
	for _, tc := range []struct {
		name, env, term string
		args            []string
	}{
		{"NO_COLOR", "1", "xterm", nil},
		{"--no-color", "", "xterm", []string{"--no-color"}},
		{"TERM=dumb", "", "dumb", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", tc.env)
			t.Setenv("TERM", tc.term)
			out, errw := openPTY(t), openPTY(t)
			if code := ttyRun(t, "1", out.tty, errw.tty, tc.args...); code != 0 {
				t.Fatalf("exit %d", code)
			}
			if got := out.text(); got != plainValue {
				t.Errorf("stdout = %q, want %q", got, plainValue)
			}
			if got := errw.text(); !regexp.MustCompile(`^200 OK · \d+ ms · 54 B\n$`).MatchString(got) {
				t.Errorf("stderr = %q, want the plain status line", got)
			}
		})
	}
}

// TestPipedOutput: stdout piped while stderr is a terminal: stdout is
// compact JSON without colour, the status line still goes to stderr; with
// stderr piped too there is no status line.
func TestPipedOutput(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	var stdout, stderr bytes.Buffer
	errw := openPTY(t)
	if code := ttyRun(t, "1", &stdout, errw.tty); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if want := `{"gone":null,"id":1,"name":"x","ok":true,"tags":["a"]}` + "\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
	if got := errw.text(); !strings.HasPrefix(got, "\x1b[1;32m200 OK\x1b[0m") {
		t.Errorf("stderr = %q, want the status line", got)
	}
	stdout.Reset()
	if code := ttyRun(t, "1", &stdout, &stderr); code != 0 || stderr.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr.String())
	}
}

// TestTerminalUpstreamError: a 404 shows its status line, the coloured
// error body on stdout and the coloured summary on stderr; exit 4.
func TestTerminalUpstreamError(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	out, errw := openPTY(t), openPTY(t)
	if code := ttyRun(t, "2", out.tty, errw.tty); code != 4 {
		t.Fatalf("exit %d, want 4", code)
	}
	if got, want := out.text(), "{\n  \x1b[34m\"error\"\x1b[0m: \x1b[32m\"no such thing\"\x1b[0m\n}\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	stderr := errw.text()
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(lines) < 2 ||
		!regexp.MustCompile("^\x1b\\[1;33m404 Not Found\x1b\\[0m\x1b\\[2m · \\d+ ms · 25 B\x1b\\[0m$").MatchString(lines[0]) ||
		!strings.HasPrefix(lines[1], "\x1b[1;31mnaftiko:\x1b[0m upstream: GetThing: ") {
		t.Errorf("stderr = %q, want the yellow 404 status line then the red summary", stderr)
	}
	if plain := sgr.ReplaceAllString(stderr, ""); strings.Contains(plain, "\x1b") {
		t.Errorf("stray escape in %q", stderr)
	}
}

// TestTerminalYAML: -o yaml is coloured on a terminal like JSON, and plain
// with NO_COLOR or when piped.
func TestTerminalYAML(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	plain := "gone: null\nid: 1\nname: x\nok: true\ntags:\n  - a\n"
	out, errw := openPTY(t), openPTY(t)
	if code := ttyRun(t, "1", out.tty, errw.tty, "-o", "yaml"); code != 0 {
		t.Fatalf("exit %d; stderr %q", code, errw.text())
	}
	want := "\x1b[34mgone\x1b[0m: \x1b[35mnull\x1b[0m\n\x1b[34mid\x1b[0m: \x1b[36m1\x1b[0m\n\x1b[34mname\x1b[0m: \x1b[32mx\x1b[0m\n" +
		"\x1b[34mok\x1b[0m: \x1b[33mtrue\x1b[0m\n\x1b[34mtags\x1b[0m:\n  - \x1b[32ma\x1b[0m\n"
	if got := out.text(); got != want {
		t.Errorf("stdout =\n%q\nwant\n%q", got, want)
	}
	t.Setenv("NO_COLOR", "1")
	out, errw = openPTY(t), openPTY(t)
	if code := ttyRun(t, "1", out.tty, errw.tty, "-o", "yaml"); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if got := out.text(); got != plain {
		t.Errorf("NO_COLOR stdout = %q, want %q", got, plain)
	}
	t.Setenv("NO_COLOR", "")
	var stdout bytes.Buffer
	errw = openPTY(t)
	if code := ttyRun(t, "1", &stdout, errw.tty, "-o", "yaml"); code != 0 || stdout.String() != plain {
		t.Errorf("piped: exit %d stdout %q, want %q", code, stdout.String(), plain)
	}
}

// TestTerminalPrefixes: on a terminal the "naftiko:" of an error is bold
// red, its "hint:" cyan, and the "warning" of a warning yellow; with
// NO_COLOR the same lines carry no escape.
func TestTerminalPrefixes(t *testing.T) {
	t.Setenv("TERM", "xterm")
	file := filepath.Join(t.TempDir(), "unused.yaml")
	if err := os.WriteFile(file, []byte(`naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: u
    baseUri: https://u.test
    resources:
    - name: things
      path: /things
      operations:
      - name: GetThings
        inputParameters:
        - {name: thing_id, in: path}
        - {name: q, in: query, required: true}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, noColor := range []string{"", "1"} {
		t.Setenv("NO_COLOR", noColor)
		paintIf := func(style, s string) string { return paint(noColor == "", style, s) }
		warn := "naftiko: " + paintIf(sgrYellow, "warning") + ": GetThings: --param thing_id: the path /things has no {thing_id} placeholder, so the value is not sent\n"
		out, errw := openPTY(t), openPTY(t)
		code := Main(context.Background(), []string{"run", file, "GetThings", "--param", "thing_id=1", "--dry-run"},
			strings.NewReader(""), out.tty, errw.tty)
		want := warn + paintIf(sgrBoldRed, "naftiko:") + " usage: GetThings: missing required parameter `q`\n" +
			paintIf(sgrCyan, "hint:") + " pass --param q=…\n"
		if got := errw.text(); code != 2 || got != want {
			t.Errorf("NO_COLOR=%q: exit %d, stderr %q\nwant %q", noColor, code, got, want)
		}
		out, errw = openPTY(t), openPTY(t)
		code = Main(context.Background(), []string{"run", file, "GetThings", "--param", "thing_id=1", "--param", "q=x", "--dry-run"},
			strings.NewReader(""), out.tty, errw.tty)
		if got := errw.text(); code != 0 || got != warn {
			t.Errorf("NO_COLOR=%q: exit %d, stderr %q\nwant %q", noColor, code, got, warn)
		}
	}
}
