package engine

import (
	"context"
	"strings"
	"testing"
)

// TestTemplatedHeadersCookiesAndEnvironment checks SPEC.md §6.7 and §6.2:
// templates in adapter, resource and operation headers are rendered (the
// later level replacing the earlier), in: cookie parameters combine with a
// caller's Cookie, and in: environment parameters read the environment,
// feed templates and never go on the wire.
func TestTemplatedHeadersCookiesAndEnvironment(t *testing.T) {
	doc := `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {TENANT: TENANT_ID}
capability:
  consumes:
  - type: http
    namespace: h
    baseUri: https://h.example.com
    headers:
      X-Tenant: 'tenant-{{TENANT}}'
      X-Level: adapter
      X-Region: '{{REGION}}'
    inputParameters:
    - {name: REGION, in: environment}
    resources:
    - name: r
      path: /r
      headers:
        X-Level: 'resource {{kind}}'
      operations:
      - name: op
        headers:
          X-Trace: 'req-{{trace}}'
        inputParameters:
        - {name: kind, in: query}
        - {name: trace, in: query}
        - {name: sid, in: cookie}
        - {name: pref, in: cookie}
`
	c := parse(t, doc)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	e := newEngine(t, c, u, WithLookup(env(map[string]string{"TENANT_ID": "t42", "REGION": "eu-west-1"})),
		WithHeader("Cookie", "theirs=1"))
	if _, err := e.Call(context.Background(), "op", map[string]any{"kind": "k", "trace": "9", "sid": "a b;c", "pref": "dark"}); err != nil {
		t.Fatal(err)
	}
	got := u.only(t)
	for k, v := range map[string]string{
		"X-Tenant": "tenant-t42", "X-Level": "resource k", "X-Region": "eu-west-1", "X-Trace": "req-9",
		"Cookie": "sid=a%20b%3Bc; pref=dark; theirs=1",
	} {
		if g := got.Header.Get(k); g != v {
			t.Errorf("%s = %q, want %q", k, g, v)
		}
	}
	if got.Query != "kind=k&trace=9" || strings.Contains(got.Query, "REGION") {
		t.Errorf("query = %q", got.Query)
	}
	if e.Redact("eu-west-1") != "****" {
		t.Error("in: environment value not treated as a secret")
	}
}

func TestUnsetEnvironmentParameter(t *testing.T) {
	c := parse(t, `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: h
    baseUri: https://h.example.com
    headers: {X-Region: '{{REGION}}'}
    inputParameters: [{name: REGION, in: environment}]
    resources: [{name: r, path: /r, operations: [{name: op}]}]
`)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	e := newEngine(t, c, u)
	_, err := e.Call(context.Background(), "op", nil)
	wantErr(t, err, KindBinding, "binding: op: environment variable REGION (an in: environment parameter, used by the template at test.yaml:7:26) is not set")
}
