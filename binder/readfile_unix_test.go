//go:build unix

package binder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/naftiko/naftiko/spec"
)

// mkfifo makes a named pipe in a fresh directory and, at cleanup, opens
// its writing end so that no reader stays blocked behind the test.
func mkfifo(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Cleanup(func() { releaseFIFO(p) })
	return p
}

// writeFIFO writes text into the named pipe p from a writer of its own,
// which waits for a reader to open p.
func writeFIFO(p, text string) {
	go func() {
		if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
			f.WriteString(text)
			f.Close()
		}
	}()
}

// cancelSoon returns a context cancelled once the test has had time to
// block in the call under test (nothing is asserted about the time).
func cancelSoon(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	return ctx
}

// returns fails the test when f has not returned within 10 seconds: it is
// blocked for good.
func returns[T any](t *testing.T, what string, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked after its context was cancelled", what)
		panic("unreachable")
	}
}

// Reading a named pipe with no writer, or a pipe that never closes, stops
// when the context ends; the pipe is released behind.
func TestReadHonoursContext(t *testing.T) {
	fifo := mkfifo(t, "p")
	err := returns(t, "ReadFile of a FIFO", func() error { _, err := ReadFile(cancelSoon(t), fifo); return err })
	var pe *os.PathError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &pe) || pe.Path != fifo {
		t.Errorf("ReadFile = %v, want a path error wrapping context.Canceled", err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if err := returns(t, "ReadAll of a pipe", func() error { _, err := ReadAll(cancelSoon(t), r); return err }); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadAll = %v, want context.Canceled", err)
	}
	// A writer that comes in time is read as usual.
	writeFIFO(fifo, "A=1\n")
	if b, err := ReadFile(context.Background(), fifo); err != nil || string(b) != "A=1\n" {
		t.Errorf("ReadFile with a writer = %q, %v", b, err)
	}
}

// An --env-file that is a pipe is read (<(command)), as long as the
// context lasts.
func TestEnvFileFIFO(t *testing.T) {
	fifo := mkfifo(t, "s.env")
	err := returns(t, "EnvFiles", func() error { _, err := EnvFiles(cancelSoon(t), []string{fifo}, nil); return err })
	var se *spec.Error
	if !errors.As(err, &se) || se.Kind != spec.KindTransport || !errors.Is(err, context.Canceled) ||
		se.Msg != "--env-file "+fifo+": interrupted while reading" {
		t.Errorf("EnvFiles = %#v", err)
	}
	writeFIFO(fifo, "S=from-a-pipe\n")
	look, err := EnvFiles(context.Background(), []string{fifo}, nil)
	if v, ok := look("S"); err != nil || !ok || v != "from-a-pipe" {
		t.Errorf("EnvFiles with a writer: S = %q, %v, %v", v, ok, err)
	}
}

// A key file that is a named pipe is a binding error at once, not a wait.
func TestKeyFileFIFO(t *testing.T) {
	fifo := mkfifo(t, "keys.json")
	b := New([]*spec.Bind{{Namespace: "k", Location: "file://./keys.json", Keys: []spec.BindKey{{Var: "A", Key: "A"}}}}, filepath.Dir(fifo))
	err := returns(t, "Var", func() error { _, err := b.Var(context.Background(), "A"); return err })
	want := "cannot read key file ./keys.json (binds namespace `k`): it is a named pipe (FIFO), not a regular file"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Var = %v, want %q", err, want)
	}
	returns(t, "Preload", func() bool { b.Preload(context.Background()); return true })
}
