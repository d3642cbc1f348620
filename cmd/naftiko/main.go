package main

import (
	"context"
	"fmt"
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		<-sigs
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "naftiko: interrupted")
		os.Exit(130)
	}()
	return Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}
