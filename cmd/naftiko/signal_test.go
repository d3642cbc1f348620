package main

import (
	"bytes"
	"context"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestSecondSignalExits: the first SIGINT or SIGTERM cancels the command's
// context and lets it finish; a second one, while the command is still
// busy (a server draining), prints "naftiko: interrupted" and exits 130
// at once.
func TestSecondSignalExits(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	var mu sync.Mutex
	var stderr bytes.Buffer
	exited := make(chan int, 1)
	release := make(chan struct{})
	cancelled := make(chan struct{})
	done := make(chan int, 1)
	go func() {
		done <- runWithSignals(sigs, &lockedWriter{mu: &mu, w: &stderr}, func(code int) { exited <- code }, func(ctx context.Context) int {
			<-ctx.Done()
			close(cancelled)
			<-release // still draining
			return 0
		})
	}()
	sigs <- syscall.SIGTERM
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the first signal did not cancel the context")
	}
	select {
	case code := <-exited:
		t.Fatalf("exit(%d) after one signal", code)
	case <-time.After(50 * time.Millisecond):
	}
	sigs <- os.Interrupt
	select {
	case code := <-exited:
		if code != 130 {
			t.Errorf("exit(%d), want 130", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	mu.Lock()
	if got := stderr.String(); got != "naftiko: interrupted\n" {
		t.Errorf("stderr %q", got)
	}
	mu.Unlock()
	close(release)
	<-done
}

// TestOneSignalLetsTheCommandFinish: after one signal the command's own
// exit status is returned and nothing is printed.
func TestOneSignalLetsTheCommandFinish(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	var stderr bytes.Buffer
	sigs <- os.Interrupt
	code := runWithSignals(sigs, &stderr, func(code int) { t.Errorf("exit(%d)", code) }, func(ctx context.Context) int {
		<-ctx.Done()
		return 0
	})
	if code != 0 || stderr.Len() != 0 {
		t.Errorf("code %d, stderr %q", code, stderr.String())
	}
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
