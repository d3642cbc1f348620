package engine

import (
	"net/url"
	"strings"

	"github.com/naftiko/naftiko/binder"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// What the engine hands out is masked here (SPEC.md §13.3): URLs as
// printed by --dry-run, --curl and -v, and the bodies of answers, which
// upstreams fill with echoes of the credentials they received.

// maskURL returns raw as printed: the password of a user-info part, every
// query value that is exactly a secret (short ones included) and every
// other occurrence of a secret of MinSecretLen bytes or more become ****.
func (e *Engine) maskURL(raw string) string {
	return e.red.Redact(e.shapeMaskURL(raw, nil))
}

// shapeMaskURL masks what the shape of a URL says is secret: the password
// of its user-info part and the query values that are exactly a secret,
// except those keep reports (nil keeps none).
func (e *Engine) shapeMaskURL(raw string, keep func(string) bool) string {
	kept := func(v string) bool {
		if keep == nil {
			return false
		}
		u, err := url.PathUnescape(v)
		return keep(v) || err == nil && keep(u)
	}
	base, frag, hasFrag := strings.Cut(raw, "#")
	head, query, hasQuery := strings.Cut(base, "?")
	if i := strings.Index(head, "://"); i >= 0 {
		rest := head[i+3:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			user := rest[:at]
			if c := strings.IndexByte(user, ':'); c >= 0 && !kept(user[c+1:]) {
				user = user[:c+1] + binder.Mask
			}
			head = head[:i+3] + user + rest[at:]
		}
	}
	out := head
	if hasQuery {
		pairs := strings.Split(query, "&")
		for i, p := range pairs {
			k, v, ok := strings.Cut(p, "=")
			if ok && e.isSecretValue(v) && !kept(v) {
				pairs[i] = k + "=" + binder.Mask
			}
		}
		out += "?" + strings.Join(pairs, "&")
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// maskTree masks secrets in a decoded body, in place: string values that
// are exactly a secret, and occurrences of longer secrets inside strings
// and object keys.
func (e *Engine) maskTree(v any) any {
	switch t := v.(type) {
	case string:
		return e.red.Mask(t)
	case []any:
		for i, x := range t {
			t[i] = e.maskTree(x)
		}
	case map[string]any:
		for k, x := range t {
			m := e.red.Redact(k)
			if m != k {
				delete(t, k)
			}
			t[m] = e.maskTree(x)
		}
	case *jsonv.Object:
		for i, x := range t.Vals {
			t.Keys[i] = e.red.Redact(t.Keys[i])
			t.Vals[i] = e.maskTree(x)
		}
	}
	return v
}

// maskBody masks secrets of MinSecretLen bytes or more in a body as
// received, returning body itself when none occurs.
func (e *Engine) maskBody(body []byte) []byte {
	if len(body) == 0 {
		return body
	}
	s := string(body)
	if m := e.red.Redact(s); m != s {
		return []byte(m)
	}
	return body
}

// isSecretValue reports whether an escaped query value is a secret.
func (e *Engine) isSecretValue(v string) bool {
	if e.red.IsSecret(v) {
		return true
	}
	u, err := url.QueryUnescape(v)
	return err == nil && u != v && e.red.IsSecret(u)
}
