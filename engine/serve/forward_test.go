package serve

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
)

// seenRequest is what a recording upstream received.
type seenRequest struct {
	Method, URI, Body string
	Header            http.Header
}

// recorder is an upstream that records every request and answers 200
// with a JSON body; /token answers an OAuth2 token.
func recorder(t *testing.T) (*httptest.Server, func() []seenRequest) {
	t.Helper()
	var mu sync.Mutex
	var seen []seenRequest
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/token" {
			io.WriteString(w, `{"access_token":"at-1","token_type":"bearer","expires_in":3600}`)
			return
		}
		mu.Lock()
		seen = append(seen, seenRequest{Method: r.Method, URI: r.URL.RequestURI(), Body: string(b), Header: r.Header.Clone()})
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(ts.Close)
	return ts, func() []seenRequest {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
}

// forwardDoc forwards /fwd/{{path}} to namespace ext, in the beta5
// dialect of the reference's http-forward-value fixture: inputParameters
// with a value on the consumed adapter are sent with every forward.
const forwardDoc = `ikanos: 1.0.0-beta5
info: {display: Forward}
binds:
- namespace: env
  keys: {TOKEN: API_TOKEN, CLIENT_ID: CID, CLIENT_SECRET: CSECRET}
capability:
  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
      fwd:
        path: /fwd/{{path}}
        forward: {targetNamespace: ext, trustedHeaders: [X-Trusted]}
      oauth:
        path: /oauth/{{path}}
        forward: {targetNamespace: oauth}
      open:
        path: /open/{{path}}
        forward: {targetNamespace: open, trustedHeaders: [authorization, Connection, x-trusted]}
  consumes:
  - type: http
    namespace: ext
    baseUri: UPSTREAM/v1
    authentication: {type: bearer, token: '{{TOKEN}}'}
    inputParameters:
      X-API-Version: {in: header, value: '2026-03-03'}
      tenant: {in: query, value: acme}
  - type: http
    namespace: oauth
    baseUri: UPSTREAM/o
    authentication:
      type: oauth2
      tokenEndpoint: UPSTREAM/token
      clientId: '{{CLIENT_ID}}'
      clientSecret: '{{CLIENT_SECRET}}'
  - type: http
    namespace: open
    baseUri: UPSTREAM/p
`

