package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestColorJSON(t *testing.T) {
	in := `{
  "a": "x\"y: z",
  "n": -1.5e3,
  "ok": true,
  "no": false,
  "v": null,
  "list": [1, "s"]
}
`
	want := "{\n" +
		"  \x1b[34m\"a\"\x1b[0m: \x1b[32m\"x\\\"y: z\"\x1b[0m,\n" +
		"  \x1b[34m\"n\"\x1b[0m: \x1b[36m-1.5e3\x1b[0m,\n" +
		"  \x1b[34m\"ok\"\x1b[0m: \x1b[33mtrue\x1b[0m,\n" +
		"  \x1b[34m\"no\"\x1b[0m: \x1b[33mfalse\x1b[0m,\n" +
		"  \x1b[34m\"v\"\x1b[0m: \x1b[35mnull\x1b[0m,\n" +
		"  \x1b[34m\"list\"\x1b[0m: [\x1b[36m1\x1b[0m, \x1b[32m\"s\"\x1b[0m]\n" +
		"}\n"
	got := string(colorJSON([]byte(in)))
	if got != want {
		t.Errorf("colorJSON =\n%q\nwant\n%q", got, want)
	}
	if plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(got, ""); plain != in {
		t.Errorf("without its colour codes the text changed:\n%s", plain)
	}
}

func TestStatusLine(t *testing.T) {
	for _, tc := range []struct {
		status int
		d      time.Duration
		size   int
		color  bool
		want   string
	}{
		{200, 143 * time.Millisecond, 2100, false, "200 OK · 143 ms · 2.1 KB"},
		{201, 1499 * time.Microsecond, 0, false, "201 Created · 1 ms · 0 B"},
		{404, 12340 * time.Millisecond, 999, false, "404 Not Found · 12.3 s · 999 B"},
		{599, time.Second, 3_400_000, false, "599 · 1000 ms · 3.4 MB"},
		{200, 143 * time.Millisecond, 2100, true, "\x1b[1;32m200 OK\x1b[0m\x1b[2m · 143 ms · 2.1 KB\x1b[0m"},
		{302, 0, 0, true, "\x1b[1;36m302 Found\x1b[0m\x1b[2m · 0 ms · 0 B\x1b[0m"},
		{429, 0, 0, true, "\x1b[1;33m429 Too Many Requests\x1b[0m\x1b[2m · 0 ms · 0 B\x1b[0m"},
		{503, 0, 0, true, "\x1b[1;31m503 Service Unavailable\x1b[0m\x1b[2m · 0 ms · 0 B\x1b[0m"},
	} {
		if got := statusLine(tc.status, tc.d, tc.size, tc.color); got != tc.want {
			t.Errorf("statusLine(%d, %s, %d, %v) = %q, want %q", tc.status, tc.d, tc.size, tc.color, got, tc.want)
		}
	}
}

// TestNotATerminal: a buffer, a pipe and /dev/null (a character device)
// are not terminals.
func TestNotATerminal(t *testing.T) {
	var b bytes.Buffer
	if isTerminal(&b) {
		t.Error("a bytes.Buffer is a terminal")
	}
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Errorf("%s is a terminal", os.DevNull)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) {
		t.Error("a pipe is a terminal")
	}
}

// TestVerboseRetries: -v prints one line per retry, with why and how long
// the engine waits; nothing of it without -v.
func TestVerboseRetries(t *testing.T) {
	var n atomic.Int32
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer up.Close()
	file := filepath.Join(t.TempDir(), "slow.yaml")
	if err := os.WriteFile(file, []byte(slowCapability), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, verbose := range []bool{true, false} {
		n.Store(0)
		args := []string{"run", file, "Slow", "--base-uri", up.URL}
		if verbose {
			args = append(args, "-v")
		}
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), args, strings.NewReader(""), &stdout, &stderr); code != 0 || stdout.String() != "{\"ok\":true}\n" {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
		}
		const line = "* retry 1 of 2 in 0s after 503 Service Unavailable\n"
		if got := strings.Count(stderr.String(), line); got != map[bool]int{true: 1, false: 0}[verbose] {
			t.Errorf("-v=%v: %d retry lines in stderr %q", verbose, got, stderr.String())
		}
		// Said once: not also as the engine's debug record.
		if strings.Contains(stderr.String(), "retrying") {
			t.Errorf("-v=%v: the retry is logged twice: %q", verbose, stderr.String())
		}
	}
}

