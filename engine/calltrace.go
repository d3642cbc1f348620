package engine

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/naftiko/naftiko/spec"
)

// CallTrace is a set of optional hooks the engine calls while it sends one
// operation, in the spirit of net/http/httptrace. Attach it to the context
// given to Send (or Call) with WithCallTrace; the engine looks it up with
// CallTraceFrom. Any field may be nil.
//
// Everything the hooks receive is safe to print: URLs have their userinfo
// removed and every secret the engine knows replaced by ****, and error
// texts are redacted the same way. Hooks run synchronously on the calling
// goroutine (RedirectHop on the goroutine of the HTTP client), so they
// must be quick; concurrent calls sharing one CallTrace call it
// concurrently.
//
// For one Send the order is: AttemptStart(1), RedirectHop for each
// redirect followed, AttemptDone(1), then, when the attempt is retried,
// Retry followed by AttemptStart(2) and so on. The resends authentication
// needs within one attempt (a Digest challenge, a refreshed OAuth2 token)
// belong to that attempt. OAuth2 token requests are not attempts.
type CallTrace struct {
	// AttemptStart is called before each attempt is sent.
	AttemptStart func(AttemptStart)
	// AttemptDone is called when an attempt ends: after its response body
	// was read, or when it failed.
	AttemptDone func(AttemptDone)
	// Retry is called when a failed attempt will be retried, before the
	// engine waits.
	Retry func(Retry)
	// RedirectHop is called for each redirect the HTTP client follows,
	// and for the redirect it does not follow when a chain reaches the
	// limit (a loop, most often), with Stopped set.
	RedirectHop func(RedirectHop)
}

// AttemptStart describes an attempt about to be sent.
type AttemptStart struct {
	// Operation is the operation reference as the caller wrote it.
	Operation string
	// Attempt counts from 1; Attempts is the most this call may make.
	Attempt, Attempts int
	// Method and URL of the request (URL redacted).
	Method, URL string
}

// AttemptDone describes how an attempt ended.
type AttemptDone struct {
	Operation         string
	Attempt, Attempts int
	Method, URL       string
	// Status is the final status of the answer (after redirects); 0 when
	// none arrived.
	Status int
	// Duration runs from AttemptStart until the body was read or the
	// attempt failed.
	Duration time.Duration
	// Err is nil when the attempt succeeded (a 2xx answer). Otherwise it is
	// a *spec.Error whose Msg and Hint are redacted and which carries no
	// header, body or cause.
	Err error
}

// Retry describes a retry about to happen.
type Retry struct {
	Operation string
	// Method and URL of the request retried (URL redacted).
	Method, URL string
	// Attempt is the number of the attempt that follows the wait (2 for
	// the first retry); Attempts is the most this call may make.
	Attempt, Attempts int
	// Status is the status that caused the retry (429, 502, 503, 504), or
	// 0 for a network error.
	Status int
	// Reason says why, redacted: "503 Service Unavailable" or the network
	// error ("request failed: connection refused").
	Reason string
	// Wait is how long the engine waits before the next attempt (from
	// Retry-After, or the backoff).
	Wait time.Duration
}

// RedirectHop describes a redirect answered to the HTTP client.
type RedirectHop struct {
	Operation string
	// Status is the status of the redirect answer (301, 302, 303, 307,
	// 308); From and To are the URLs (redacted) of the request that got it
	// and of the next one. Hop counts from 1 within an attempt.
	Status   int
	From, To string
	Hop      int
	// Stopped is set on the redirect that was not followed because the
	// chain reached the limit of redirects; the attempt then fails.
	Stopped bool
}

type callTraceKey struct{}

// WithCallTrace returns a context carrying t. When ctx already carries a
// CallTrace, both are called: t's hooks first, then the earlier ones.
func WithCallTrace(ctx context.Context, t *CallTrace) context.Context {
	if t == nil {
		return ctx
	}
	if old := CallTraceFrom(ctx); old != nil {
		t = t.compose(old)
	}
	return context.WithValue(ctx, callTraceKey{}, t)
}

// WithCallTraceAlways sets hooks called for every call of the engine, in
// addition to (after) those of the call's context: how a server samples
// retries whatever the caller.
func WithCallTraceAlways(t *CallTrace) Option {
	return func(e *Engine) { e.always = t }
}

