package engine

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ---------------------------------------------------------------------------
// Digest.

// digestServer is an upstream protected by HTTP Digest. It checks every
// response hash with its own computation (RFC 7616) and records what it
// received.
type digestServer struct {
	*httptest.Server
	alg, qop, realm, opaque, user, pass string

	mu      sync.Mutex
	nonces  map[string]int // nonce → highest nc seen
	next    int
	expire  bool // the next authorized request finds its nonce stale
	auths   []string
	bodies  []string
	failure string // why the last check failed
}

func newDigestServer(t *testing.T, alg, qop string) *digestServer {
	d := &digestServer{alg: alg, qop: qop, realm: "api@example.com", opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
		user: "Mufasa", pass: "Circle of Life", nonces: map[string]int{}}
	d.Server = httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(d.Close)
	return d
}

var paramRE = regexp.MustCompile(`(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))`)

func (d *digestServer) challenge(w http.ResponseWriter, stale bool) {
	d.next++
	nonce := fmt.Sprintf("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v-%d", d.next)
	d.nonces[nonce] = 0
	c := `Digest realm="` + d.realm + `", nonce="` + nonce + `", opaque="` + d.opaque + `"`
	if d.alg != "" {
		c += ", algorithm=" + d.alg
	}
	if d.qop != "" {
		c += `, qop="` + d.qop + `"`
	}
	if stale {
		c += ", stale=true"
	}
	w.Header().Add("WWW-Authenticate", `Basic realm="fallback"`)
	w.Header().Add("WWW-Authenticate", c)
	w.WriteHeader(http.StatusUnauthorized)
}

func (d *digestServer) serve(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	d.mu.Lock()
	defer d.mu.Unlock()
	auth := r.Header.Get("Authorization")
	d.auths = append(d.auths, auth)
	d.bodies = append(d.bodies, string(b))
	if auth == "" {
		d.challenge(w, false)
		return
	}
	if why := d.check(r, auth); why != "" {
		d.failure = why
		d.challenge(w, false)
		return
	}
	if d.expire {
		d.expire = false
		d.challenge(w, true)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"ok":true}`)
}

func (d *digestServer) check(r *http.Request, auth string) string {
	if !strings.HasPrefix(auth, "Digest ") {
		return "not digest"
	}
	p := map[string]string{}
	for _, m := range paramRE.FindAllStringSubmatch(auth[7:], -1) {
		p[m[1]] = m[2] + m[3]
	}
	newHash := md5.New
	if strings.HasPrefix(d.alg, "SHA-256") {
		newHash = sha256.New
	}
	H := func(s string) string {
		h := newHash()
		io.WriteString(h, s)
		return hex.EncodeToString(h.Sum(nil))
	}
	seen, ok := d.nonces[p["nonce"]]
	switch {
	case !ok:
		return "unknown nonce"
	case p["username"] != d.user || p["realm"] != d.realm:
		return "wrong user or realm"
	case p["uri"] != r.URL.RequestURI():
		return "uri " + p["uri"] + " is not " + r.URL.RequestURI()
	case p["opaque"] != d.opaque:
		return "opaque not echoed"
	case p["algorithm"] != d.alg:
		return "algorithm not echoed"
	}
	ha1 := H(d.user + ":" + d.realm + ":" + d.pass)
	if strings.HasSuffix(d.alg, "-sess") {
		ha1 = H(ha1 + ":" + p["nonce"] + ":" + p["cnonce"])
	}
	ha2 := H(r.Method + ":" + p["uri"])
	var want string
	if d.qop == "" {
		if p["qop"] != "" || p["nc"] != "" || p["cnonce"] != "" {
			return "qop fields in an RFC 2069 answer"
		}
		want = H(ha1 + ":" + p["nonce"] + ":" + ha2)
	} else {
		if p["qop"] != "auth" || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(p["cnonce"]) {
			return "bad qop or cnonce " + p["qop"] + " " + p["cnonce"]
		}
		var nc int
		fmt.Sscanf(p["nc"], "%08x", &nc)
		if len(p["nc"]) != 8 || nc <= seen {
			return "nc " + p["nc"] + " not increasing"
		}
		d.nonces[p["nonce"]] = nc
		want = H(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":auth:" + ha2)
	}
	if p["response"] != want {
		return "response hash mismatch"
	}
	return ""
}

func (d *digestServer) seen() ([]string, []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.auths...), append([]string(nil), d.bodies...)
}

const digestDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {USER: DIGEST_USER, PASS: DIGEST_PASS}
capability:
  consumes:
  - type: http
    namespace: d
    baseUri: https://d.example.com
    authentication: {type: digest, username: '{{USER}}', password: '{{PASS}}'}
    resources:
    - name: r
      path: /dir/index.html
      operations:
      - name: get
        inputParameters: [{name: q, in: query}]
      - name: post
        method: POST
        inputParameters: [{name: text, in: body}]
      - name: upload
        method: POST
        body:
          type: multipartForm
          data: [{name: f, value: '@./upload.txt'}]
`

func digestEngine(t *testing.T, d *digestServer, pass string) *Engine {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "upload.txt"), []byte("file body"), 0o600)
	os.WriteFile(filepath.Join(dir, "cap.yaml"), []byte(digestDoc), 0o600)
	c := loadFile(t, filepath.Join(dir, "cap.yaml"))
	e, err := New(c, WithHTTPClient(d.Client()), WithBaseURI("", d.URL),
		WithLookup(env(map[string]string{"DIGEST_USER": "Mufasa", "DIGEST_PASS": pass})))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDigestRoundTrip(t *testing.T) {
	for _, tc := range []struct{ alg, qop string }{
		{"MD5", "auth"}, {"MD5-sess", "auth"}, {"SHA-256", "auth"}, {"SHA-256-sess", "auth"},
		{"", "auth,auth-int"}, {"", ""}, {"MD5", ""},
	} {
		t.Run(tc.alg+" qop="+tc.qop, func(t *testing.T) {
			d := newDigestServer(t, tc.alg, tc.qop)
			e := digestEngine(t, d, "Circle of Life")
			res, err := e.Call(context.Background(), "get", map[string]any{"q": "a b"})
			if err != nil {
				t.Fatalf("%v (server: %s)", err, d.failure)
			}
			if res.Status != 200 {
				t.Fatalf("status %d", res.Status)
			}
			auths, _ := d.seen()
			if len(auths) != 2 || auths[0] != "" || !strings.HasPrefix(auths[1], `Digest username="Mufasa", realm="api@example.com", nonce="`) {
				t.Fatalf("authorizations = %q", auths)
			}
			if !strings.Contains(auths[1], `uri="/dir/index.html?q=a%20b"`) {
				t.Errorf("uri not the request target: %s", auths[1])
			}
			// The next call answers the remembered challenge at once, nc 2.
			if _, err := e.Call(context.Background(), "get", nil); err != nil {
				t.Fatalf("%v (server: %s)", err, d.failure)
			}
			auths, _ = d.seen()
			if len(auths) != 3 || auths[2] == "" {
				t.Fatalf("second call: authorizations = %q", auths)
			}
			if tc.qop != "" && !strings.Contains(auths[2], "nc=00000002") {
				t.Errorf("nonce count not incremented: %s", auths[2])
			}
			if e.Redact(auths[1]) == auths[1] {
				t.Error("digest response not registered as a secret")
			}
		})
	}
}

