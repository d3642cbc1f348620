package serve

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/naftiko/naftiko/engine"
	"github.com/naftiko/naftiko/spec"
)

// hopHeaders are never forwarded (RFC 9110 §7.6.1).
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer",
	"Transfer-Encoding", "Upgrade", "Proxy-Connection"}

// returnedHeaders are copied from the upstream answer of a forward.
var returnedHeaders = []string{"Content-Type", "Location", "Etag", "Last-Modified", "Cache-Control", "Retry-After"}

// forwardPasses lists, by canonical name, the inbound headers a forward
// carries: its trusted headers, Content-Type and Accept, never a
// hop-by-hop header, and Authorization only when trusted and the target
// namespace has no authentication of its own.
func forwardPasses(f *spec.Forward) map[string]bool {
	passes := map[string]bool{"Content-Type": true, "Accept": true}
	for _, t := range f.TrustedHeaders {
		passes[http.CanonicalHeaderKey(t)] = true
	}
	if f.Target.Auth != nil {
		delete(passes, "Authorization")
	}
	for _, h := range hopHeaders {
		delete(passes, http.CanonicalHeaderKey(h))
	}
	return passes
}

// forward passes a request through to the route's consumes adapter
// (SPEC.md §11.2) and returns the status written. It picks the inbound
// headers that may pass; the engine sends the request the way it sends
// any operation of that namespace (base URL, declared headers and values,
// authentication).
func (s *Server) forward(w http.ResponseWriter, r *http.Request, rt *route, rest string) int {
	ns := rt.forward.Target.Namespace
	fr := engine.ForwardRequest{Method: r.Method, Path: rest, RawQuery: r.URL.RawQuery, Header: http.Header{}}
	body, err := readRaw(r)
	if err != nil {
		return s.writeError(w, r, err, 0)
	}
	fr.Body = body
	for name, vs := range r.Header {
		if rt.passes[http.CanonicalHeaderKey(name)] {
			fr.Header[name] = slices.Clone(vs)
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.timeout)
	defer cancel()
	ctx, end := s.startSpan(ctx, "rest.forward", attrNamespace.String(ns))
	resp, err := s.eng.Forward(ctx, ns, fr)
	end(err)
	if err != nil {
		return s.writeError(w, r, err, 0)
	}
	defer resp.Body.Close()
	for _, h := range returnedHeaders {
		if vs := resp.Header.Values(h); len(vs) > 0 {
			w.Header()[http.CanonicalHeaderKey(h)] = slices.Clone(vs)
		}
	}
	if resp.ContentLength >= 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
	return resp.StatusCode
}
