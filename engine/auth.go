package engine

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec"
)

// Authentication on consumed adapters (SPEC.md §7). Static schemes
// (bearer, basic, apikey and its header/query forms) set their headers and
// query pairs while the request is prepared. Schemes that need the
// network or the final request (digest, oauth2, aws-sig-v4) render and
// check their fields while the request is prepared, so that a missing
// variable fails before anything is sent, and act when it is sent: see
// auth_digest.go, auth_oauth2.go and auth_sigv4.go.

// sendAuth is an authentication performed when the request is sent.
type sendAuth interface {
	// do sends pr (through e.send1, as often as the scheme needs) and
	// returns the final response.
	do(ctx context.Context, e *Engine, pr *Prepared) (*http.Response, error)
}

// applyAuth adds the credentials of the operation's authentication.
func (e *Engine) applyAuth(s *scope, pr *Prepared, qb *strings.Builder) error {
	a := s.p.Auth
	if a == nil {
		return nil
	}
	h := pr.Header
	render := func(t *spec.Template) (string, error) {
		v, err := s.text(t, inAuth, nil)
		if err == nil {
			e.red.Add(v)
		}
		return v, err
	}
	// need renders a credential that must not be empty: a bound variable
	// set to "" would send "Authorization: Bearer " (SPEC.md §4.3).
	need := func(t *spec.Template, what string) (string, error) {
		v, err := render(t)
		if err == nil && v == "" {
			return "", e.emptyCredential(a, t, what)
		}
		return v, err
	}
	// plain renders a field that is not a credential (an endpoint, a
	// region): it is not registered for redaction.
	plain := func(t *spec.Template) (string, error) { return s.text(t, inAuth, nil) }
	set := func(name, v string) {
		h.Set(name, v)
		pr.authHeaders = append(pr.authHeaders, http.CanonicalHeaderKey(name))
	}
	switch a.Type {
	case "bearer":
		tok, err := need(a.Token, "token")
		if err != nil {
			return err
		}
		set("Authorization", "Bearer "+tok)
	case "basic":
		u, err := need(a.Username, "username")
		if err != nil {
			return err
		}
		pw, err := render(a.Password)
		if err != nil {
			return err
		}
		cred := base64.StdEncoding.EncodeToString([]byte(u + ":" + pw))
		e.red.Add(cred)
		set("Authorization", "Basic "+cred)
	case "apikey", "header", "query":
		if len(a.Credentials) == 0 {
			return &spec.Error{Kind: spec.KindSpec, Pos: a.Pos, Msg: a.Type + " authentication declares no key"}
		}
		for _, c := range a.Credentials {
			v, err := need(c.Value, "value of "+c.Key)
			if err != nil {
				return err
			}
			if c.Placement == "query" {
				e.dropQueryKey(s, qb, c.Key)
				addPair(qb, c.Key, v)
				e.red.Add(escapeQuery(v))
				pr.ext().authQuery = append(pr.ext().authQuery, formField{escapeQuery(c.Key), escapeQuery(v)})
				continue
			}
			if !validHeaderName(c.Key) {
				return &spec.Error{Kind: spec.KindRequest, Pos: a.Pos, Msg: "authentication header name " + quote(c.Key) + " is not a valid HTTP header name"}
			}
			set(c.Key, v)
		}
	case "digest":
		u, err := render(a.Username)
		if err != nil {
			return err
		}
		pw, err := render(a.Password)
		if err != nil {
			return err
		}
		pr.ext().dyn = &digestAuth{user: u, pass: pw}
		pr.authHeaders = append(pr.authHeaders, "Authorization")
	case "oauth2":
		o, err := e.oauth2Config(a, render, plain)
		if err != nil {
			return err
		}
		pr.ext().dyn = o
		pr.authHeaders = append(pr.authHeaders, "Authorization")
	case "aws-sig-v4":
		w, err := awsConfig(a, render, plain)
		if err != nil {
			return err
		}
		pr.ext().dyn = w
		pr.authHeaders = append(pr.authHeaders, "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256")
	default:
		return &spec.Error{Kind: spec.KindSpec, Pos: a.Pos,
			Msg:    "authentication type `" + a.Type + "` is not supported by this version of naftiko; nothing was sent",
			Remedy: spec.RemedyHeader}
	}
	return nil
}

