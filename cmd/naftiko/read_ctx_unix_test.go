//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every file or stream run reads (--body @file, --param k=@file, --param
// k=-, --env-file, the capability file - of run, validate and ops) stops
// when the context ends, as on SIGINT: a named pipe
// with no writer exits 130 instead of hanging. A key file that is a named
// pipe is a binding error at once.
func TestReadsHonourContext(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "keys.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // release any reader left behind
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	op := "  consumes:\n  - type: http\n    namespace: p\n    baseUri: http://127.0.0.1:9\n" +
		"    resources:\n    - name: r\n      path: /r\n      operations:\n      - name: Post\n        method: POST\n" +
		"        inputParameters:\n        - {name: x, in: query}\n        body: {type: json}\n"
	file := write(t, dir, "cap.yaml", "naftiko: 1.0.0-alpha2\ninfo: {label: P}\ncapability:\n"+op)
	keys := write(t, dir, "keys.yaml", "naftiko: 1.0.0-alpha2\ninfo: {label: P}\nbinds:\n"+
		"- namespace: k\n  location: file://./keys.json\n  keys: {T: T}\ncapability:\n"+
		strings.Replace(op, "    resources:", "    authentication: {type: bearer, token: '{{T}}'}\n    resources:", 1))
	stdin, never, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	defer never.Close()
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"run", file, "Post", "--body", "@" + fifo}, 130, "naftiko: transport: --body @" + fifo + ": interrupted while reading\n"},
		{[]string{"run", file, "Post", "--body", "{}", "--param", "x=@" + fifo}, 130, "naftiko: transport: --param x=@" + fifo + ": interrupted while reading\n"},
		{[]string{"run", file, "Post", "--body", "{}", "--env-file", fifo}, 130, "naftiko: transport: --env-file " + fifo + ": interrupted while reading\n"},
		{[]string{"run", file, "Post", "--body", "{}", "--param", "x=-"}, 130, "naftiko: transport: --param x=- (stdin): interrupted while reading\n"},
		{[]string{"run", file, "Post", "--body", "-"}, 130, "naftiko: transport: --body - (stdin): interrupted while reading\n"},
		{[]string{"run", "-", "Post"}, 130, "naftiko: transport: the capability file - (stdin): interrupted while reading\n"},
		{[]string{"validate", "-"}, 130, "naftiko: transport: the capability file - (stdin): interrupted while reading\n"},
		{[]string{"ops", "-"}, 130, "naftiko: transport: the capability file - (stdin): interrupted while reading\n"},
		{[]string{"run", keys, "Post", "--body", "{}", "--dry-run"}, 2, "naftiko: binding: Post: cannot read key file ./keys.json (binds namespace `k`): it is a named pipe (FIFO), not a regular file\n"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(50 * time.Millisecond) // time to block in the read; nothing is asserted about time
			cancel()
		}()
		var out, errb bytes.Buffer
		code := returnsCode(t, func() int { return Main(ctx, tc.args, stdin, &out, &errb) })
		if code != tc.code || !strings.HasPrefix(errb.String(), tc.want) {
			t.Errorf("%q: exit %d, want %d; stderr:\n%s(want %q)", tc.args, code, tc.code, errb.String(), tc.want)
		}
		cancel()
	}
	// A multipart file part is sent with its size: a pipe is refused at once.
	up := write(t, dir, "up.yaml", "naftiko: 1.0.0-alpha2\ninfo: {label: P}\ncapability:\n"+
		"  consumes:\n  - type: http\n    namespace: p\n    baseUri: http://127.0.0.1:9\n"+
		"    resources:\n    - name: r\n      path: /r\n      operations:\n      - name: Up\n        method: POST\n"+
		"        body: {type: multipartForm}\n        inputParameters:\n        - {name: file, in: body, required: true}\n")
	var upOut, upErr bytes.Buffer
	code := returnsCode(t, func() int {
		return Main(context.Background(), []string{"run", up, "Up", "--param", "file=@" + fifo, "--dry-run"}, stdin, &upOut, &upErr)
	})
	if want := "naftiko: usage: Up: multipart part file: " + fifo + " is a named pipe (FIFO), not a regular file\n"; code != 2 || !strings.HasPrefix(upErr.String(), want) {
		t.Errorf("file part from a FIFO: exit %d\n%s(want %q)", code, upErr.String(), want)
	}

	// A pipe with a writer (--body @<(command)) is read once, before the
	// request is built.
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.WriteString(`{"a":1}`)
			f.Close()
		}
	}()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"run", file, "Post", "--body", "@" + fifo, "--dry-run"}, stdin, &out, &errb); code != 0 ||
		!strings.HasSuffix(out.String(), "\n\n{\"a\":1}\n") {
		t.Errorf("--body @fifo with a writer: exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// returnsCode runs f, failing the test when it has not returned within 10
// seconds: it is blocked for good.
func returnsCode(t *testing.T, f func() int) int {
	t.Helper()
	done := make(chan int, 1)
	go func() { done <- f() }()
	select {
	case code := <-done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("still blocked after the context was cancelled")
		return 0
	}
}