func TestDigestStaleBodiesAndFailures(t *testing.T) {
	t.Run("stale nonce is recomputed once", func(t *testing.T) {
		d := newDigestServer(t, "SHA-256", "auth")
		e := digestEngine(t, d, "Circle of Life")
		if _, err := e.Call(context.Background(), "get", nil); err != nil {
			t.Fatal(err)
		}
		d.mu.Lock()
		d.expire = true
		d.mu.Unlock()
		if _, err := e.Call(context.Background(), "get", nil); err != nil {
			t.Fatalf("%v (server: %s)", err, d.failure)
		}
		if auths, _ := d.seen(); len(auths) != 4 || !strings.Contains(auths[3], "-2\"") {
			t.Errorf("authorizations = %q", auths)
		}
	})
	t.Run("bodies are replayed on the resend", func(t *testing.T) {
		d := newDigestServer(t, "MD5", "auth")
		e := digestEngine(t, d, "Circle of Life")
		if _, err := e.Call(context.Background(), "post", map[string]any{"text": "hello"}); err != nil {
			t.Fatal(err)
		}
		if _, err := New(e.cap); err != nil {
			t.Fatal(err)
		}
		e2 := digestEngine(t, d, "Circle of Life")
		if _, err := e2.Call(context.Background(), "upload", nil); err != nil {
			t.Fatal(err)
		}
		_, bodies := d.seen()
		if len(bodies) != 4 || bodies[0] != `{"text":"hello"}` || bodies[1] != bodies[0] {
			t.Fatalf("json bodies = %q", bodies)
		}
		if !strings.Contains(bodies[2], "file body") || bodies[3] != bodies[2] {
			t.Errorf("streamed multipart not replayed: %q", bodies[2:])
		}
	})
	t.Run("a wrong password is answered once, then the 401 stands", func(t *testing.T) {
		d := newDigestServer(t, "MD5", "auth")
		e := digestEngine(t, d, "wrong")
		_, err := e.Call(context.Background(), "get", nil)
		wantErr(t, err, KindUpstream, "upstream: get: upstream answered 401 Unauthorized")
		if auths, _ := d.seen(); len(auths) != 2 {
			t.Errorf("%d requests", len(auths))
		}
	})
	t.Run("auth-int alone is a request error", func(t *testing.T) {
		d := newDigestServer(t, "MD5", "auth-int")
		e := digestEngine(t, d, "Circle of Life")
		_, err := e.Call(context.Background(), "get", nil)
		wantErr(t, err, KindRequest, "request: get: the server's digest challenge asks for qop=auth-int, which naftiko does not support (only qop=auth); nothing more was sent")
		if auths, _ := d.seen(); len(auths) != 1 {
			t.Errorf("%d requests", len(auths))
		}
	})
	t.Run("unknown algorithm is a request error", func(t *testing.T) {
		d := newDigestServer(t, "SHA-512-256", "auth")
		e := digestEngine(t, d, "Circle of Life")
		_, err := e.Call(context.Background(), "get", nil)
		wantErr(t, err, KindRequest, "request: get: the server's digest challenge uses algorithm SHA-512-256, which naftiko does not support (MD5, MD5-sess, SHA-256, SHA-256-sess); nothing more was sent")
	})
}

