package binder

import (
	"context"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// ReadFile reads the file at path like os.ReadFile, but gives up when ctx
// ends: opening a named pipe waits for a writer, and reading a pipe or a
// device waits for data, for as long as it takes. The error is then a
// *fs.PathError wrapping ctx.Err(). A named pipe left waiting for a writer
// is released by opening and closing its writing end, so nothing stays
// blocked behind.
func ReadFile(ctx context.Context, path string) ([]byte, error) {
	return readCtx(ctx, path, func() ([]byte, error) { return os.ReadFile(path) }, func() { releaseFIFO(path) })
}

// ReadAll reads r to its end, giving up when ctx ends (standard input
// that never closes, say); the read then goes on in the background until r
// ends or the process exits. The error is ctx.Err().
func ReadAll(ctx context.Context, r io.Reader) ([]byte, error) {
	return readCtx(ctx, "", func() ([]byte, error) { return io.ReadAll(r) }, nil)
}

// readCtx runs read, returning its result or, when ctx ends first, the
// context's error after calling abandon.
func readCtx(ctx context.Context, path string, read func() ([]byte, error), abandon func()) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, wrapPath(path, err)
	}
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := read()
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		return r.b, r.err
	case <-ctx.Done():
		if abandon != nil {
			settle(done, abandon)
		}
		return nil, wrapPath(path, ctx.Err())
	}
}

// settle calls abandon until the read behind done has returned, for up to
// two seconds. One call is not enough: when ctx ends before the reading
// goroutine has reached its open of a named pipe, releasing the pipe finds
// no reader, and the goroutine would then wait for the next writer and
// take what that writer meant for someone else.
func settle[T any](done <-chan T, abandon func()) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for i := 0; i < 200; i++ {
		abandon()
		select {
		case <-done:
			return
		case <-tick.C:
		}
	}
}

func wrapPath(path string, err error) error {
	if path == "" {
		return err
	}
	return &fs.PathError{Op: "read", Path: path, Err: err}
}

// releaseFIFO opens and closes the writing end of the named pipe at path,
// so that a reader blocked opening it sees an empty stream and returns.
func releaseFIFO(path string) {
	if st, err := os.Stat(path); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		return
	}
	if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}