// callTrace is the CallTrace of one Send: the context's and the engine's.
func (e *Engine) callTrace(ctx context.Context) *CallTrace {
	t := CallTraceFrom(ctx)
	switch {
	case e.always == nil:
		return t
	case t == nil:
		return e.always
	}
	return t.compose(e.always)
}

// CallTraceFrom returns the CallTrace ctx carries, or nil.
func CallTraceFrom(ctx context.Context) *CallTrace {
	t, _ := ctx.Value(callTraceKey{}).(*CallTrace)
	return t
}

func (t *CallTrace) compose(old *CallTrace) *CallTrace {
	return &CallTrace{
		AttemptStart: both(t.AttemptStart, old.AttemptStart),
		AttemptDone:  both(t.AttemptDone, old.AttemptDone),
		Retry:        both(t.Retry, old.Retry),
		RedirectHop:  both(t.RedirectHop, old.RedirectHop),
	}
}

func both[T any](a, b func(T)) func(T) {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func(v T) { a(v); b(v) }
}

// safeURL is u as hooks and spans may show it: no userinfo, secrets
// masked.
func (e *Engine) safeURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.User != nil {
		c := *u
		c.User = nil
		u = &c
	}
	return e.red.Redact(u.String())
}

// safeRawURL is safeURL for a URL not yet parsed.
func (e *Engine) safeRawURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return e.red.Redact(raw)
	}
	return e.safeURL(u)
}

// safeError is err as hooks may show it: a *spec.Error with its texts
// redacted and nothing else that could hold a secret.
func (e *Engine) safeError(err error, ref string) error {
	if err == nil {
		return nil
	}
	se := spec.AsError(err)
	if se.Ref != "" {
		ref = se.Ref
	}
	return &spec.Error{Kind: se.Kind, Ref: ref, Msg: e.red.Redact(se.Msg), Hint: e.red.Redact(se.Hint),
		Inputs: se.Inputs, Env: se.Env, Remedy: se.Remedy, Pos: se.Pos, Status: se.Status, Timeout: se.Timeout}
}

// redirectHop reports a redirect the client follows (or, stopped, the one
// that ended a chain too long) to the CallTrace of the request's context.
func (e *Engine) redirectHop(req *http.Request, via []*http.Request, stopped bool) {
	t := CallTraceFrom(req.Context())
	if t == nil || t.RedirectHop == nil {
		return
	}
	h := RedirectHop{From: e.safeURL(via[len(via)-1].URL), To: e.safeURL(req.URL), Hop: len(via), Stopped: stopped}
	if req.Response != nil {
		h.Status = req.Response.StatusCode
	}
	if pr, ok := via[0].Context().Value(authKey{}).(*Prepared); ok {
		h.Operation = pr.ref
	}
	t.RedirectHop(h)
}

// attemptStart reports attempt n of a request to t, a CallTrace or nil,
// and returns when it starts (the zero time when t is nil).
func (t *CallTrace) attemptStart(e *Engine, pr *Prepared, n, of int) time.Time {
	if t == nil {
		return time.Time{}
	}
	if t.AttemptStart != nil {
		t.AttemptStart(AttemptStart{Operation: pr.ref, Attempt: n, Attempts: of, Method: pr.Method, URL: e.safeRawURL(pr.URL)})
	}
	return time.Now()
}

// attemptDone reports the end of attempt n to t, a CallTrace or nil.
func (t *CallTrace) attemptDone(e *Engine, pr *Prepared, n, of int, start time.Time, status int, err error) {
	if t == nil || t.AttemptDone == nil {
		return
	}
	t.AttemptDone(AttemptDone{Operation: pr.ref, Attempt: n, Attempts: of, Method: pr.Method, URL: e.safeRawURL(pr.URL),
		Status: status, Duration: time.Since(start), Err: e.safeError(err, pr.ref)})
}

// retryReason says, redacted, why an attempt is retried.
func (e *Engine) retryReason(status int, err error) string {
	if status != 0 {
		return strconv.Itoa(status) + " " + http.StatusText(status)
	}
	return e.red.Redact(spec.AsError(err).Msg)
}