func TestColorYAML(t *testing.T) {
	v := map[string]any{
		"a": "x: y", "n": -1.5, "i": 3, "ok": true, "v": nil, "s": "plain text",
		"q": "007", "e": "", "multi": "line one\nline two\n", "list": []any{1, "s", map[string]any{"k": false}},
		"ünï": "çödé", "quoted key: x": "'single'",
	}
	var buf bytes.Buffer
	if err := writeValue(&buf, v, "yaml", true); err != nil {
		t.Fatal(err)
	}
	in := buf.String()
	got := string(colorYAML(buf.Bytes()))
	const (
		b = "\x1b[34m"
		g = "\x1b[32m"
		c = "\x1b[36m"
		y = "\x1b[33m"
		m = "\x1b[35m"
		z = "\x1b[0m"
	)
	want := b + "a" + z + ": " + g + "'x: y'" + z + "\n" +
		b + "e" + z + ": " + g + "\"\"" + z + "\n" +
		b + "i" + z + ": " + c + "3" + z + "\n" +
		b + "list" + z + ":\n" +
		"  - " + c + "1" + z + "\n" +
		"  - " + g + "s" + z + "\n" +
		"  - " + b + "k" + z + ": " + y + "false" + z + "\n" +
		b + "multi" + z + ": " + g + "|" + z + "\n" +
		"  " + g + "line one" + z + "\n" +
		"  " + g + "line two" + z + "\n" +
		b + "n" + z + ": " + c + "-1.5" + z + "\n" +
		b + "ok" + z + ": " + y + "true" + z + "\n" +
		b + "q" + z + ": " + g + "\"007\"" + z + "\n" +
		b + "'quoted key: x'" + z + ": " + g + "'''single'''" + z + "\n" +
		b + "s" + z + ": " + g + "plain text" + z + "\n" +
		b + "v" + z + ": " + m + "null" + z + "\n" +
		b + "ünï" + z + ": " + g + "çödé" + z + "\n"
	if got != want {
		t.Errorf("colorYAML of\n%s=\n%q\nwant\n%q", in, got, want)
	}
	if plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(got, ""); plain != in {
		t.Errorf("without its colour codes the text changed:\n%s", plain)
	}
	// A result that is one scalar or a list, and a block string in a list.
	for v, want := range map[string]string{
		"7":                              c + "7" + z + "\n",
		`"two\nlines"`:                   g + "|-" + z + "\n  " + g + "two" + z + "\n  " + g + "lines" + z + "\n",
		`["a\nb", null]`:                 "- " + g + "|-" + z + "\n  " + g + "a" + z + "\n  " + g + "b" + z + "\n- " + m + "null" + z + "\n",
		`{"x": {"y": "1\n2\n"}, "z": 1}`: b + "x" + z + ":\n  " + b + "y" + z + ": " + g + "|" + z + "\n    " + g + "1" + z + "\n    " + g + "2" + z + "\n" + b + "z" + z + ": " + c + "1" + z + "\n",
	} {
		var x any
		if err := json.Unmarshal([]byte(v), &x); err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		writeValue(&buf, x, "yaml", true)
		if got := string(colorYAML(buf.Bytes())); got != want {
			t.Errorf("colorYAML of\n%s=\n%q\nwant\n%q", buf.String(), got, want)
		}
	}
}

// BenchmarkColorYAML colours a 2000-item list (8000 lines), as printed on
// a terminal.
func BenchmarkColorYAML(b *testing.B) {
	items := make([]any, 2000)
	for i := range items {
		items[i] = map[string]any{"id": i, "name": "n", "ok": true, "note": nil}
	}
	var buf bytes.Buffer
	if err := writeValue(&buf, items, "yaml", true); err != nil {
		b.Fatal(err)
	}
	in := buf.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		colorYAML(in)
	}
}
