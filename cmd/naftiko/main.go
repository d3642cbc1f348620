package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(mainWithSignals())
}

// mainWithSignals runs Main on the process's arguments and standard
// streams, cancelling its context on SIGINT or SIGTERM. A second signal
// exits at once with status 130, whatever Main is blocked on.
func mainWithSignals() int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	return runWithSignals(sigs, os.Stderr, os.Exit, func(ctx context.Context) int {
		return Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	})
}

// runWithSignals runs run with a context that the first value on sigs
// cancels; a second value prints "naftiko: interrupted" on stderr and
// calls exit(130) without waiting for run.
func runWithSignals(sigs <-chan os.Signal, stderr io.Writer, exit func(int), run func(context.Context) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-sigs:
		case <-ctx.Done():
			return
		}
		cancel()
		<-sigs
		fmt.Fprintln(stderr, "naftiko: interrupted")
		exit(130)
	}()
	return run(ctx)
}
