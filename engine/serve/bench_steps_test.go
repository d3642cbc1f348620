package serve

import (
	"strings"
	"testing"
)

const stepsBenchDoc = `naftiko: 1.0.0-alpha2
info: {label: Steps}
binds:
- namespace: env
  keys: {TOKEN: TOKEN}
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{TOKEN}}'}
    resources:
    - name: memberships
      path: /organizations/{organization_id}/memberships
      operations:
      - name: list
        method: GET
        inputParameters:
        - {name: limit, in: query, type: integer}
  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
    - path: /chain/{org}
      name: chain
      operations:
      - method: GET
        steps:
        - {type: call, name: first, call: orgs.list, with: {organization_id: rest.org, limit: '5'}}
        - {type: call, name: second, call: orgs.list, with: {organization_id: $.first.org, limit: $this.first.limit}}
        mappings:
        - {targetName: org, value: $.second.org}
        - {targetName: auth, value: $this.second.auth}
`

// BenchmarkRESTSteps is a REST call orchestrating two consumed calls whose
// with values read step results ($.step paths, $this.step): the work per
// request that the compiled program moved to start-up (reference
// resolution, $.path compilation, value classification).
func BenchmarkRESTSteps(b *testing.B) {
	up := newUpstream(b)
	s, err := New(parse(b, strings.ReplaceAll(stepsBenchDoc, "UPSTREAM", up.URL)), WithLookup(env("TOKEN", "t")), WithRetries(0))
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler("api")
	if st, body, _ := do(b, h, "GET", "/chain/o1", ""); st != 200 || !strings.Contains(body, `"org":"o1"`) {
		b.Fatalf("%d %s", st, body)
	}
	b.ReportAllocs()
	for b.Loop() {
		do(b, h, "GET", "/chain/o1", "")
	}
}

const templatesBenchDoc = `naftiko: 1.0.0-alpha2
info: {label: Templates}
binds:
- namespace: env
  keys: {TOKEN: TOKEN}
capability:
  consumes:
  - type: http
    namespace: orgs
    baseUri: UPSTREAM
    authentication: {type: bearer, token: '{{TOKEN}}'}
    resources:
    - name: memberships
      path: /organizations/{organization_id}/memberships
      operations:
      - name: list
        method: GET
        inputParameters:
        - {name: limit, in: query, type: integer}
  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
    - path: /tmpl/{org}
      name: tmpl
      operations:
      - method: GET
        steps:
        - {type: call, name: first, call: orgs.list, with: {organization_id: '{{rest.org}}', limit: '5'}}
        - {type: call, name: second, call: orgs.list, with: {organization_id: '{{first.org}}-{{api.org}}', limit: '{{first.limit}}'}}
        mappings:
        - {targetName: org, value: $.second.org}
`

// BenchmarkRESTTemplates is a REST call whose step `with` values are
// templates naming a prefixed input, another adapter-namespace input and
// finished steps' results: each placeholder is classified when the server
// is built, not per request.
func BenchmarkRESTTemplates(b *testing.B) {
	up := newUpstream(b)
	s, err := New(parse(b, strings.ReplaceAll(templatesBenchDoc, "UPSTREAM", up.URL)), WithLookup(env("TOKEN", "t")), WithRetries(0))
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler("api")
	if st, body, _ := do(b, h, "GET", "/tmpl/o1", ""); st != 200 || !strings.Contains(body, `"org":"o1-o1"`) {
		b.Fatalf("%d %s", st, body)
	}
	b.ReportAllocs()
	for b.Loop() {
		do(b, h, "GET", "/tmpl/o1", "")
	}
}
