package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/naftiko/naftiko/spec"
)

// Send sends a prepared request, retrying where SPEC.md §8 allows, and
// decodes the answer.
func (e *Engine) Send(ctx context.Context, pr *Prepared) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, &spec.Error{Kind: spec.KindInternal, Msg: "panic while calling: " + e.red.Redact(toString(r))}
		}
		if err != nil {
			err = e.finish(err, pr.ref)
		}
	}()
	if pr == nil || pr.e != e {
		return nil, spec.Errorf(spec.KindUsage, "Send: the request was not prepared by this engine")
	}
	retryable := pr.Method == http.MethodGet || pr.Method == http.MethodHead
	attempts := 1
	if retryable {
		attempts += e.retries
	}
	ct := e.callTrace(ctx)
	ctx = e.traceSend(ctx)
	var last error
	made := 0
	for n := 1; n <= attempts; n++ {
		made = n
		start := ct.attemptStart(e, pr, n, attempts)
		status, header, body, wait, aerr := e.attempt(ctx, pr)
		if aerr == nil && (status < 200 || status > 299) {
			aerr = e.upstreamError(pr, status, header, body)
		}
		ct.attemptDone(e, pr, n, attempts, start, status, aerr)
		if aerr == nil {
			return e.result(pr, status, header, body)
		}
		last = aerr
		if n == attempts || !wait.retry || ctx.Err() != nil {
			break
		}
		d := wait.after
		if d < 0 {
			ceil := min(10*time.Second, 500*time.Millisecond<<(n-1))
			d = e.jitter(ceil)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			break
		}
		e.logger.Debug("retrying", "operation", pr.ref, "attempt", n+1, "wait", d)
		if ct != nil && ct.Retry != nil {
			ct.Retry(Retry{Operation: pr.ref, Method: pr.Method, URL: e.safeRawURL(pr.URL), Attempt: n + 1, Attempts: attempts, Status: status, Reason: e.retryReason(status, aerr), Wait: d})
		}
		if err := e.sleep(ctx, d); err != nil {
			last = transportError(err, ctx)
			break
		}
	}
	if se, ok := last.(*spec.Error); ok && made > 1 {
		se.Msg += fmt.Sprintf(" (after %d attempts)", made)
	}
	return nil, last
}

type retryInfo struct {
	retry bool
	after time.Duration // < 0: backoff
}

// attempt sends the request once (exchange) and reads the answer.
func (e *Engine) attempt(ctx context.Context, pr *Prepared) (int, http.Header, []byte, retryInfo, error) {
	actx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	resp, err := e.exchange(actx, pr)
	if err != nil {
		var se *spec.Error
		if errors.As(err, &se) {
			return 0, nil, nil, retryInfo{}, se
		}
		te := e.attemptError(err, ctx, actx)
		return 0, nil, nil, retryInfo{retry: ctx.Err() == nil && retryableNetErr(err, actx), after: -1}, te
	}
	defer resp.Body.Close()
	limit := e.maxResp
	if m := pr.plan.Source.Op.MaxResponseSize; m > 0 {
		limit = m
	} else if m := pr.plan.Source.Adapter.MaxResponseSize; m > 0 {
		limit = m
	}
	body, err := readCapped(resp.Body, limit, resp.ContentLength)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return 0, nil, nil, retryInfo{}, &spec.Error{Kind: spec.KindTransport,
				Msg:    fmt.Sprintf("response from %s exceeds the %s limit", pr.plan.Spellings()[1], sizeText(limit)),
				Remedy: spec.RemedyMaxSize}
		}
		return 0, nil, nil, retryInfo{}, e.attemptError(err, ctx, actx)
	}
	ri := retryInfo{}
	switch resp.StatusCode {
	case 429, 502, 503, 504:
		ri.retry, ri.after = true, retryAfter(resp.Header.Get("Retry-After"))
	}
	return resp.StatusCode, resp.Header, body, ri, nil
}

// exchange sends pr once, with the resends its authentication needs (a
// digest challenge, a refreshed OAuth2 token). Errors of the client are
// returned as they are.
func (e *Engine) exchange(ctx context.Context, pr *Prepared) (*http.Response, error) {
	if a := pr.sendAuth(); a != nil {
		return a.do(ctx, e, pr)
	}
	return e.send1(ctx, pr, nil)
}

