package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// isatty reports whether f is a terminal: whether it answers TCGETS.
func isatty(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
