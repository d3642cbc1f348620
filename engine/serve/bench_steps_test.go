package serve

import (
	"strings"
	"testing"
)

// benchAPI is what both benchmark documents share after their info: the
// consumed orgs.list and a REST adapter `api` whose resources follow.
const benchAPI = `binds:
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
`

const stepsBenchDoc = `naftiko: 1.0.0-alpha2
info: {label: Steps}
` + benchAPI + `    - path: /chain/{org}
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

// benchGET serves doc against the fake upstream, checks that GET target
// answers 200 with a body containing want, then measures that request.
func benchGET(b *testing.B, doc, target, want string) {
	b.Helper()
	up := newUpstream(b)
	s, err := New(parse(b, strings.ReplaceAll(doc, "UPSTREAM", up.URL)), WithLookup(env("TOKEN", "t")), WithRetries(0))
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler("api")
	if st, body, _ := do(b, h, "GET", target, ""); st != 200 || !strings.Contains(body, want) {
		b.Fatalf("%d %s", st, body)
	}
	b.ReportAllocs()
	for b.Loop() {
		do(b, h, "GET", target, "")
	}
}

// BenchmarkRESTSteps is a REST call orchestrating two consumed calls whose
// with values read step results ($.step paths, $this.step): the work per
// request that the compiled program moved to start-up (reference
// resolution, $.path compilation, value classification).
func BenchmarkRESTSteps(b *testing.B) { benchGET(b, stepsBenchDoc, "/chain/o1", `"org":"o1"`) }

const templatesBenchDoc = `naftiko: 1.0.0-alpha2
info: {label: Templates}
` + benchAPI + `    - path: /tmpl/{org}
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
	benchGET(b, templatesBenchDoc, "/tmpl/o1", `"org":"o1-o1"`)
}