// send1 builds one request, lets prep add what the authentication computes
// from the final request (a signature, a digest response, a token), and
// sends it. Errors of the client are returned as they are.
func (e *Engine) send1(ctx context.Context, pr *Prepared, prep func(*http.Request) error) (*http.Response, error) {
	req, err := e.request(ctx, pr)
	if err != nil {
		return nil, err
	}
	if prep != nil {
		if err := prep(req); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	e.traceRequest(pr, req)
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	e.traceResponse(resp)
	return resp, nil
}

var errTooLarge = errors.New("response too large")

// errTooManyRedirects stops a redirect chain (a loop, most often); the
// attempt that met it is not retried, since a retry would loop again.
var errTooManyRedirects = fmt.Errorf("stopped after %d redirects", maxRedirects)

func readCapped(r io.Reader, limit, declared int64) ([]byte, error) {
	if declared > limit {
		return nil, errTooLarge
	}
	if declared >= 0 && declared <= 1<<20 {
		// The common case: a declared length, read in one allocation.
		buf := make([]byte, declared, declared+1)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		var one [1]byte
		if n, _ := r.Read(one[:]); n == 0 {
			return buf, nil
		}
		// More than declared: fall through on what is left.
		rest, err := readCapped(r, limit-declared-1, -1)
		if err != nil {
			return nil, err
		}
		return append(append(buf, one[0]), rest...), nil
	}
	var buf bytes.Buffer
	if declared > 0 {
		buf.Grow(int(declared))
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// retryAfter parses a Retry-After header as delta-seconds or an HTTP date,
// capped at 60s; -1 when absent or unparsable (use backoff).
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	const limit = 60 * time.Second
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return -1
		}
		return min(time.Duration(n)*time.Second, limit)
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), limit)
	}
	return -1
}

func retryableNetErr(err error, ctx context.Context) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, errTooManyRedirects) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// attemptError is transportError for a failure of one attempt, whose
// context actx is ctx with the per-attempt timeout: when that timeout,
// not ctx, ended the attempt, the message names it.
func (e *Engine) attemptError(err error, ctx, actx context.Context) *spec.Error {
	te := transportError(err, actx)
	if te.Timeout && ctx.Err() == nil {
		te.Msg = fmt.Sprintf("timed out after %s waiting for the upstream", e.timeout)
	}
	return te
}

// transportError is the error of a request the client could not complete
// (an attempt of a call, a forward, a token request) under ctx.
func transportError(err error, ctx context.Context) *spec.Error {
	te := &spec.Error{Kind: spec.KindTransport, Err: err}
	if errors.Is(err, errTooManyRedirects) {
		te.Hint, te.Remedy = "the upstream redirects in a loop or through too many hops", spec.RemedyHops
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		te.Timeout = true
		te.Msg = "timed out waiting for the upstream"
		te.Remedy = spec.RemedyTimeout
	case errors.Is(err, context.Canceled):
		te.Msg = "cancelled"
	default:
		msg := err.Error()
		var ue *url.Error
		if errors.As(err, &ue) {
			msg = ue.Err.Error()
		}
		te.Msg = "request failed: " + msg
	}
	return te
}

// request builds the *http.Request for one attempt. The body is opened
// afresh (a file reopened, a multipart stream restarted), and GetBody
// opens it again for redirects.
func (e *Engine) request(ctx context.Context, pr *Prepared) (*http.Request, error) {
	body, length, err := pr.openBody()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, authKey{}, pr), pr.Method, pr.URL, body)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, &spec.Error{Kind: spec.KindRequest, Msg: "cannot build the request: " + e.red.Redact(err.Error())}
	}
	if body != nil {
		req.ContentLength = length
		if body == http.NoBody {
			req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		} else {
			req.GetBody = func() (io.ReadCloser, error) {
				rc, _, err := pr.openBody()
				return rc, err
			}
		}
	}
	for k, vs := range pr.Header {
		req.Header[k] = vs
	}
	if h := req.Header.Get("Host"); h != "" {
		req.Host = h
	}
	return req, nil
}

// openBody opens the request body and returns its length; nil when the
// request has none.
func (pr *Prepared) openBody() (io.ReadCloser, int64, error) {
	switch {
	case pr.BodyFile != "":
		f, err := os.Open(pr.BodyFile)
		if err != nil {
			return nil, 0, &spec.Error{Kind: spec.KindUsage, Msg: "request body file: " + err.Error()}
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, &spec.Error{Kind: spec.KindUsage, Msg: "request body file: " + err.Error()}
		}
		return f, st.Size(), nil
	case pr.streamBody() != nil:
		return pr.x.stream.open(), pr.x.stream.length, nil
	case pr.Body != nil:
		if len(pr.Body) == 0 {
			return http.NoBody, 0, nil
		}
		return io.NopCloser(bytes.NewReader(pr.Body)), int64(len(pr.Body)), nil
	}
	return nil, 0, nil
}

type authKey struct{}

// wrapClient returns a shallow copy of c whose redirect policy removes the
// credentials authentication produced when a redirect leaves the original
// scheme and host (SPEC.md §7.3).
func (e *Engine) wrapClient(c *http.Client) *http.Client {
	cc := *c
	cc.Transport = e.traceTransport(c.Transport)
	orig := c.CheckRedirect
	cc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			e.redirectHop(req, via, true)
			return errTooManyRedirects
		}
		first := via[0]
		if req.URL.Host != first.URL.Host || (first.URL.Scheme == "https" && req.URL.Scheme != "https") {
			if pr, ok := first.Context().Value(authKey{}).(*Prepared); ok {
				for _, h := range pr.authHeaders {
					req.Header.Del(h)
				}
				stripAuthQuery(req.URL, pr.authQuery())
			}
			req.Header.Del("Authorization")
			req.Header.Del("Cookie")
		}
		if orig != nil {
			if err := orig(req, via); err != nil {
				return err
			}
		}
		e.redirectHop(req, via, false)
		return nil
	}
	return &cc
}