// emptyCredential is the binding error for a credential that renders to
// the empty string. It names the first variable of its template and where
// that variable comes from: the environment variable to set (which a bind
// may name differently from the template), or the key file or provider
// key that holds the empty value.
func (e *Engine) emptyCredential(a *spec.Auth, t *spec.Template, what string) error {
	msg := a.Type + " authentication: the " + what + " is empty"
	name := ""
	if t != nil {
		for _, p := range t.Parts {
			if p.Name != "" {
				name = p.Name
				break
			}
		}
	}
	if name == "" {
		return &spec.Error{Kind: spec.KindBinding, Pos: a.Pos, Msg: msg, Hint: "the authentication block gives no value; nothing was sent"}
	}
	src, ok := e.binds.Source(name)
	switch {
	case !ok:
		src = binder.Variable{Name: name, Key: name}
	case src.Location != "":
		return &spec.Error{Kind: spec.KindBinding, Pos: a.Pos,
			Msg:  fmt.Sprintf("%s: variable %s (binds namespace %q) is empty: key %s at %s holds the empty string", msg, name, src.Namespace, src.Key, src.Location),
			Hint: "put the credential under that key; nothing was sent"}
	}
	if src.Key != name {
		msg += fmt.Sprintf(": variable %s (binds namespace %q, key %s) is set to the empty string", name, src.Namespace, src.Key)
	} else {
		msg += ": " + name + " is set to the empty string"
	}
	return &spec.Error{Kind: spec.KindBinding, Pos: a.Pos, Msg: msg, Env: []string{src.Key}, Remedy: spec.RemedyCredential}
}

// dropQueryKey removes from the query being built the pairs named key,
// which a query credential of the same name replaces, with a warning.
func (e *Engine) dropQueryKey(s *scope, qb *strings.Builder, key string) {
	q := qb.String()
	if q == "" {
		return
	}
	ek := escapeQuery(key)
	pairs := strings.Split(q, "&")
	kept := pairs[:0]
	for _, p := range pairs {
		k, _, _ := strings.Cut(p, "=")
		if k == ek {
			continue
		}
		kept = append(kept, p)
	}
	if len(kept) == len(pairs) {
		return
	}
	e.logger.Warn("query parameter "+key+" is set by the authentication; the input's value is not sent", "operation", s.p.Ref)
	qb.Reset()
	qb.WriteString(strings.Join(kept, "&"))
}

// field renders an optional authentication field ("" when absent).
func field(a *spec.Auth, name string, render func(*spec.Template) (string, error)) (string, error) {
	t := a.Fields[name]
	if t == nil {
		return "", nil
	}
	return render(t)
}

// stripAuthQuery removes from u the query pairs authentication produced
// (SPEC.md §7.3: credentials never follow a redirect to another host).
func stripAuthQuery(u *url.URL, creds []formField) {
	if len(creds) == 0 || u.RawQuery == "" {
		return
	}
	pairs := strings.Split(u.RawQuery, "&")
	kept := pairs[:0]
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		drop := false
		for _, c := range creds {
			if sameQueryText(k, c.name) && sameQueryText(v, c.value) {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, p)
		}
	}
	u.RawQuery = strings.Join(kept, "&")
}

// sameQueryText compares two query components by what they decode to.
func sameQueryText(a, b string) bool {
	if a == b {
		return true
	}
	da, err1 := url.QueryUnescape(a)
	db, err2 := url.QueryUnescape(b)
	return err1 == nil && err2 == nil && da == db
}

// sameOrigin reports whether resp answers a request to pr's scheme and
// host: an authentication challenge from another host (after a redirect)
// is not answered with pr's credentials.
func sameOrigin(resp *http.Response, pr *Prepared) bool {
	if resp.Request == nil || resp.Request.URL == nil {
		return false
	}
	u, err := url.Parse(pr.URL)
	if err != nil {
		return false
	}
	r := resp.Request.URL
	return strings.EqualFold(r.Host, u.Host) && r.Scheme == u.Scheme
}

// drain reads a little of a response body that is answered by a resend,
// so that the connection can be reused, and closes it.
func drain(resp *http.Response) {
	var buf [4096]byte
	for i := 0; i < 16; i++ {
		if _, err := resp.Body.Read(buf[:]); err != nil {
			break
		}
	}
	resp.Body.Close()
}