// TestDigestRFC7616Example checks the response of RFC 7616 §3.9.1 (SHA-256
// and MD5 with the published nonce and cnonce).
func TestDigestRFC7616Example(t *testing.T) {
	ch := digestChallenge{realm: "http-auth@example.org", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
		opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop: "auth", algorithm: "SHA-256"}
	cnonce := "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	_, resp := digestHeader(ch, "Mufasa", "Circle of Life", "GET", "/dir/index.html", cnonce, 1)
	if resp != "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1" {
		t.Errorf("SHA-256 response = %s", resp)
	}
	ch.algorithm = "MD5"
	h, resp := digestHeader(ch, "Mufasa", "Circle of Life", "GET", "/dir/index.html", cnonce, 1)
	if resp != "8ca523f5e9506fed4657c9700eebdbec" {
		t.Errorf("MD5 response = %s", resp)
	}
	want := `Digest username="Mufasa", realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", uri="/dir/index.html", algorithm=MD5, response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", qop=auth, nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"`
	if h != want {
		t.Errorf("header:\n%s\nwant:\n%s", h, want)
	}
}

func TestParseChallenges(t *testing.T) {
	got := parseChallenges([]string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`, `Bearer abc+/==, Digest realm="r", nonce="n, with comma", qop="auth,auth-int"`})
	var b strings.Builder
	for _, c := range got {
		fmt.Fprintf(&b, "%s %v;", c.scheme, c.params)
	}
	want := `Newauth map[realm:apps title:Login to "apps" type:1];Basic map[realm:simple];Bearer map[];Digest map[nonce:n, with comma qop:auth,auth-int realm:r];`
	if b.String() != want {
		t.Errorf("challenges = %s\nwant         %s", b.String(), want)
	}
}

// ---------------------------------------------------------------------------
// OAuth2 client credentials.

type tokenServer struct {
	*httptest.Server
	calls    atomic.Int32
	inFlight atomic.Int32
	maxPar   atomic.Int32
	delay    time.Duration
	status   int
	answer   string
	mu       sync.Mutex
	forms    []string
	auths    []string
	agents   []string
	ctype    string
	declare  bool
}

func newTokenServer(t *testing.T) *tokenServer {
	ts := &tokenServer{status: 200}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := ts.calls.Add(1)
		p := ts.inFlight.Add(1)
		defer ts.inFlight.Add(-1)
		for {
			m := ts.maxPar.Load()
			if p <= m || ts.maxPar.CompareAndSwap(m, p) {
				break
			}
		}
		b, _ := io.ReadAll(r.Body)
		ts.mu.Lock()
		ts.forms = append(ts.forms, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(b))
		ts.auths = append(ts.auths, r.Header.Get("Authorization"))
		ts.agents = append(ts.agents, r.Header.Get("User-Agent")+" "+r.Header.Get("Accept"))
		ts.mu.Unlock()
		time.Sleep(ts.delay)
		if ts.ctype == "" {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", ts.ctype)
		}
		if ts.declare {
			w.Header().Set("Content-Length", strconv.Itoa(len(ts.answer)))
		}
		w.WriteHeader(ts.status)
		if ts.answer != "" {
			io.WriteString(w, ts.answer)
			return
		}
		fmt.Fprintf(w, `{"access_token":"tok-%d-%s","token_type":"bearer","expires_in":3600}`, n, strings.Repeat("x", 8))
	}))
	t.Cleanup(ts.Close)
	return ts
}

const oauthDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {CLIENT_ID: OAUTH_CLIENT_ID, CLIENT_SECRET: OAUTH_CLIENT_SECRET}
capability:
  consumes:
  - type: http
    namespace: o
    baseUri: https://o.example.com
    authentication:
      type: oauth2
      tokenEndpoint: TOKEN_URL
      clientId: '{{CLIENT_ID}}'
      clientSecret: '{{CLIENT_SECRET}}'
      scopes: [read, write]
      audience: https://api.example.com
    resources:
    - name: r
      path: /things
      operations:
      - {name: list}
      - {name: create, method: POST, inputParameters: [{name: title, in: body}]}
`

func oauthEngine(t *testing.T, ts *tokenServer, api *upstream, opts ...Option) *Engine {
	t.Helper()
	vars := env(map[string]string{"OAUTH_CLIENT_ID": "client-id", "OAUTH_CLIENT_SECRET": "s3cr3t:x"})
	doc := strings.Replace(oauthDoc, "TOKEN_URL", ts.URL+"/token", 1)
	return newEngine(t, parse(t, doc), api, append([]Option{WithLookup(vars)}, opts...)...)
}

func TestOAuth2ClientCredentials(t *testing.T) {
	t.Run("token request on the wire, cached across calls", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api)
		for range 3 {
			if _, err := e.Call(context.Background(), "list", nil); err != nil {
				t.Fatal(err)
			}
		}
		if ts.calls.Load() != 1 {
			t.Errorf("%d token requests", ts.calls.Load())
		}
		// golang.org/x/oauth2 encodes the form with url.Values (keys in
		// order) and form-encodes the client id and secret before HTTP
		// Basic (RFC 6749 §2.3.1): "s3cr3t:x" travels as "s3cr3t%3Ax".
		if ts.forms[0] != "POST /token application/x-www-form-urlencoded audience=https%3A%2F%2Fapi.example.com&grant_type=client_credentials&scope=read+write" {
			t.Errorf("token request = %s", ts.forms[0])
		}
		if ts.auths[0] != "Basic "+base64.StdEncoding.EncodeToString([]byte("client-id:s3cr3t%3Ax")) {
			t.Errorf("client authentication = %s", ts.auths[0])
		}
		if ts.agents[0] != "naftiko/test application/json" {
			t.Errorf("User-Agent and Accept = %s", ts.agents[0])
		}
		for _, r := range api.requests() {
			if r.Header.Get("Authorization") != "Bearer tok-1-xxxxxxxx" {
				t.Errorf("API Authorization = %q", r.Header.Get("Authorization"))
			}
		}
		if e.Redact("tok-1-xxxxxxxx") != "****" {
			t.Error("access token not redacted")
		}
	})
	t.Run("expired token is refetched", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api)
		now := time.Date(2026, 5, 22, 10, 0, 0, 0, time.UTC)
		e.now = func() time.Time { return now }
		e.Call(context.Background(), "list", nil)
		now = now.Add(3600*time.Second - 31*time.Second)
		e.Call(context.Background(), "list", nil)
		if ts.calls.Load() != 1 {
			t.Fatalf("refetched %d before expiry minus 30 s", ts.calls.Load())
		}
		now = now.Add(2 * time.Second)
		e.Call(context.Background(), "list", nil)
		if ts.calls.Load() != 2 {
			t.Fatalf("%d token requests after expiry", ts.calls.Load())
		}
	})
	t.Run("401 drops the token, refetches and resends once with the body", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "Bearer tok-1-xxxxxxxx" {
				w.WriteHeader(401)
				return
			}
			jsonAnswer(201, `{"id":1}`)(w, r)
		})
		e := oauthEngine(t, ts, api)
		res, err := e.Call(context.Background(), "create", map[string]any{"title": "x"})
		if err != nil || res.Status != 201 {
			t.Fatalf("res %v err %v", res, err)
		}
		reqs := api.requests()
		if len(reqs) != 2 || reqs[1].Header.Get("Authorization") != "Bearer tok-2-xxxxxxxx" || reqs[1].Body != `{"title":"x"}` || reqs[0].Body != reqs[1].Body {
			t.Errorf("requests %+v", reqs)
		}
	})
	t.Run("a second 401 stands", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) })
		e := oauthEngine(t, ts, api)
		_, err := e.Call(context.Background(), "list", nil)
		wantErr(t, err, KindUpstream, "upstream: list: upstream answered 401 Unauthorized")
		if len(api.requests()) != 2 || ts.calls.Load() != 2 {
			t.Errorf("%d API requests, %d token requests", len(api.requests()), ts.calls.Load())
		}
	})
	t.Run("concurrent callers share one token request", func(t *testing.T) {
		ts := newTokenServer(t)
		ts.delay = 100 * time.Millisecond
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api)
		var wg sync.WaitGroup
		errs := make(chan error, 32)
		for range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.Call(context.Background(), "list", nil); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if ts.calls.Load() != 1 || ts.maxPar.Load() != 1 {
			t.Errorf("%d token requests (%d at once)", ts.calls.Load(), ts.maxPar.Load())
		}
		if len(api.requests()) != 32 {
			t.Errorf("%d API requests", len(api.requests()))
		}
	})
	t.Run("failing token request names the endpoint and status, never the secret", func(t *testing.T) {
		ts := newTokenServer(t)
		ts.status = 401
		ts.answer = `{"error":"invalid_client","error_description":"bad secret s3cr3t:x"}`
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api)
		_, err := e.Call(context.Background(), "list", nil)
		se := wantErr(t, err, KindUpstream, "upstream: list: oauth2 token request to "+ts.URL+"/token answered 401 Unauthorized: invalid_client (bad secret ****)")
		if se.Status != 401 || len(api.requests()) != 0 {
			t.Errorf("status %d, %d API requests", se.Status, len(api.requests()))
		}
	})
	t.Run("a non-bearer token is refused", func(t *testing.T) {
		ts := newTokenServer(t)
		ts.answer = `{"access_token":"mac-token","token_type":"mac"}`
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api)
		_, err := e.Call(context.Background(), "list", nil)
		wantErr(t, err, KindUpstream, "upstream: list: oauth2 token response from "+ts.URL+"/token has token_type \"mac\"; naftiko sends only Bearer tokens")
	})
	t.Run("token answers the engine refuses", func(t *testing.T) {
		for answer, want := range map[string]string{
			`{"token_type":"bearer"}`:                              "has no access_token",
			`<html>login</html>`:                                   "is not a JSON object",
			`{"access_token":"t","expires_in":-5}`:                 "has an invalid expires_in \"-5\"",
			`{"access_token":"t","expires_in":"soon"}`:             `is not a usable token answer: json: invalid number literal, trying to unmarshal "\"soon\"" into Number`,
			`{"access_token":"t","token_type":"Bearer","x":[1,2]}`: "",
			`{"access_token":"t","expires_in":"3600"}`:             "",
		} {
			ts := newTokenServer(t)
			ts.answer = answer
			api := newUpstream(t, jsonAnswer(200, `[]`))
			e := oauthEngine(t, ts, api)
			_, err := e.Call(context.Background(), "list", nil)
			if want == "" {
				if err != nil {
					t.Errorf("%s: %v", answer, err)
				}
				continue
			}
			wantErr(t, err, KindUpstream, "upstream: list: oauth2 token response from "+ts.URL+"/token "+want)
		}
	})
	t.Run("an error in a 200 answer is a failed token request", func(t *testing.T) {
		ts := newTokenServer(t)
		ts.answer = `{"error":"invalid_scope"}`
		e := oauthEngine(t, ts, newUpstream(t, jsonAnswer(200, `[]`)))
		_, err := e.Call(context.Background(), "list", nil)
		wantErr(t, err, KindUpstream, "upstream: list: oauth2 token request to "+ts.URL+"/token answered 200 OK: invalid_scope")
	})
	t.Run("a form-encoded token answer is read; a quoted expires_in too", func(t *testing.T) {
		ts := newTokenServer(t)
		ts.ctype = "application/x-www-form-urlencoded"
		ts.answer = `access_token=form-tok&token_type=bearer&expires_in=60`
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api)
		now := time.Date(2026, 5, 22, 10, 0, 0, 0, time.UTC)
		e.now = func() time.Time { return now }
		e.Call(context.Background(), "list", nil)
		now = now.Add(29 * time.Second)
		e.Call(context.Background(), "list", nil)
		now = now.Add(2 * time.Second)
		if _, err := e.Call(context.Background(), "list", nil); err != nil {
			t.Fatal(err)
		}
		if ts.calls.Load() != 2 || api.requests()[0].Header.Get("Authorization") != "Bearer form-tok" {
			t.Errorf("%d token requests, API Authorization %q", ts.calls.Load(), api.requests()[0].Header.Get("Authorization"))
		}
	})
	t.Run("an answer larger than 1 MiB is refused, declared or not", func(t *testing.T) {
		for _, declared := range []bool{true, false} {
			ts := newTokenServer(t)
			ts.answer = `{"access_token":"` + strings.Repeat("a", 1<<20) + `"}`
			ts.declare = declared
			e := oauthEngine(t, ts, newUpstream(t, jsonAnswer(200, `[]`)))
			_, err := e.Call(context.Background(), "list", nil)
			wantErr(t, err, KindTransport, "transport: list: oauth2 token request to "+ts.URL+"/token: the answer exceeds 1 MiB")
		}
	})
	t.Run("token requests go through the injected client", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, jsonAnswer(200, `[]`))
		var seen []string
		var mu sync.Mutex
		client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			mu.Lock()
			seen = append(seen, r.Method+" "+r.URL.Path)
			mu.Unlock()
			return http.DefaultTransport.RoundTrip(r)
		})}
		e := oauthEngine(t, ts, api, WithHTTPClient(client))
		if _, err := e.Call(context.Background(), "list", nil); err != nil {
			t.Fatal(err)
		}
		if strings.Join(seen, ",") != "POST /token,GET /things" {
			t.Errorf("through the client: %v", seen)
		}
	})
	t.Run("caller Authorization wins and no token is fetched", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, jsonAnswer(200, `[]`))
		e := oauthEngine(t, ts, api, WithHeader("Authorization", "Bearer manual"))
		if _, err := e.Call(context.Background(), "list", nil); err != nil {
			t.Fatal(err)
		}
		if ts.calls.Load() != 0 || api.only(t).Header.Get("Authorization") != "Bearer manual" {
			t.Errorf("%d token requests", ts.calls.Load())
		}
	})
	t.Run("trace masks the token and the client credentials", func(t *testing.T) {
		ts := newTokenServer(t)
		api := newUpstream(t, jsonAnswer(200, `[]`))
		var trace bytes.Buffer
		e := oauthEngine(t, ts, api, WithTrace(&trace))
		if _, err := e.Call(context.Background(), "list", nil); err != nil {
			t.Fatal(err)
		}
		if s := trace.String(); strings.Contains(s, "tok-1") || strings.Contains(s, "s3cr3t") || !strings.Contains(s, "> POST "+ts.URL+"/token") {
			t.Errorf("trace:\n%s", s)
		}
	})
}

