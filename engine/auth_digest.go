package engine

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/naftiko/naftiko/spec"
)

// HTTP Digest authentication (RFC 7616; SPEC.md §7.4). The first request
// to a protection space goes without credentials; a 401 carrying a Digest
// challenge is answered once. The challenge is then remembered per origin
// and user, so later requests answer it directly with an incremented nonce
// count; a 401 with stale=true (the nonce expired) is answered once more
// with the new nonce.

type digestAuth struct{ user, pass string }

// digestCache holds the last challenge per origin and user.
type digestCache struct {
	mu sync.Mutex
	m  map[string]*digestState
}

type digestState struct {
	ch digestChallenge
	nc uint32
}

// next returns the remembered challenge for key with the next nonce
// count; ok is false when there is none.
func (c *digestCache) next(key string) (digestChallenge, uint32, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := c.m[key]
	if st == nil {
		return digestChallenge{}, 0, false
	}
	st.nc++
	return st.ch, st.nc, true
}

// store remembers a new challenge and returns its first nonce count, 1.
func (c *digestCache) store(key string, ch digestChallenge) uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*digestState{}
	}
	c.m[key] = &digestState{ch: ch, nc: 1}
	return 1
}

func (c *digestCache) forget(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

func (d *digestAuth) do(ctx context.Context, e *Engine, pr *Prepared) (*http.Response, error) {
	key := pr.URL
	if u, err := url.Parse(pr.URL); err == nil {
		key = u.Scheme + "://" + strings.ToLower(u.Host)
	}
	key += "\x00" + d.user
	var resp *http.Response
	var err error
	if ch, nc, ok := e.digest.next(key); ok {
		resp, err = e.send1(ctx, pr, d.authorize(e, ch, nc))
	} else {
		resp, err = e.send1(ctx, pr, nil)
	}
	for resends := 0; err == nil && resp.StatusCode == http.StatusUnauthorized && sameOrigin(resp, pr); resends++ {
		ch, found, cerr := parseDigestChallenge(resp.Header.Values("WWW-Authenticate"))
		if cerr != nil {
			drain(resp)
			e.digest.forget(key)
			return nil, cerr
		}
		if !found || resends >= 2 || resends == 1 && !ch.stale {
			break
		}
		drain(resp)
		nc := e.digest.store(key, ch)
		resp, err = e.send1(ctx, pr, d.authorize(e, ch, nc))
	}
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		e.digest.forget(key)
	}
	return resp, err
}

// authorize returns the function that sets the Authorization header of a
// request answering ch with nonce count nc.
func (d *digestAuth) authorize(e *Engine, ch digestChallenge, nc uint32) func(*http.Request) error {
	return func(req *http.Request) error {
		var c [16]byte
		if _, err := rand.Read(c[:]); err != nil {
			return &spec.Error{Kind: spec.KindInternal, Msg: "cannot make a digest cnonce: " + err.Error()}
		}
		cnonce := hex.EncodeToString(c[:])
		h, resp := digestHeader(ch, d.user, d.pass, req.Method, req.URL.RequestURI(), cnonce, nc)
		e.red.Add(resp)
		req.Header.Set("Authorization", h)
		return nil
	}
}

// digestChallenge is the chosen Digest challenge of a 401 answer.
type digestChallenge struct {
	realm, nonce, opaque string
	// algorithm as the server wrote it ("" means MD5, and is not echoed).
	algorithm string
	// qop is "auth", or "" for the RFC 2069 form.
	qop   string
	stale bool
}

// digestHeader computes the Authorization value and the response hash
// (RFC 7616 §3.4).
func digestHeader(ch digestChallenge, user, pass, method, uri, cnonce string, nc uint32) (header, response string) {
	alg := strings.ToUpper(ch.algorithm)
	newHash := md5.New
	if strings.HasPrefix(alg, "SHA-256") {
		newHash = sha256.New
	}
	H := func(s string) string { return hexHash(newHash, s) }
	ha1 := H(user + ":" + ch.realm + ":" + pass)
	if strings.HasSuffix(alg, "-SESS") {
		ha1 = H(ha1 + ":" + ch.nonce + ":" + cnonce)
	}
	ha2 := H(method + ":" + uri)
	ncs := fmt.Sprintf("%08x", nc)
	if ch.qop == "" {
		response = H(ha1 + ":" + ch.nonce + ":" + ha2)
	} else {
		response = H(ha1 + ":" + ch.nonce + ":" + ncs + ":" + cnonce + ":" + ch.qop + ":" + ha2)
	}
	var b strings.Builder
	b.WriteString(`Digest username=` + quoteParam(user) + `, realm=` + quoteParam(ch.realm) +
		`, nonce=` + quoteParam(ch.nonce) + `, uri=` + quoteParam(uri))
	if ch.algorithm != "" {
		b.WriteString(", algorithm=" + ch.algorithm)
	}
	b.WriteString(`, response="` + response + `"`)
	if ch.opaque != "" {
		b.WriteString(", opaque=" + quoteParam(ch.opaque))
	}
	if ch.qop != "" {
		b.WriteString(", qop=" + ch.qop + ", nc=" + ncs + `, cnonce="` + cnonce + `"`)
	}
	return b.String(), response
}

