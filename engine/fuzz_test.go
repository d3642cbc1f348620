package engine

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
)

const fuzzDoc = `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: f
    baseUri: https://f.example.com/base
    resources:
    - name: r
      path: /items/{id}
      operations:
      - name: op
        inputParameters:
        - {name: id, in: path}
        - {name: q, in: query}
        - {name: tags, in: query, type: array}
        - {name: X-H, in: header}
        - {name: c, in: cookie}
`

// FuzzRequest checks that any parameter values give either a request
// error or a URL whose path segment and query decode back to the values.
func FuzzRequest(f *testing.F) {
	for _, s := range [][4]string{
		{"42", "a b", `["x","y"]`, "v"},
		{"../x?y#z", "+created_at", "[", "a\r\nb"},
		{"%2F", "%", "[1,2]", "é"},
		{"a/b", "&=?", `["&"]`, "\x00"},
		{".", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	c, err := spec.Parse([]byte(fuzzDoc), "fuzz.yaml")
	if err != nil {
		f.Fatal(err)
	}
	e, err := New(c, WithLookup(env(nil)))
	if err != nil {
		f.Fatal(err)
	}
	op, err := e.Resolve("op")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, id, q, tags, h string) {
		pr, err := e.Prepare(context.Background(), op, map[string]any{"id": id, "q": q, "tags": tags, "X-H": h, "c": h})
		if err != nil {
			var se *spec.Error
			if !errors.As(err, &se) || se.Kind == spec.KindInternal {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		u, err := url.Parse(pr.URL)
		if err != nil {
			t.Fatalf("built URL %q does not parse: %v", pr.URL, err)
		}
		if u.Host != "f.example.com" || u.Fragment != "" {
			t.Fatalf("URL %q changed host or has a fragment", pr.URL)
		}
		seg := strings.TrimPrefix(u.EscapedPath(), "/base/items/")
		if strings.Contains(seg, "/") {
			t.Fatalf("path value %q escaped into several segments: %q", id, u.EscapedPath())
		}
		if got, _ := url.PathUnescape(seg); got != id {
			t.Fatalf("path segment decodes to %q, want %q", got, id)
		}
		vals, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			t.Fatalf("query %q does not parse: %v", u.RawQuery, err)
		}
		if q != "" && vals.Get("q") != q {
			t.Fatalf("query q = %q, want %q", vals.Get("q"), q)
		}
		if strings.ContainsAny(pr.Header.Get("X-H"), "\r\n\x00") {
			t.Fatalf("header value with CR/LF/NUL accepted")
		}
	})
}
