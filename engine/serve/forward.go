package serve

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/engine"
)

// hopHeaders are never forwarded (RFC 9110 §7.6.1).
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer",
	"Transfer-Encoding", "Upgrade", "Proxy-Connection"}

// returnedHeaders are copied from the upstream answer of a forward.
var returnedHeaders = []string{"Content-Type", "Location", "Etag", "Last-Modified", "Cache-Control", "Retry-After"}

// forward passes a request through to the route's consumes adapter
// (SPEC.md §11.2) and returns the status written. It picks the inbound
// headers that may pass; the engine sends the request the way it sends
// any operation of that namespace (base URL, declared headers and values,
// authentication).
func (s *Server) forward(w http.ResponseWriter, r *http.Request, rt *route, rest string) int {
	f := rt.forward
	a := f.Target
	fr := engine.ForwardRequest{Method: r.Method, Path: rest, RawQuery: r.URL.RawQuery, Header: http.Header{}}
	body, err := readRaw(r)
	if err != nil {
		return s.writeError(w, r, err, 0)
	}
	fr.Body = body
	trusted := func(name string) bool {
		return slices.ContainsFunc(f.TrustedHeaders, func(t string) bool { return strings.EqualFold(t, name) })
	}
	for name, vs := range r.Header {
		if slices.ContainsFunc(hopHeaders, func(h string) bool { return strings.EqualFold(h, name) }) {
			continue
		}
		switch {
		case strings.EqualFold(name, "Authorization"):
			if a.Auth != nil || !trusted(name) {
				continue
			}
		case strings.EqualFold(name, "Content-Type"), strings.EqualFold(name, "Accept"):
		case !trusted(name):
			continue
		}
		fr.Header[name] = slices.Clone(vs)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.timeout)
	defer cancel()
	ctx, end := s.startSpan(ctx, "rest.forward", attrNamespace.String(a.Namespace))
	resp, err := s.eng.Forward(ctx, a.Namespace, fr)
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
