package engine

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// ForwardRequest is a request a REST forward passes through to a consumed
// namespace (SPEC.md §11.2). The caller chooses which inbound headers it
// carries (trusted ones, Content-Type, Accept); everything the namespace
// declares is added by Forward.
type ForwardRequest struct {
	Method string
	// Path is the escaped path below the namespace's base URL, without a
	// leading "/"; "" for the base URL itself.
	Path string
	// RawQuery is the inbound query string, sent as it came.
	RawQuery string
	// Header holds the inbound headers to pass on.
	Header http.Header
	// Body is the request body, or nil.
	Body []byte
}

// Forward sends fr once to the consumed namespace ns, the way any of the
// namespace's operations is sent: its base URL (or a WithBaseURI
// override), its declared headers, its inputParameters that have a value
// (headers, query pairs, cookies), its authentication (every scheme,
// OAuth2 tokens and Digest challenges included, and an empty credential
// refused before anything is sent) and the WithHeader headers. A header
// the namespace sets replaces the inbound one of that name, except
// Content-Type and Accept, which describe the forwarded body and what the
// caller accepts.
//
// It is not retried (a forwarded method need not be idempotent) and the
// answer is returned as it is, whatever its status, with the body unread:
// the caller closes it. ctx bounds the whole exchange, body included.
// Errors are *spec.Error: usage for an unknown namespace, else what
// preparing or sending any operation returns.
func (e *Engine) Forward(ctx context.Context, ns string, fr ForwardRequest) (resp *http.Response, err error) {
	op := e.prog.Forward(ns)
	if op == nil {
		return nil, spec.Errorf(spec.KindUsage, "the capability consumes no namespace %s", ns)
	}
	defer func() {
		if r := recover(); r != nil {
			resp, err = nil, &spec.Error{Kind: spec.KindInternal, Msg: "panic while forwarding: " + e.red.Redact(toString(r))}
		}
		if err != nil {
			err = e.finish(err, op.Ref)
		}
	}()
	pr, err := e.prepareForward(ctx, op, fr)
	if err != nil {
		return nil, err
	}
	ct := e.callTrace(ctx)
	ctx = e.traceSend(ctx)
	start := ct.attemptStart(e, pr, 1, 1)
	resp, err = e.exchange(ctx, pr)
	if err != nil {
		var se *spec.Error
		if !errors.As(err, &se) {
			se = transportError(err, ctx)
		}
		err = se
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	ct.attemptDone(e, pr, 1, 1, start, status, err)
	return resp, err
}

// prepareForward builds the request of a forward on the namespace's
// forward operation.
func (e *Engine) prepareForward(ctx context.Context, op *Operation, fr ForwardRequest) (*Prepared, error) {
	p, err := e.plan(op)
	if err != nil {
		return nil, err
	}
	s := &scope{ctx: ctx, e: e, p: p, vals: map[string]value{}}
	if err := e.computedValues(s); err != nil {
		return nil, err
	}
	return e.build(s, fr.Method, op.Ref, &callConfig{}, &fr)
}

// addPathQuery appends the forwarded path to u's path and the forwarded
// query to qb, which holds u's own query, refusing either when it could
// not be sent as it came.
func (fr *ForwardRequest) addPathQuery(u *url.URL, qb *strings.Builder) error {
	if fr.Path != "" {
		if err := checkForwardPath(fr.Path); err != nil {
			return err
		}
		path := strings.TrimRight(u.EscapedPath(), "/") + "/" + fr.Path
		u.RawPath = ""
		if dec, err := url.PathUnescape(path); err == nil {
			u.Path, u.RawPath = dec, path
		} else {
			u.Path = path
		}
	}
	if strings.ContainsFunc(fr.RawQuery, func(r rune) bool { return r == '#' || r <= ' ' || r == 0x7f }) {
		return &spec.Error{Kind: spec.KindUsage, Msg: "the forwarded query " + quote(fr.RawQuery) + " has a space, control character or #; nothing was sent"}
	}
	if fr.RawQuery != "" {
		if qb.Len() > 0 {
			qb.WriteByte('&')
		}
		qb.WriteString(fr.RawQuery)
	}
	return nil
}

// passOn gives pr the forwarded body and the inbound headers the
// namespace does not set, then checks every header value.
func (fr *ForwardRequest) passOn(pr *Prepared) error {
	// The forwarded body and its type are the caller's, whatever the
	// namespace's inputParameters would build.
	pr.Body = fr.Body
	pr.Header.Del("Content-Type")
	for name, vs := range fr.Header {
		ck := http.CanonicalHeaderKey(name)
		if ck == "Authorization" && pr.sendAuth() != nil {
			continue
		}
		if ck == "Content-Type" || ck == "Accept" || len(pr.Header[ck]) == 0 {
			pr.Header[ck] = append([]string(nil), vs...)
		}
	}
	return checkHeaderValues(pr.Header)
}

// checkForwardPath refuses a forwarded path that is not validly
// percent-encoded (it would be sent re-encoded, not as it came) or that
// has a "." or ".." segment, written plainly or encoded: an upstream that
// resolves dot segments would answer from outside the namespace's base
// path.
func checkForwardPath(p string) error {
	for _, seg := range strings.Split(p, "/") {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			return &spec.Error{Kind: spec.KindUsage, Msg: "the forwarded path " + quote(p) + " is not validly percent-encoded; nothing was sent"}
		}
		if dec == "." || dec == ".." {
			return &spec.Error{Kind: spec.KindUsage, Msg: "the forwarded path " + quote(p) + " has a " + quote(dec) + " segment, which would leave the namespace's base path; nothing was sent"}
		}
	}
	return nil
}