func forwardServer(t *testing.T, upstream string, vars ...string) http.Handler {
	t.Helper()
	s, err := New(parse(t, strings.ReplaceAll(forwardDoc, "UPSTREAM", upstream)), WithLookup(env(vars...)), WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler("api")
	if h == nil {
		t.Fatal("no REST handler")
	}
	return h
}

// headerLines lists the headers of a request as sorted "Name: value"
// lines, leaving out those the Go client adds.
func headerLines(h http.Header) string {
	var out []string
	for k, vs := range h {
		if k == "Accept-Encoding" || k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			out = append(out, k+": "+v)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestForwardSendsWhatTheNamespaceDeclares: a forward is sent the way any
// operation of its namespace is — base path, the inputParameters that
// have a value (header and query), the authentication — with the caller's
// query kept in its order, only trusted headers passed on, no Accept or
// Content-Type invented, and OAuth2 working as for a call.
func TestForwardSendsWhatTheNamespaceDeclares(t *testing.T) {
	up, seen := recorder(t)
	h := forwardServer(t, up.URL, "API_TOKEN", "tok-9", "CID", "client", "CSECRET", "secret")

	status, body, _ := do(t, h, "GET", "/fwd/a%2Fb/c?y=2&x=1&y=1", "", "X-Trusted", "t", "X-Other", "o", "Authorization", "Bearer caller")
	if status != http.StatusAccepted || body != `{"ok":true}` {
		t.Fatalf("forward: %d %s", status, body)
	}
	got := seen()
	if len(got) != 1 {
		t.Fatalf("%d requests upstream", len(got))
	}
	r := got[0]
	if r.Method != "GET" || r.URI != "/v1/a%2Fb/c?y=2&x=1&y=1&tenant=acme" || r.Body != "" {
		t.Errorf("sent %s %s body %q", r.Method, r.URI, r.Body)
	}
	want := "Authorization: Bearer tok-9\nUser-Agent: naftiko/dev\nX-Api-Version: 2026-03-03\nX-Trusted: t"
	if g := headerLines(r.Header); g != want {
		t.Errorf("headers:\n%s\nwant:\n%s", g, want)
	}

	status, body, _ = do(t, h, "POST", "/oauth/things", `{"a":1}`, "Content-Type", "application/json", "Accept", "application/json")
	if status != http.StatusAccepted {
		t.Fatalf("oauth2 forward: %d %s", status, body)
	}
	r = seen()[0]
	want = "Accept: application/json\nAuthorization: Bearer at-1\nContent-Type: application/json\nUser-Agent: naftiko/dev"
	if g := headerLines(r.Header); g != want || r.URI != "/o/things" || r.Body != `{"a":1}` {
		t.Errorf("oauth2 forward sent %s %q:\n%s\nwant:\n%s", r.URI, r.Body, g, want)
	}

	// Without authentication on the namespace a trusted Authorization
	// passes (trusted names match in any case); a hop-by-hop header never
	// does, trusted or not.
	status, body, _ = do(t, h, "GET", "/open/x", "", "Authorization", "Bearer caller", "Connection", "close", "X-Trusted", "t", "Te", "trailers")
	if status != http.StatusAccepted {
		t.Fatalf("open forward: %d %s", status, body)
	}
	r = seen()[0]
	want = "Authorization: Bearer caller\nUser-Agent: naftiko/dev\nX-Trusted: t"
	if g := headerLines(r.Header); g != want || r.URI != "/p/x" {
		t.Errorf("open forward sent %s:\n%s\nwant:\n%s", r.URI, g, want)
	}
}

// TestForwardRefusesBeforeSending: an empty credential and an oversized
// body are errors answered to the caller; nothing reaches the upstream.
func TestForwardRefusesBeforeSending(t *testing.T) {
	up, seen := recorder(t)
	h := forwardServer(t, up.URL, "API_TOKEN", "")
	status, body, _ := do(t, h, "GET", "/fwd/x", "")
	var e struct {
		Error struct{ Kind, Message, Hint string }
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil || status != http.StatusInternalServerError || e.Error.Kind != "binding" ||
		e.Error.Message != `bearer authentication: the token is empty: variable TOKEN (binds namespace "env", key API_TOKEN) is set to the empty string` ||
		!strings.HasPrefix(e.Error.Hint, "set API_TOKEN to the credential in the server's environment") {
		t.Errorf("empty token: %d %s", status, body)
	}
	status, body, _ = do(t, h, "PUT", "/fwd/x", strings.Repeat("x", maxRequestBody+1))
	if status != http.StatusBadRequest || !strings.Contains(body, "larger than the 10 MiB limit") {
		t.Errorf("oversized body: %d %s", status, body)
	}
	if n := len(seen()); n != 0 {
		t.Errorf("%d requests reached the upstream", n)
	}
}

// TestForwardStaysBelowTheBasePath: a dot segment, plain or encoded, is
// refused with 400; the upstream sees nothing. (A path that is not
// validly percent-encoded never reaches a handler: net/http answers 400;
// engine.Forward refuses it too, see engine's tests.)
func TestForwardStaysBelowTheBasePath(t *testing.T) {
	up, seen := recorder(t)
	h := forwardServer(t, up.URL, "API_TOKEN", "tok")
	for _, target := range []string{"/fwd/a/%2e%2e/%2E%2E/admin", "/fwd/%2e/x", "/fwd/a/../b"} {
		status, body, _ := do(t, h, "GET", target, "")
		if status != http.StatusBadRequest || !strings.Contains(body, "nothing was sent") {
			t.Errorf("%s: %d %s", target, status, body)
		}
	}
	if n := len(seen()); n != 0 {
		t.Errorf("%d requests reached the upstream", n)
	}
	if status, _, _ := do(t, h, "GET", "/fwd/a.b/..c/%2e.d", ""); status != http.StatusAccepted {
		t.Errorf("names with dots that are not dot segments: %d", status)
	}
	if r := seen(); len(r) != 1 || r[0].URI != "/v1/a.b/..c/%2e.d?tenant=acme" {
		t.Errorf("sent %+v", r)
	}
}