// ---------------------------------------------------------------------------
// AWS Signature Version 4.

const (
	awsSuiteKey    = "AKIDEXAMPLE"
	awsSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	awsSuiteToken  = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
	awsSuiteScope  = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
)

var awsSuiteDate = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

// TestSigV4PublishedVectors reproduces cases of the AWS SigV4 test suite
// (credentials AKIDEXAMPLE, us-east-1, service "service", 20150830T123600Z)
// and the S3 documentation's GET Object example.
func TestSigV4PublishedVectors(t *testing.T) {
	suite := &awsAuth{accessKey: awsSuiteKey, secret: awsSuiteSecret, region: "us-east-1", service: "service"}
	for _, tc := range []struct {
		name    string
		a       *awsAuth
		at      time.Time
		method  string
		url     string
		headers [][2]string
		body    string
		want    string
	}{
		{"get-vanilla", suite, awsSuiteDate, "GET", "https://example.amazonaws.com/", nil, "",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"get-vanilla-query-order-key-case", suite, awsSuiteDate, "GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", nil, "",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
		{"post-vanilla", suite, awsSuiteDate, "POST", "https://example.amazonaws.com/", nil, "",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
		{"get-header-value-trim", suite, awsSuiteDate, "GET", "https://example.amazonaws.com/", [][2]string{{"My-Header1", " value1"}, {"My-Header2", `"a   b   c"`}}, "",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
		{"post-header-key-sort", suite, awsSuiteDate, "POST", "https://example.amazonaws.com/", [][2]string{{"My-Header1", "value1"}}, "",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
		{"post-x-www-form-urlencoded", suite, awsSuiteDate, "POST", "https://example.amazonaws.com/", [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}}, "Param1=value1",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
		{"post-sts-header-before", &awsAuth{accessKey: awsSuiteKey, secret: awsSuiteSecret, token: awsSuiteToken, region: "us-east-1", service: "service"}, awsSuiteDate,
			"POST", "https://example.amazonaws.com/", nil, "",
			"AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
		{"s3 GET Object", &awsAuth{accessKey: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "s3"},
			time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC), "GET", "https://examplebucket.s3.amazonaws.com/test.txt", [][2]string{{"Range", "bytes=0-9"}}, "",
			"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			for _, h := range tc.headers {
				req.Header.Set(h[0], h[1])
			}
			tc.a.sign(req, hexSHA256([]byte(tc.body)), tc.at)
			if got := req.Header.Get("Authorization"); got != tc.want {
				t.Errorf("Authorization:\n%s\nwant:\n%s", got, tc.want)
			}
			if req.Header.Get("X-Amz-Date") != tc.at.Format("20060102T150405Z") {
				t.Errorf("X-Amz-Date %s", req.Header.Get("X-Amz-Date"))
			}
		})
	}
}

// captureTransport answers every request with 200 {} and records it.
type captureTransport struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.ReadAll(r.Body)
		r.Body.Close()
	}
	c.mu.Lock()
	c.reqs = append(c.reqs, r)
	c.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
}

const awsDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: AWS_SECRET_ACCESS_KEY, AWS_REGION: AWS_REGION}
capability:
  consumes:
  - namespace: svc
    type: http
    baseUri: https://example.amazonaws.com
    authentication: {type: aws-sig-v4, accessKeyId: '{{AWS_ACCESS_KEY_ID}}', secretKey: '{{AWS_SECRET_ACCESS_KEY}}', region: '{{AWS_REGION}}', service: service}
    resources:
    - name: root
      path: /
      operations:
      - {name: vanilla, method: GET}
      - {name: form, method: POST, body: {type: formUrlEncoded, data: {Param1: value1}}}
  - namespace: s3
    type: http
    baseUri: https://examplebucket.s3.amazonaws.com
    authentication: {type: aws-sig-v4, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, region: us-east-1, service: s3}
    resources:
    - name: object
      path: /test.txt
      operations:
      - {name: getObject, inputParameters: [{name: Range, in: header}]}
`

// TestSigV4ThroughCall signs engine requests and compares them with the
// published vectors: the engine's own headers (Accept removed, User-Agent
// never signed) must not disturb the signature.
func TestSigV4ThroughCall(t *testing.T) {
	c := parse(t, awsDoc)
	ct := &captureTransport{}
	e, err := New(c, WithHTTPClient(&http.Client{Transport: ct}), WithHeader("Accept", ""),
		WithLookup(env(map[string]string{"AWS_ACCESS_KEY_ID": awsSuiteKey, "AWS_SECRET_ACCESS_KEY": awsSuiteSecret, "AWS_REGION": "us-east-1"})))
	if err != nil {
		t.Fatal(err)
	}
	e.now = func() time.Time { return awsSuiteDate }
	for _, tc := range []struct {
		op     string
		params map[string]any
		want   string
	}{
		{"vanilla", nil, "AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"form", nil, "AWS4-HMAC-SHA256 " + awsSuiteScope + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
	} {
		if _, err := e.Call(context.Background(), tc.op, tc.params); err != nil {
			t.Fatal(err)
		}
		r := ct.reqs[len(ct.reqs)-1]
		if got := r.Header.Get("Authorization"); got != tc.want {
			t.Errorf("%s: Authorization:\n%s\nwant:\n%s", tc.op, got, tc.want)
		}
		if r.Header.Get("X-Amz-Date") != "20150830T123600Z" || r.Header.Get("User-Agent") == "" {
			t.Errorf("%s: headers %v", tc.op, r.Header)
		}
	}
	e.now = func() time.Time { return time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC) }
	if _, err := e.Call(context.Background(), "getObject", map[string]any{"Range": "bytes=0-9"}); err != nil {
		t.Fatal(err)
	}
	r := ct.reqs[len(ct.reqs)-1]
	if !strings.HasSuffix(r.Header.Get("Authorization"), "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41") ||
		r.Header.Get("X-Amz-Content-Sha256") != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("s3: %v", r.Header)
	}
	pr, err := e.Prepare(context.Background(), mustResolve(t, e, "vanilla"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	pr.Curl(&b)
	if !strings.Contains(b.String(), `--aws-sigv4 'aws:amz:us-east-1:service' -u "$AWS_ACCESS_KEY_ID"':'"$AWS_SECRET_ACCESS_KEY"`) {
		t.Errorf("curl:\n%s", b.String())
	}
}

func TestSigV4MissingFieldSendsNothing(t *testing.T) {
	c := parse(t, strings.Replace(awsDoc, "service: service}", "service: ''}", 1))
	ct := &captureTransport{}
	e, _ := New(c, WithHTTPClient(&http.Client{Transport: ct}), WithLookup(env(map[string]string{"AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_REGION": "c"})))
	_, err := e.Call(context.Background(), "vanilla", nil)
	wantErr(t, err, KindSpec, "spec: vanilla: aws-sig-v4 authentication needs `service`; nothing was sent")
	if len(ct.reqs) != 0 {
		t.Error("request sent")
	}
}

// ---------------------------------------------------------------------------
// The wild shapes, redirects and precedence.

func TestAuthWildShapes(t *testing.T) {
	doc := `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {KEY: API_KEY, USER: API_USER}
