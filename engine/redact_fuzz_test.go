package engine

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

const redactFuzzDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {S1: S1, S2: S2}
capability:
  consumes:
  - type: http
    namespace: bearer
    baseUri: https://f.example.com/v1
    authentication: {type: bearer, token: '{{S1}}'}
    resources:
    - name: r
      path: /items/{id}
      operations:
      - name: bearerOp
        method: POST
        inputParameters:
        - {name: id, in: path}
        - {name: q, in: query}
        - {name: k, in: query, value: '{{S2}}'}
        - {name: X-Trace, in: header, value: 'trace {{S2}}'}
        - {name: c, in: cookie, value: '{{S1}}'}
        body:
          type: json
          data: {secret: '{{S2}}', note: 'n {{S1}} n', q: '{{q}}'}
  - type: http
    namespace: basic
    baseUri: https://f.example.com/v1
    authentication: {type: basic, username: '{{S1}}', password: '{{S2}}'}
    resources:
    - name: r
      path: /b/{{S2}}
      operations:
      - {name: basicOp, method: GET}
  - type: http
    namespace: query
    baseUri: https://f.example.com/v1
    authentication: {type: apikey, key: api_key, value: '{{S1}}', placement: query}
    resources:
    - name: r
      path: /q
      operations:
      - name: queryOp
        method: GET
        inputParameters:
        - {name: X-Api-Key, in: header, value: '{{S2}}'}
  - type: http
    namespace: sigv4
    baseUri: https://f.example.com/v1
    authentication: {type: aws-sig-v4, accessKeyId: '{{S1}}', secretAccessKey: '{{S2}}', sessionToken: 'st-{{S1}}', region: us-east-1, service: execute-api}
    resources:
    - name: r
      path: /s/{id}
      operations:
      - name: sigv4Op
        method: POST
        inputParameters:
        - {name: id, in: path}
        - {name: q, in: query}
        - {name: k, in: query, value: '{{S2}}'}
        body:
          type: json
          data: {q: '{{q}}'}
  - type: http
    namespace: digest
    baseUri: https://f.example.com/v1
    authentication: {type: digest, username: '{{S1}}', password: '{{S2}}'}
    resources:
    - name: r
      path: /d/{id}
      operations:
      - name: digestOp
        method: GET
        inputParameters:
        - {name: id, in: path}
        - {name: q, in: query}
`

// FuzzDumpMasksBoundValues fuzzes the redactor against the request
// builder: whatever the bound values (of 4 bytes or more) and the caller's
// input, the request printed by --dry-run (Dump), --curl (Curl) and -v
// (the trace of a sent request) shows none of them, raw, percent-encoded,
// base64 or JSON-escaped; for every authentication kind that puts them on
// the wire, SigV4 (signed headers, session token) and digest (after a
// challenge) included.
//
// An execution takes about 0.15 ms. A run that seems to stall ("execs"
// not moving for many seconds) is minimizing a new interesting input: the
// coordinator hands out no input meanwhile and counts the minimization's
// executions only when it ends (at most -fuzzminimizetime, 60s by
// default). Short runs should pass -fuzzminimizetime=5s.
func FuzzDumpMasksBoundValues(f *testing.F) {
	for _, s := range [][3]string{
		{"sk_live_abc123", "p@ss w/rd+&é", "x"},
		{"tok/with+plus=", "a'b\"c\\d", "sk_live_abc123"},
		{"Bearer", "json", "application/json"},
		{"1234", "%2F%3D", "a b"},
		{"ééé", "\t\t\t\t", "{}"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	c, err := spec.Parse([]byte(redactFuzzDoc), "fuzz.yaml")
	if err != nil {
		f.Fatal(err)
	}
	stub := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
		}
		if strings.HasPrefix(r.URL.Path, "/v1/d/") && !strings.HasPrefix(r.Header.Get("Authorization"), "Digest ") {
			h := http.Header{"Www-Authenticate": {`Digest realm="r", nonce="n1", qop="auth", algorithm=SHA-256`}}
			return &http.Response{StatusCode: 401, Proto: "HTTP/1.1", Header: h, Body: http.NoBody, Request: r}, nil
		}
		return &http.Response{StatusCode: 204, Proto: "HTTP/1.1", Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})}
	f.Fuzz(func(t *testing.T, s1, s2, q string) {
		if len(s1) < 4 || len(s2) < 4 {
			t.Skip("secrets shorter than 4 bytes are masked only as whole values")
		}
		var trace bytes.Buffer
		e, err := New(c, WithLookup(env(map[string]string{"S1": s1, "S2": s2})), WithHTTPClient(stub), WithTrace(&trace), WithRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{"bearerOp", "basicOp", "queryOp", "sigv4Op", "digestOp"} {
			op, err := e.Resolve(ref)
			if err != nil {
				t.Fatal(err)
			}
			params := map[string]any{}
			if ref != "basicOp" && ref != "queryOp" {
				params = map[string]any{"id": "i", "q": q}
			}
			pr, err := e.Prepare(context.Background(), op, params)
			if err != nil {
				assertMasked(t, ref+" error", err.Error(), s1, s2)
				continue
			}
			var dump, curl bytes.Buffer
			pr.Dump(&dump)
			pr.Curl(&curl)
			assertMasked(t, ref+" --dry-run", dump.String(), s1, s2)
			// What curl receives: the words of the command, unquoted ("$VAR"
			// kept as written); the quotes around a caller's input that
			// happens to be a prefix of a secret are no disclosure.
			assertMasked(t, ref+" --curl", strings.Join(shellWords(curl.String()), "\n"), s1, s2)
			trace.Reset()
			if _, err := e.Send(context.Background(), pr); err != nil {
				assertMasked(t, ref+" send error", err.Error(), s1, s2)
			} else if n := strings.Count(trace.String(), "> GET "); ref == "digestOp" && n != 2 {
				t.Fatalf("digest: %d requests traced, want the challenged one and the answer:\n%s", n, trace.String())
			}
			assertMasked(t, ref+" -v", trace.String(), s1, s2)
		}
	})
}

// shellWords splits a command printed by Curl into the words a POSIX
// shell passes to curl: single quotes taken literally, double quotes
// (only ever around "$VAR") kept with their text, a backslash escaping
// the next character or, before a newline, joining lines.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			if s[i] != '\n' {
				w.WriteByte(s[i])
				in = true
			}
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				j = len(s) - i - 1
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == ' ' || c == '\n' || c == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func assertMasked(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		j, _ := json.Marshal(s)
		for _, f := range []string{s, url.QueryEscape(s), url.PathEscape(s), base64.StdEncoding.EncodeToString([]byte(s)), string(j[1 : len(j)-1])} {
			if len(f) >= 4 && strings.Contains(text, f) {
				t.Fatalf("%s shows the secret %q as %q:\n%s", where, s, f, text)
			}
		}
	}
}

func TestShellWords(t *testing.T) {
	got := shellWords("curl 'https://x/?q=a b' \\\n  -H 'X: it'\\''s '\"$TOK\" \\\n  --data-binary '{}'\n")
	want := []string{"curl", "https://x/?q=a b", "-H", "X: it's $TOK", "--data-binary", "{}"}
	if !slices.Equal(got, want) {
		t.Errorf("shellWords = %q, want %q", got, want)
	}
}