func hexHash(newHash func() hash.Hash, s string) string {
	h := newHash()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))
}

// quoteParam writes a quoted-string, escaping " and \ (a Digest
// parameter; a curl -F part).
func quoteParam(s string) string { return `"` + quotedPairs.Replace(s) + `"` }

var quotedPairs = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// parseDigestChallenge picks the Digest challenge to answer among the
// WWW-Authenticate values: a supported algorithm, SHA-256 preferred, with
// qop auth or no qop. found is false when there is no Digest challenge;
// a Digest challenge naftiko cannot answer (auth-int only, an unknown
// algorithm) is a request error.
func parseDigestChallenge(values []string) (digestChallenge, bool, error) {
	rank := map[string]int{"SHA-256": 4, "SHA-256-SESS": 3, "": 2, "MD5": 2, "MD5-SESS": 1}
	var best digestChallenge
	bestRank := 0
	var problem string
	for _, c := range parseChallenges(values) {
		if !strings.EqualFold(c.scheme, "Digest") {
			continue
		}
		p := c.params
		ch := digestChallenge{realm: p["realm"], nonce: p["nonce"], opaque: p["opaque"], algorithm: p["algorithm"],
			stale: strings.EqualFold(p["stale"], "true")}
		r := rank[strings.ToUpper(ch.algorithm)]
		if r == 0 {
			if problem == "" {
				problem = "the server's digest challenge uses algorithm " + ch.algorithm + ", which naftiko does not support (MD5, MD5-sess, SHA-256, SHA-256-sess)"
			}
			continue
		}
		if q, ok := p["qop"]; ok {
			for _, opt := range strings.Split(q, ",") {
				if strings.EqualFold(strings.TrimSpace(opt), "auth") {
					ch.qop = "auth"
				}
			}
			if ch.qop == "" {
				if problem == "" {
					problem = "the server's digest challenge asks for qop=" + q + ", which naftiko does not support (only qop=auth)"
				}
				continue
			}
		}
		if ch.nonce == "" {
			continue
		}
		if r > bestRank {
			best, bestRank = ch, r
		}
	}
	if bestRank > 0 {
		return best, true, nil
	}
	if problem != "" {
		return digestChallenge{}, false, &spec.Error{Kind: spec.KindRequest, Msg: problem + "; nothing more was sent"}
	}
	return digestChallenge{}, false, nil
}

// challenge is one parsed WWW-Authenticate challenge.
type challenge struct {
	scheme string
	params map[string]string // names lower-cased
}

// parseChallenges parses WWW-Authenticate values (RFC 9110 §11.6.1):
// each may hold several challenges, each a scheme followed by a token68
// or by comma-separated name=value parameters (token or quoted-string).
func parseChallenges(values []string) []challenge {
	var out []challenge
	for _, v := range values {
		p := &authParser{s: v}
		var cur *challenge
		for {
			p.skip()
			if p.eof() {
				break
			}
			tok := p.token()
			if tok == "" {
				p.i++ // not a token: skip the character
				continue
			}
			p.space()
			if !p.eof() && p.s[p.i] == '=' && cur != nil && !p.token68End() {
				p.i++
				p.space()
				cur.params[strings.ToLower(tok)] = p.value()
				continue
			}
			// A new challenge: scheme, then maybe a token68.
			out = append(out, challenge{scheme: tok, params: map[string]string{}})
			cur = &out[len(out)-1]
			save := p.i
			p.space()
			t68 := p.token()
			if t68 != "" {
				p.space()
				if !p.eof() && p.s[p.i] == '=' && !p.token68End() {
					p.i = save // a parameter, not a token68
					continue
				}
				for !p.eof() && p.s[p.i] == '=' {
					p.i++
				}
				continue
			}
			p.i = save
		}
	}
	return out
}

type authParser struct {
	s string
	i int
}

func (p *authParser) eof() bool { return p.i >= len(p.s) }

func (p *authParser) space() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *authParser) skip() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

func (p *authParser) token() string {
	start := p.i
	for !p.eof() && isTokenChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

// token68End reports whether the = at p.i ends a token68 (followed by
// more =, a comma or the end) rather than introducing a value.
func (p *authParser) token68End() bool {
	j := p.i + 1
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	return j >= len(p.s) || p.s[j] == ',' || p.s[j] == '='
}

// value reads a token or a quoted-string.
func (p *authParser) value() string {
	if p.eof() {
		return ""
	}
	if p.s[p.i] != '"' {
		return p.token()
	}
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\' && !p.eof():
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isTokenChar reports whether c may appear in an HTTP token (plus "/" for
// token68).
func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~/", c) >= 0
}
