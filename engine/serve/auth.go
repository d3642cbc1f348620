package serve

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/naftiko/naftiko/spec"
)

// inboundAuth checks the credentials of requests to one served adapter
// (SPEC.md §11.1). Expected values are resolved once, at start-up.
type inboundAuth struct {
	typ string
	// bearer token; apikey value; basic "user:password".
	secret [sha256.Size]byte
	// apikey: header name or query parameter, and where it is read.
	key   string
	query bool
	// challenge is the WWW-Authenticate value of a 401.
	challenge string
}

// newInboundAuth resolves the expected credentials of a. An unsupported
// type or an expected secret that resolves to "" is an adapter error:
// the server must not start (fail closed).
func (s *Server) newInboundAuth(ctx context.Context, ns string, a *spec.Auth) (*inboundAuth, error) {
	if a == nil {
		return nil, nil
	}
	fail := func(format string, args ...any) error {
		return &spec.Error{Kind: spec.KindSpec, Pos: a.Pos,
			Msg: fmt.Sprintf("adapter %s: inbound authentication: ", ns) + fmt.Sprintf(format, args...)}
	}
	render := func(field string, t *spec.Template) (string, error) {
		if t == nil {
			return "", fail("`%s` is missing", field)
		}
		v, err := s.renderSecret(ctx, t)
		if err != nil {
			return "", err
		}
		if v == "" {
			return "", fail("`%s` resolves to an empty value; refusing to accept every request", field)
		}
		return v, nil
	}
	ia := &inboundAuth{typ: a.Type}
	switch a.Type {
	case "bearer":
		v, err := render("token", a.Token)
		if err != nil {
			return nil, err
		}
		ia.secret = sha256.Sum256([]byte(v))
		ia.challenge = "Bearer"
	case "apikey", "header", "query":
		if len(a.Credentials) == 0 || a.Credentials[0].Key == "" {
			return nil, fail("apikey authentication needs a `key` (the header or query parameter name)")
		}
		c := a.Credentials[0]
		v, err := render("value", c.Value)
		if err != nil {
			return nil, err
		}
		ia.typ = "apikey"
		ia.key, ia.query = c.Key, c.Placement == "query"
		ia.secret = sha256.Sum256([]byte(v))
		ia.challenge = `ApiKey realm="naftiko"`
	case "basic":
		u, err := render("username", a.Username)
		if err != nil {
			return nil, err
		}
		p := ""
		if a.Password != nil {
			if p, err = s.renderSecret(ctx, a.Password); err != nil {
				return nil, err
			}
		}
		ia.secret = sha256.Sum256([]byte(u + ":" + p))
		ia.challenge = `Basic realm="naftiko"`
	default:
		return nil, fail("type `%s` is not supported for inbound use (use bearer, apikey or basic)", a.Type)
	}
	return ia, nil
}

// renderSecret renders an inbound-auth template against the binds only:
// {{VAR}}, {{namespace.VAR}} and {{env.VAR}} (SPEC.md §11.1).
func (s *Server) renderSecret(ctx context.Context, t *spec.Template) (string, error) {
	return t.String(func(p spec.Part) (string, error) {
		if ns, v, ok := strings.Cut(p.Name, "."); ok && (ns == "env" || s.binds.HasNamespace(ns)) {
			bv, err := s.binds.NSVar(ctx, ns, v)
			if err != nil {
				return "", err
			}
			return bv.Reveal(), nil
		}
		if s.binds.Has(p.Name) {
			bv, err := s.binds.Var(ctx, p.Name)
			if err != nil {
				return "", err
			}
			return bv.Reveal(), nil
		}
		return "", &spec.Error{Kind: spec.KindBinding, Pos: p.Pos,
			Msg:  fmt.Sprintf("inbound authentication names `%s`, which is not a bound variable", p.Name),
			Hint: "declare it under binds (e.g. keys: {" + p.Name + ": " + p.Name + "}) or use {{env." + p.Name + "}}"}
	})
}

// check reports whether r carries the expected credentials; the
// comparison takes the same time whatever the supplied value.
func (ia *inboundAuth) check(r *http.Request) bool {
	var got string
	ok := false
	switch ia.typ {
	case "bearer":
		h := r.Header.Get("Authorization")
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			got, ok = strings.TrimSpace(h[7:]), true
		}
	case "apikey":
		if ia.query {
			if vs, present := r.URL.Query()[ia.key]; present && len(vs) > 0 {
				got, ok = vs[0], true
			}
		} else if vs := r.Header.Values(ia.key); len(vs) > 0 {
			got, ok = vs[0], true
		}
	case "basic":
		h := r.Header.Get("Authorization")
		if len(h) > 6 && strings.EqualFold(h[:6], "basic ") {
			if dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:])); err == nil {
				got, ok = string(dec), true
			}
		}
	}
	sum := sha256.Sum256([]byte(got))
	eq := subtle.ConstantTimeCompare(sum[:], ia.secret[:]) == 1
	return ok && eq
}

// wrap protects h: requests without the expected credentials get 401,
// and refused (nil when tracing is off) records their span.
func (ia *inboundAuth) wrap(h http.Handler, refused func(*http.Request)) http.Handler {
	if ia == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !ia.check(r) {
			if refused != nil {
				refused(r)
			}
			w.Header().Set("WWW-Authenticate", ia.challenge)
			writeJSON(w, http.StatusUnauthorized, errorBody("unauthorized", "Unauthorized", ""))
			return
		}
		h.ServeHTTP(w, r)
	})
}
