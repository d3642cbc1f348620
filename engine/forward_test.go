package engine

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

const forwardFuzzDoc = `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: f
    baseUri: https://f.example.com/base
    inputParameters:
    - {name: tenant, in: query, value: acme}
    - {name: X-Version, in: header, value: '2'}
    resources:
    - {name: r, path: /r, operations: [{name: op}]}
`

// TestForwardRefuses: what a forward cannot send as it came is refused
// before anything is sent, with usage errors; an unknown namespace too.
func TestForwardRefuses(t *testing.T) {
	e, err := New(parse(t, forwardFuzzDoc), WithLookup(env(nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ns   string
		fr   ForwardRequest
		want string
	}{
		{"g", ForwardRequest{Method: "GET"}, "usage: the capability consumes no namespace g"},
		{"f", ForwardRequest{Method: "GET", Path: "a/%zz"}, "usage: f.(forward): the forwarded path \"a/%zz\" is not validly percent-encoded; nothing was sent"},
		{"f", ForwardRequest{Method: "GET", Path: "a/%2E%2e/b"}, "usage: f.(forward): the forwarded path \"a/%2E%2e/b\" has a \"..\" segment, which would leave the namespace's base path; nothing was sent"},
		{"f", ForwardRequest{Method: "GET", RawQuery: "a=1#frag"}, "usage: f.(forward): the forwarded query \"a=1#frag\" has a space, control character or #; nothing was sent"},
		{"f", ForwardRequest{Method: "GET", Header: http.Header{"X-A": {"a\nb"}}}, "request: f.(forward): header X-A contains a CR, LF or NUL character; nothing was sent"},
	} {
		_, err := e.Forward(context.Background(), tc.ns, tc.fr)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v:\n got %v\nwant %s", tc.fr, err, tc.want)
		}
	}
}

// TestForwardRedirectLoop: a forward that meets a redirect loop fails as
// a call does, with a transport error naming the loop and the hops remedy.
func TestForwardRedirectLoop(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	e := newEngine(t, parse(t, forwardFuzzDoc), u)
	_, err := e.Forward(context.Background(), "f", ForwardRequest{Method: "GET", Path: "a"})
	se := wantErr(t, err, spec.KindTransport, "transport: f.(forward): request failed: stopped after 10 redirects")
	if se.Hint != "the upstream redirects in a loop or through too many hops" || se.Remedy != spec.RemedyHops {
		t.Errorf("hint = %q, remedy = %v", se.Hint, se.Remedy)
	}
	if len(u.requests()) != 10 {
		t.Errorf("%d requests, want 10", len(u.requests()))
	}
}

// TestForwardTrace: a forward is reported to the CallTrace as one attempt
// of one, with the status it got, whatever that status.
func TestForwardTrace(t *testing.T) {
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	e := newEngine(t, parse(t, forwardFuzzDoc), u)
	var starts []AttemptStart
	var dones []AttemptDone
	ctx := WithCallTrace(context.Background(), &CallTrace{
		AttemptStart: func(a AttemptStart) { starts = append(starts, a) },
		AttemptDone:  func(d AttemptDone) { dones = append(dones, d) },
	})
	resp, err := e.Forward(ctx, "f", ForwardRequest{Method: "POST", Path: "a", RawQuery: "x=1"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wantURL := u.URL + "/a?x=1&tenant=acme"
	if len(starts) != 1 || starts[0] != (AttemptStart{Operation: "f.(forward)", Attempt: 1, Attempts: 1, Method: "POST", URL: wantURL}) {
		t.Errorf("AttemptStart %+v", starts)
	}
	if len(dones) != 1 || dones[0].Operation != "f.(forward)" || dones[0].Attempt != 1 || dones[0].Attempts != 1 ||
		dones[0].Method != "POST" || dones[0].URL != wantURL || dones[0].Status != http.StatusTeapot || dones[0].Err != nil {
		t.Errorf("AttemptDone %+v", dones)
	}
}

// FuzzForward checks that any forwarded path, query and header value give
// either a usage or request error, or a request below the base path with
// no dot segment, the query as it came followed by the namespace's own
// pairs, and no header value holding CR, LF or NUL.
func FuzzForward(f *testing.F) {
	for _, s := range [][3]string{
		{"a/b", "x=1&y=2", "v"},
		{"%2e%2e/admin", "q=%zz", "a\r\nb"},
		{"a%2Fb/c", "", ""},
		{"./x", "a#b", "\x00"},
		{"é/ü", "k=é", "é"},
		{"a//b", "=&=", " "},
	} {
		f.Add(s[0], s[1], s[2])
	}
	c, err := spec.Parse([]byte(forwardFuzzDoc), "fuzz.yaml")
	if err != nil {
		f.Fatal(err)
	}
	e, err := New(c, WithLookup(env(nil)))
	if err != nil {
		f.Fatal(err)
	}
	op := e.prog.Forward("f")
	f.Fuzz(func(t *testing.T, path, query, h string) {
		pr, err := e.prepareForward(context.Background(), op, ForwardRequest{Method: "POST", Path: path, RawQuery: query,
			Header: http.Header{"X-Caller": {h}}})
		if err != nil {
			var se *spec.Error
			if !errors.As(err, &se) || (se.Kind != spec.KindUsage && se.Kind != spec.KindRequest) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		u, err := url.Parse(pr.URL)
		if err != nil {
			t.Fatalf("built URL %q does not parse: %v", pr.URL, err)
		}
		if u.Host != "f.example.com" || u.Fragment != "" || !strings.HasPrefix(u.EscapedPath(), "/base") {
			t.Fatalf("URL %q left the namespace's base", pr.URL)
		}
		for _, seg := range strings.Split(strings.TrimPrefix(u.Path, "/base"), "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("URL %q has a dot segment", pr.URL)
			}
		}
		want := "tenant=acme"
		if query != "" {
			want = query + "&" + want
		}
		if u.RawQuery != want {
			t.Fatalf("query %q, want %q", u.RawQuery, want)
		}
		for name, vs := range pr.Header {
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n\x00") {
					t.Fatalf("header %s value %q accepted", name, v)
				}
			}
		}
		if pr.Header.Get("X-Version") != "2" {
			t.Fatalf("the namespace's header is missing: %v", pr.Header)
		}
	})
}
