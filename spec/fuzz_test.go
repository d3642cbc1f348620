package spec

import (
	"cmp"
	"errors"
	"slices"
	"testing"
)

// FuzzParse checks that the loader never panics and always returns either
// a capability or a spec error, whatever the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"naftiko: 1.0.0-alpha2\n",
		"ikanos: 1.0.0-beta5\ncapability:\n  consumes:\n  - type: http\n    namespace: a\n    baseUri: https://a.test/\n    resources:\n      r:\n        path: x/{id}\n        operations:\n          get: {inputParameters: {id: {in: path}}, outputParameters: {o: {value: '$.a['}}}\n",
		"naftiko: 1.0.0-alpha2\nd: &d {type: http, baseUri: 'https://{h}.test/{{V}}'}\ncapability:\n  consumes:\n  - <<: *d\n    namespace: n\n    auth: {type: apiKey, in: query, name: k, value: '{{ K }}'}\n    resources: [{name: r, path: '/a?b', operations: [{id: x, body: {type: form, data: {a: '{{#s}}'}}}]}]\n",
		"naftiko: 1.0.0-alpha2\nx: &a [*a]\n",
		"naftiko: 1.0.0-alpha2\na: &a [x, x]\nb: &b [*a, *a]\n---\nc: 1\n",
		"naftiko: 1.0.0-alpha1\nimports: [testdata/imports/shared/api.yaml, /dev/null]\ninfo: {title: T}\nbinds: [A, {namespace: e, keys: [B]}]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if (c == nil) == (err == nil) {
			t.Fatalf("capability %v with error %v", c != nil, err)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindSpec {
				t.Fatalf("error %#v is not a spec error", err)
			}
			if e.Msg == "" || e.Pos.IsZero() || !slices.ContainsFunc(e.Diagnostics, func(d Diagnostic) bool { return d.Severity == SeverityFatal }) {
				t.Fatalf("malformed error %#v", e)
			}
			return
		}
		if !slices.IsSortedFunc(c.Diagnostics, func(a, b Diagnostic) int {
			return cmp.Or(cmp.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Col, b.Pos.Col))
		}) {
			t.Fatalf("diagnostics not sorted")
		}
		for _, d := range c.Diagnostics {
			if d.Severity == SeverityFatal || d.Rule == "" || d.Message == "" || d.Pos.IsZero() {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		for _, o := range c.Operations() {
			if o.Op.Name == "" || o.Op.Method == "" || o.Op.PathTmpl == nil || o.Resource.PathTmpl == nil {
				t.Fatalf("incomplete operation %+v", o.Op)
			}
		}
	})
}