capability:
  consumes:
  - type: http
    namespace: hm
    baseUri: https://x.example.com
    authentication: {type: apikey, headers: {X-Api-Key: '{{KEY}}', X-Tenant: acme}}
    resources: [{name: r, path: /r, operations: [{name: headersMap}]}]
  - type: http
    namespace: ht
    baseUri: https://x.example.com
    authentication: {type: header, header: X-Auth-Token, value: 'Token {{KEY}}'}
    resources: [{name: r, path: /r, operations: [{name: headerType}]}]
  - type: http
    namespace: qt
    baseUri: https://x.example.com
    authentication: {type: query, parameters: [{name: key, value: '{{KEY}}'}, {name: token, value: t w}]}
    resources: [{name: r, path: /r, operations: [{name: queryType}]}]
  - type: http
    namespace: ak
    baseUri: https://x.example.com
    authentication: {type: apiKey, header: X-API-KEY, token: '{{KEY}}'}
    resources: [{name: r, path: /r, operations: [{name: apiKeyCase}]}]
  - type: http
    namespace: be
    baseUri: https://x.example.com
    authentication: {type: basic, username: '{{USER}}', password: ''}
    resources: [{name: r, path: /r, operations: [{name: basicEmpty}]}]
`
	c := parse(t, doc)
	vars := env(map[string]string{"API_KEY": "k-123", "API_USER": "ann"})
	for _, tc := range []struct {
		op      string
		headers map[string]string
		query   string
	}{
		{"headersMap", map[string]string{"X-Api-Key": "k-123", "X-Tenant": "acme"}, ""},
		{"headerType", map[string]string{"X-Auth-Token": "Token k-123"}, ""},
		{"queryType", nil, "key=k-123&token=t%20w"},
		{"apiKeyCase", map[string]string{"X-Api-Key": "k-123"}, ""},
		{"basicEmpty", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("ann:"))}, ""},
	} {
		t.Run(tc.op, func(t *testing.T) {
			u := newUpstream(t, jsonAnswer(200, `{}`))
			e := newEngine(t, c, u, WithLookup(vars))
			if _, err := e.Call(context.Background(), tc.op, nil); err != nil {
				t.Fatal(err)
			}
			got := u.only(t)
			for k, v := range tc.headers {
				if got.Header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, got.Header.Get(k), v)
				}
			}
			if got.Query != tc.query {
				t.Errorf("query = %q, want %q", got.Query, tc.query)
			}
		})
	}
}

// TestCredentialsDoNotFollowCrossHostRedirects checks that headers and
// query pairs produced by authentication are dropped when a redirect
// leaves the host, and kept on the same host.
func TestCredentialsDoNotFollowCrossHostRedirects(t *testing.T) {
	other := newUpstream(t, jsonAnswer(200, `{"where":"other"}`))
	var same *upstream
	same = newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/r":
			http.Redirect(w, r, "/moved?"+r.URL.RawQuery, http.StatusTemporaryRedirect)
		case "/moved":
			// 127.0.0.1 and localhost are different hosts for the client.
			target, _ := url.Parse(other.URL)
			target.Host = strings.Replace(target.Host, "127.0.0.1", "localhost", 1)
			target.Path = "/elsewhere"
			target.RawQuery = r.URL.RawQuery
			http.Redirect(w, r, target.String(), http.StatusTemporaryRedirect)
		}
	})
	doc := `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: q
    baseUri: https://x.example.com
    authentication: {type: apikey, headers: {X-Api-Key: k-123}}
    resources: [{name: r, path: /r, operations: [{name: op, method: POST, inputParameters: [{name: keep, in: query}], body: {type: text, data: payload}}]}]
  - type: http
    namespace: q2
    baseUri: https://x.example.com
    authentication: {type: query, parameters: [{name: api_key, value: s3cret}]}
    resources: [{name: r, path: /r, operations: [{name: op2, inputParameters: [{name: keep, in: query}]}]}]
