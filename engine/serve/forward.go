package serve

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// hopHeaders are never forwarded (RFC 9110 §7.6.1).
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer",
	"Transfer-Encoding", "Upgrade", "Proxy-Connection"}

// returnedHeaders are copied from the upstream answer of a forward.
var returnedHeaders = []string{"Content-Type", "Location", "Etag", "Last-Modified", "Cache-Control", "Retry-After"}

// forward passes a request through to the route's consumes adapter
// (SPEC.md §11.2) and returns the status written.
func (s *Server) forward(w http.ResponseWriter, r *http.Request, rt *route, rest string) int {
	f := rt.forward
	a := f.Target
	base, err := s.baseURI(r.Context(), a)
	if err != nil {
		return s.writeError(w, r, err, 0)
	}
	target := strings.TrimRight(base, "/")
	if rest != "" {
		target += "/" + rest
	}
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	var body io.Reader
	if r.Body != nil && r.Body != http.NoBody {
		body = io.LimitReader(r.Body, maxRequestBody)
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, target, body)
	if err != nil {
		return s.writeError(w, r, &spec.Error{Kind: spec.KindRequest, Msg: "cannot build the forwarded request: " + err.Error()}, 0)
	}
	req.ContentLength = r.ContentLength
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
		req.Header[name] = slices.Clone(vs)
	}
	req.Header.Set("User-Agent", "naftiko/"+s.cfg.version)
	if err := s.forwardAuth(r.Context(), req, a.Auth); err != nil {
		return s.writeError(w, r, err, 0)
	}
	for _, h := range s.headers {
		v, err := s.renderSecret(r.Context(), h.value)
		if err != nil {
			return s.writeError(w, r, err, 0)
		}
		if v == "" {
			req.Header.Del(h.name)
		} else {
			req.Header.Set(h.name, v)
		}
	}
	ctx, end := s.startSpan(ctx, "rest.forward", attrNamespace.String(a.Namespace))
	resp, err := s.fwd.Do(req.WithContext(ctx))
	end(err)
	if err != nil {
		se := &spec.Error{Kind: spec.KindTransport, Msg: fmt.Sprintf("forward to namespace %s failed: %v", a.Namespace, s.redact(err.Error())), Err: err}
		if errors.Is(err, context.DeadlineExceeded) {
			se.Timeout = true
		}
		return s.writeError(w, r, se, 0)
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

// baseURI renders the base URI of a consumes adapter: the WithBaseURI
// override, else its baseUri template against the binds.
func (s *Server) baseURI(ctx context.Context, a *spec.Adapter) (string, error) {
	if u, ok := s.cfg.baseURIs[a.Namespace]; ok {
		return u, nil
	}
	if u, ok := s.cfg.baseURIs[""]; ok {
		return u, nil
	}
	if a.BaseURI == nil {
		return "", &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("namespace %s has no baseUri; pass --base-uri", a.Namespace)}
	}
	u, err := s.renderSecret(ctx, a.BaseURI)
	if err != nil {
		return "", err
	}
	if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("namespace %s: baseUri %q is not an absolute http or https URL", a.Namespace, u),
			Hint: "pass --base-uri " + a.Namespace + "=https://…"}
	}
	return u, nil
}

// forwardAuth applies a consumes adapter's authentication to a forwarded
// request: bearer, basic, apikey, header and query credentials.
func (s *Server) forwardAuth(ctx context.Context, req *http.Request, a *spec.Auth) error {
	if a == nil {
		return nil
	}
	switch a.Type {
	case "bearer":
		v, err := s.renderSecret(ctx, a.Token)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+v)
	case "basic":
		u, err := s.renderSecret(ctx, orEmpty(a.Username))
		if err != nil {
			return err
		}
		p, err := s.renderSecret(ctx, orEmpty(a.Password))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u+":"+p)))
	case "apikey", "header", "query":
		q := req.URL.Query()
		for _, c := range a.Credentials {
			v, err := s.renderSecret(ctx, orEmpty(c.Value))
			if err != nil {
				return err
			}
			if c.Placement == "query" {
				q.Set(c.Key, v)
			} else {
				req.Header.Set(c.Key, v)
			}
		}
		if a.Placement == "query" || slices.ContainsFunc(a.Credentials, func(c spec.Credential) bool { return c.Placement == "query" }) {
			req.URL.RawQuery = q.Encode()
		}
	default:
		return &spec.Error{Kind: spec.KindSpec, Msg: fmt.Sprintf("forwarding with `%s` authentication is not supported", a.Type),
			Hint: "forward the caller's credentials with trustedHeaders instead"}
	}
	return nil
}

func orEmpty(t *spec.Template) *spec.Template {
	if t == nil {
		return &spec.Template{}
	}
	return t
}
