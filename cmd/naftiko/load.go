package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/naftiko/naftiko/spec"
)

// load loads the capability at path ("-" reads it from stdin). When the
// document cannot be loaded it prints every diagnostic on stderr, compiler
// style, and returns a reportedError carrying the exit status.
func (a *app) load(ctx context.Context, path string) (*spec.Capability, error) {
	var (
		c   *spec.Capability
		err error
	)
	if path == "-" {
		data, rerr := a.stdin.read(ctx, "the capability file -")
		if rerr != nil {
			return nil, rerr
		}
		c, err = spec.Parse(data, "<stdin>")
	} else {
		c, err = spec.LoadFile(path)
	}
	if err == nil {
		return c, nil
	}
	se := spec.AsError(err)
	hasError := slices.ContainsFunc(se.Diagnostics, func(d spec.Diagnostic) bool {
		return d.Severity <= spec.SeverityError
	})
	if !hasError {
		// Nothing positioned to show (an unreadable file, say): the error
		// itself is the report.
		return nil, se
	}
	for _, d := range se.Diagnostics {
		if d.Severity != spec.SeverityInfo {
			fmt.Fprintln(a.stderr, d.String())
		}
	}
	return nil, &reportedError{code: se.ExitCode()}
}