`
	c := parse(t, doc)
	e := newEngine(t, c, same, WithHTTPClient(same.Client()))
	for _, op := range []string{"op", "op2"} {
		if _, err := e.Call(context.Background(), op, map[string]any{"keep": "1"}); err != nil {
			t.Fatal(err)
		}
	}
	reqs := same.requests()
	if len(reqs) != 4 || reqs[1].Header.Get("X-Api-Key") != "k-123" || reqs[3].Query != "keep=1&api_key=s3cret" {
		t.Fatalf("same-host requests %+v", reqs)
	}
	got := other.requests()
	if len(got) != 2 {
		t.Fatalf("%d cross-host requests", len(got))
	}
	if got[0].Header.Get("X-Api-Key") != "" || got[0].Body != "payload" || got[0].Method != "POST" {
		t.Errorf("header credential followed the redirect, or the body was lost: %+v", got[0])
	}
	if got[1].Query != "keep=1" {
		t.Errorf("query credential followed the redirect: %q", got[1].Query)
	}
}

// TestSigV4HashesStreamedBodies checks that file bodies and streamed
// multipart bodies are hashed as sent (S3 carries the hash in a header).
func TestSigV4HashesStreamedBodies(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "obj.bin")
	os.WriteFile(path, []byte("object payload"), 0o600)
	doc := strings.Replace(awsDoc, "      - {name: getObject, inputParameters: [{name: Range, in: header}]}",
		"      - {name: getObject, inputParameters: [{name: Range, in: header}]}\n"+
			"      - {name: putObject, method: PUT, body: {type: binary}}\n"+
			"      - {name: postForm, method: POST, body: {type: multipartForm, data: [{name: f, value: '@"+path+"'}]}}", 1)
	c := parse(t, doc)
	ct := &captureTransport{}
	e, err := New(c, WithHTTPClient(&http.Client{Transport: ct}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Call(context.Background(), "putObject", nil, WithBodyFile(path)); err != nil {
		t.Fatal(err)
	}
	if got := ct.reqs[0].Header.Get("X-Amz-Content-Sha256"); got != hexSHA256([]byte("object payload")) {
		t.Errorf("file body hash %s", got)
	}
	if _, err := e.Call(context.Background(), "postForm", nil); err != nil {
		t.Fatal(err)
	}
	r := ct.reqs[1]
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	want := "--" + params["boundary"] + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"obj.bin\"\r\nContent-Type: application/octet-stream\r\n\r\nobject payload\r\n--" + params["boundary"] + "--\r\n"
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != hexSHA256([]byte(want)) {
		t.Errorf("multipart body hash %s", got)
	}
}

func TestOAuth2ConfigErrors(t *testing.T) {
	for doc, want := range map[string]string{
		"{type: oauth2, clientId: a, clientSecret: b}":                        "spec: op: oauth2 authentication needs a `tokenEndpoint` (the client credentials token URL); nothing was sent",
		"{type: oauth2, tokenEndpoint: /token, clientId: a, clientSecret: b}": "spec: op: oauth2 tokenEndpoint \"/token\" is not an absolute http or https URL",
		"{type: oauth2, tokenEndpoint: '{{TOKEN_URL}}', clientId: a}":         "binding: op: template at test.yaml:7:52 names `TOKEN_URL`, which is neither a parameter nor a bound variable",
	} {
		c := parse(t, `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: o
    baseUri: https://o.example.com
    authentication: `+doc+`
    resources: [{name: r, path: /r, operations: [{name: op}]}]
`)
		u := newUpstream(t, jsonAnswer(200, `{}`))
		e := newEngine(t, c, u)
		_, err := e.Call(context.Background(), "op", nil)
		if err == nil || err.Error() != want {
			t.Errorf("%s:\nerror %v\nwant  %s", doc, err, want)
		}
		if len(u.requests()) != 0 {
			t.Error("request sent")
		}
	}
}
