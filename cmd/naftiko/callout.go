package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// printStatus writes the status line of a call on stderr when stderr is a
// terminal: "200 OK · 143 ms · 2.1 KB" for an answer, success or upstream
// error; nothing when no answer came (the error says why).
func (a *app) printStatus(res *engine.Result, err error, d time.Duration) {
	if !isTerminal(a.stderr) {
		return
	}
	var status, size int
	var se *spec.Error
	switch {
	case err == nil && res != nil:
		status, size = res.Status, len(res.Body)
	case errors.As(err, &se) && se.Kind == spec.KindUpstream && se.Status != 0:
		status, size = se.Status, len(se.Raw)
	default:
		return
	}
	fmt.Fprintln(a.stderr, statusLine(status, d, size, a.colorOn(a.stderr)))
}

// hopTrace is the CallTrace of run -v: one line on stderr for every
// redirect followed and every retry, next to the request and response
// headers the engine traces. What the engine hands the hooks is already
// redacted.
func (a *app) hopTrace() *engine.CallTrace {
	color := a.colorOn(a.stderr)
	return &engine.CallTrace{
		RedirectHop: func(h engine.RedirectHop) {
			note := ""
			if h.Stopped {
				note = " (not followed: too many redirects)"
			}
			fmt.Fprintf(a.stderr, "%s redirect %d: %s → %s%s\n", paint(color, sgrCyan, "*"), h.Hop, statusText(h.Status), h.To, note)
		},
		Retry: func(r engine.Retry) {
			fmt.Fprintf(a.stderr, "%s retry %d of %d in %s after %s\n", paint(color, sgrYellow, "*"),
				r.Attempt-1, r.Attempts-1, r.Wait.Round(time.Millisecond), r.Reason)
		},
	}
}
