package spec

import (
	"slices"
	"testing"
)

func TestBinds(t *testing.T) {
	c := load(t, `naftiko: 1.0.0-alpha2
binds:
- namespace: secrets
  description: Key file
  location: file://./secrets.env
  keys:
    NOTION_TOKEN: notion-token
    SAME:
- namespace: env
  keys: [A, B]
capability:
  binds:
  - {namespace: late, keys: {LATE: LATE}}
`)
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:10:9: info: `keys` written as a list binds each variable to the provider key of the same name [dialect]",
	})
	var got []string
	for _, b := range c.Binds {
		for _, k := range b.Keys {
			got = append(got, b.Namespace+":"+k.Var+"="+k.Key)
		}
	}
	if !slices.Equal(got, []string{"secrets:NOTION_TOKEN=notion-token", "secrets:SAME=SAME", "env:A=A", "env:B=B", "late:LATE=LATE"}) {
		t.Errorf("binds = %v", got)
	}
	if b := c.Binds[0]; b.Location != "file://./secrets.env" || b.Description != "Key file" || b.Pos != (Pos{"t.yaml", 3, 3}) {
		t.Errorf("bind = %+v", b)
	}
}

func TestResourceWithoutNameOrPath(t *testing.T) {
	c := load(t, adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    resources:
    - path: /users/{id}/posts
      operations: [{name: list, inputParameters: [{name: id, in: path}]}]
    - name: nopath
      operations: [{name: x}]
`))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:8:7: warning: resource has no `name`; it is called `users-id-posts` after its path [required-field]",
		"t.yaml:10:7: warning: resource `nopath` has no `path` [required-field]",
	})
	rs := c.Consumes[0].Resources
	if rs[0].Name != "users-id-posts" || rs[1].Path != "" || rs[1].PathTmpl == nil || c.Operations()[1].FullPath() != "" {
		t.Errorf("resources = %+v %+v", rs[0], rs[1])
	}
}

func TestBodyForms(t *testing.T) {
	c := load(t, opDoc(`      - name: list
        body: [1, '{{x}}']
      - name: mapping
        body: {query: '{{q}}', n: .inf, o: 0o17}
      - name: block
        body: |
          {"a": "{{A}}"}
      - name: odd
        body: {type: yaml, data: 'a: 1'}
`))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:12:15: info: a list `body` is sent as JSON [dialect]",
		"t.yaml:14:15: info: a `body` mapping without `type` and `data` is sent as JSON [dialect]",
		"t.yaml:19:22: warning: unknown body type `yaml` (use json, text, xml, sparql, formUrlEncoded, multipartForm or binary) [body-type-unknown]",
	})
	ops := c.Operations()
	if b := ops[0].Op.Body; b.Type != "json" || b.Data.Kind != DataList || b.Data.Items[0].Kind != DataNumber || b.Data.Items[1].Tmpl == nil {
		t.Errorf("list body = %+v", b.Data)
	}
	m := ops[1].Op.Body.Data
	if m.Kind != DataMap || m.Vals[1].Kind != DataString || m.Vals[1].Text != ".inf" || m.Vals[2].Kind != DataNumber || m.Vals[2].Text != "15" {
		t.Errorf("map body = %+v %+v %+v", m.Vals[0], m.Vals[1], m.Vals[2])
	}
	if b := ops[2].Op.Body; b.Type != "" || b.Data.Text != "{\"a\": \"{{A}}\"}\n" || tmplString(b.Data.Tmpl) != "{\"a\": \"{{A@16:15}}\"}\n" {
		t.Errorf("block body = %+v %s", b.Data, tmplString(b.Data.Tmpl))
	}
	if b := ops[3].Op.Body; b.Type != "yaml" || b.Data.Text != "a: 1" {
		t.Errorf("odd body = %+v", b)
	}
}

func TestPorts(t *testing.T) {
	c := load(t, `naftiko: 1.0.0-alpha2
capability:
  exposes:
  - {type: rest, namespace: a, port: 0}
  - {type: control, namespace: b, port: http}
  - {type: skill, namespace: c, port: 65536}
`)
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:5:41: error: `port` must be an integer, not \"http\" [scalar-type]",
		"t.yaml:6:39: error: port 65536 is outside 1–65535 [port-invalid]",
	})
	if c.Exposes[0].Port != 0 || len(c.Exposes[1].Errors) != 1 || len(c.Exposes[2].Errors) != 1 {
		t.Errorf("exposes = %+v", c.Exposes)
	}
}

func TestQueryAuthSingle(t *testing.T) {
	c := load(t, adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication: {type: query, name: api_key, value: '{{K}}'}
  - type: http
    namespace: b
    baseUri: https://api.test
    authentication: {type: oauth2, tokenEndpoint: 'https://t.test', scopes: [read, write]}
`))
	a := c.Consumes[0].Auth
	if len(a.Credentials) != 1 || a.Credentials[0].Key != "api_key" || a.Credentials[0].Placement != "query" {
		t.Errorf("query auth = %+v", a)
	}
	if s := c.Consumes[1].Auth.Scopes; !slices.Equal(s, []string{"read", "write"}) {
		t.Errorf("scopes = %v", s)
	}
}
