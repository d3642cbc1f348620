package spec

import (
	"slices"
	"testing"
)

// TestDialect has one case per row of SPEC.md §2.4 that the loader maps,
// with the exact diagnostics and the resulting model.
func TestDialect(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []string
		check func(t *testing.T, c *Capability)
	}{
		{"#1 parameter type, required, description", opDoc(`      - name: list
        inputParameters:
        - {name: limit, in: query, type: Integer, required: TRUE, description: How many}
        - {name: id, in: path, required: false}
`), nil, func(t *testing.T, c *Capability) {
			ps := firstOp(t, c).InputParameters
			if p := ps[0]; p.Name != "limit" || p.In != "query" || p.Type != "integer" || !p.Required || p.Description != "How many" {
				t.Errorf("param = %+v", p)
			}
			if p := ps[1]; p.In != "path" || !p.Required {
				t.Errorf("a path parameter is always required: %+v", p)
			}
		}},
		{"#4 info title and extra keys", `naftiko: 1.0.0-alpha2
info:
  title: Title
  name: Name
  version: 1.0
  contact: {name: x}
  tags: [a]
  created: 2026-05-22
`, []string{
			"t.yaml:3:10: info: `info.title` is read as the label [dialect]",
			"t.yaml:5:3: info: `info.version` is not part of the schema; it is ignored [dialect]",
			"t.yaml:6:3: info: `info.contact` is not part of the schema; it is ignored [dialect]",
		}, func(t *testing.T, c *Capability) {
			if c.Info.Label != "Title" {
				t.Errorf("label = %q", c.Info.Label)
			}
		}},
		{"#4 info name", "naftiko: 1.0.0-alpha2\ninfo: {name: Name, description: D}\n", []string{
			"t.yaml:2:14: info: `info.name` is read as the label [dialect]",
		}, func(t *testing.T, c *Capability) {
			if c.Info.Label != "Name" || c.Info.Description != "D" {
				t.Errorf("info = %+v", c.Info)
			}
		}},
		{"#4 label from the file name", "naftiko: 1.0.0-alpha2\n", nil, func(t *testing.T, c *Capability) {
			if c.Info.Label != "t" {
				t.Errorf("label = %q, want the base name t", c.Info.Label)
			}
		}},
		{"#5 names outside the identifier patterns", `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {1FACTORY_API_KEY: X, apiKey: Y, GOOD_ONE: Z}
capability:
  consumes:
  - type: http
    namespace: my.api
    baseUri: https://api.test
    resources:
    - name: r_1
      path: /r
      operations:
      - name: list_all
        inputParameters:
        - {name: 'filter[month]', in: query}
`, []string{
			"t.yaml:4:10: info: name `1FACTORY_API_KEY` is outside the schema's identifier pattern; it is accepted as written [dialect]",
			"t.yaml:4:31: info: name `apiKey` is outside the schema's identifier pattern; it is accepted as written [dialect]",
			"t.yaml:7:5: info: name `my.api` is outside the schema's identifier pattern; it is accepted as written [dialect]",
			"t.yaml:11:13: info: name `r_1` is outside the schema's identifier pattern; it is accepted as written [dialect]",
			"t.yaml:14:15: info: name `list_all` is outside the schema's identifier pattern; it is accepted as written [dialect]",
			"t.yaml:16:18: info: name `filter[month]` is outside the schema's identifier pattern; it is accepted as written [dialect]",
		}, func(t *testing.T, c *Capability) {
			if c.Consumes[0].Namespace != "my.api" || c.Binds[0].Keys[0].Var != "1FACTORY_API_KEY" {
				t.Errorf("names not kept verbatim")
			}
		}},
		{"#6 empty parameter name", opDoc(`      - name: list
        inputParameters:
        - {name: '', in: query}
        - {in: query}
        - {name: q, in: query}
`), []string{
			"t.yaml:13:18: warning: an input parameter with an empty name is dropped [param-name-empty]",
			"t.yaml:14:11: warning: an input parameter with an empty name is dropped [param-name-empty]",
		}, func(t *testing.T, c *Capability) {
			if ps := firstOp(t, c).InputParameters; len(ps) != 1 || ps[0].Name != "q" {
				t.Errorf("params = %v", ps)
			}
		}},
		{"#7 empty baseUri", adapterDoc("  - type: http\n    namespace: a\n    baseUri: ''\n  - type: http\n    namespace: b\n"), []string{
			"t.yaml:6:14: warning: consumes adapter `a` has no baseUri; calls need --base-uri [baseuri-empty]",
			"t.yaml:7:5: warning: consumes adapter `b` has no baseUri; calls need --base-uri [baseuri-empty]",
		}, func(t *testing.T, c *Capability) {
			if c.Consumes[0].BaseURI != nil || c.Consumes[1].BaseURI != nil {
				t.Errorf("BaseURI should be nil")
			}
		}},
		{"#8 templated baseUri", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://{region}.api.test/{{env.VERSION}}
  - type: http
    namespace: b
    baseUri: '{{BASE_URL}}'
`), nil, func(t *testing.T, c *Capability) {
			if got := tmplString(c.Consumes[0].BaseURI); got != "https://{region@6:22}.api.test/{{env.VERSION@6:40}}" {
				t.Errorf("baseUri = %s", got)
			}
			if got := tmplString(c.Consumes[1].BaseURI); got != "{{BASE_URL@9:15}}" {
				t.Errorf("baseUri = %s", got)
			}
		}},
		{"#9 baseUri trailing slash", adapterDoc("  - type: http\n    namespace: a\n    baseUri: https://api.test/v1/\n"), []string{
			"t.yaml:6:14: warning: baseUri \"https://api.test/v1/\" ends with `/`; the trailing slash is removed [baseuri-trailing-slash]",
		}, func(t *testing.T, c *Capability) {
			if got := c.Consumes[0].BaseURI.Src; got != "https://api.test/v1" {
				t.Errorf("baseUri = %q", got)
			}
		}},
		{"#10 operation path", opDoc("      - name: one\n        path: '/{id}/x'\n"), []string{
			"t.yaml:12:9: info: operation path \"/{id}/x\" is appended to the resource path [dialect]",
			"t.yaml:12:17: info: path placeholder `id` has no declared parameter; it is a required string path parameter [dialect]",
		}, func(t *testing.T, c *Capability) {
			o := c.Operations()[0]
			if o.Op.Path != "/{id}/x" || o.FullPath() != "/r/{id}/x" || tmplString(o.Op.PathTmpl) != "/{id@12:17}/x" {
				t.Errorf("path = %q %q %s", o.Op.Path, o.FullPath(), tmplString(o.Op.PathTmpl))
			}
		}},
		{"#11 operation id and no name", opDoc("      - id: getThing\n      - method: delete\n"), []string{
			"t.yaml:11:9: info: operation `id` \"getThing\" is read as its name [dialect]",
			"t.yaml:12:9: warning: operation has no `name` or `id`; it is called `delete-r` [operation-name-missing]",
		}, func(t *testing.T, c *Capability) {
			ops := c.Operations()
			if ops[0].Op.Name != "getThing" || ops[1].Op.Name != "delete-r" || ops[1].Op.Method != "DELETE" {
				t.Errorf("names = %q %q", ops[0].Op.Name, ops[1].Op.Name)
			}
		}},
		{"#12 resource path without / and with a query", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    resources:
    - name: r
      path: 'v1/{{id}}?Action=Run'
      operations: [{name: run, inputParameters: [{name: id, in: path}]}]
`), []string{
			"t.yaml:9:13: warning: path \"/v1/{{id}}?Action=Run\" contains a query string; it is kept and parameters are appended with `&` [consumed-path-query]",
			"t.yaml:9:13: info: resource path \"v1/{{id}}?Action=Run\" does not start with `/`; one is added [dialect]",
		}, func(t *testing.T, c *Capability) {
			r := c.Consumes[0].Resources[0]
			if r.Path != "/v1/{{id}}?Action=Run" || tmplString(r.PathTmpl) != "/v1/{{id@9:17}}?Action=Run" || r.PathTmpl.Src != r.Path {
				t.Errorf("path = %q %s", r.Path, tmplString(r.PathTmpl))
			}
		}},
		{"#13 auth and both", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    auth: {type: bearer, token: '{{T}}'}
  - type: http
    namespace: b
    baseUri: https://api.test
    auth: {type: bearer}
    authentication: {type: basic}
`), []string{
			"t.yaml:7:5: info: `auth` is read as `authentication` [dialect]",
			"t.yaml:11:5: error: both `authentication` and `auth` are given (keep only `authentication`) [auth-duplicate]",
		}, func(t *testing.T, c *Capability) {
			if a := c.Consumes[0].Auth; a.Type != "bearer" || tmplString(a.Token) != "{{T@7:34}}" {
				t.Errorf("auth = %+v", a)
			}
			b := c.Consumes[1]
			if b.Auth.Type != "basic" || len(b.Errors) != 1 || b.Errors[0].Rule != "auth-duplicate" {
				t.Errorf("auth = %+v, errors %v", b.Auth, b.Errors)
			}
		}},
		{"#14–16 apikey spellings", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication: {type: apiKey, in: query, name: api_key, value: '{{K}}'}
  - type: http
    namespace: b
    baseUri: https://api.test
    authentication: {type: APIKEY, header: X-Token, token: '{{K}}'}
  - type: http
    namespace: c
    baseUri: https://api.test
    authentication: {type: apikey, key: X-Key, value: v, placement: header}
`), []string{
			"t.yaml:7:28: info: authentication type `apiKey` is read as `apikey` [dialect]",
			"t.yaml:7:36: info: apikey `in` is read as `placement` [dialect]",
			"t.yaml:7:47: info: apikey `name` is read as `key` [dialect]",
			"t.yaml:11:28: info: authentication type `APIKEY` is read as `apikey` [dialect]",
			"t.yaml:11:36: info: apikey `header` is read as `key` with `placement: header` [dialect]",
			"t.yaml:11:53: info: apikey `token` is read as `value` [dialect]",
		}, func(t *testing.T, c *Capability) {
			want := []Credential{{Placement: "query", Key: "api_key"}, {Placement: "header", Key: "X-Token"}, {Placement: "header", Key: "X-Key"}}
			for i, a := range c.Consumes {
				cr := a.Auth.Credentials
				if a.Auth.Type != "apikey" || len(cr) != 1 || cr[0].Placement != want[i].Placement || cr[0].Key != want[i].Key || a.Auth.Placement != want[i].Placement {
					t.Errorf("adapter %d auth = %+v", i, a.Auth)
				}
			}
			if got := tmplString(c.Consumes[0].Auth.Credentials[0].Value); got != "{{K@7:70}}" {
				t.Errorf("value = %s", got)
			}
		}},
		{"#17 apikey headers map", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication:
      type: apikey
      headers:
        X-Id: '{{ID}}'
        X-Secret: '{{SECRET}}'
`), []string{
			"t.yaml:9:7: info: apikey `headers` sends one header credential per entry [dialect]",
		}, func(t *testing.T, c *Capability) {
			a := c.Consumes[0].Auth
			if len(a.Credentials) != 2 || a.Credentials[1].Key != "X-Secret" || tmplString(a.Credentials[1].Value) != "{{SECRET@11:20}}" {
				t.Errorf("auth = %+v", a)
			}
		}},
		{"#18 header and query types", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication: {type: header, header: X-Api-Key, value: '{{K}}'}
  - type: http
    namespace: b
    baseUri: https://api.test
    authentication:
      type: query
      parameters:
      - {name: key, value: '{{K}}'}
      - {name: token, value: '{{T}}'}
`), []string{
			"t.yaml:7:28: info: authentication `type: header` sends one header credential [dialect]",
			"t.yaml:12:13: info: authentication `type: query` sends query credentials [dialect]",
		}, func(t *testing.T, c *Capability) {
			h := c.Consumes[0].Auth
			if h.Type != "header" || len(h.Credentials) != 1 || h.Credentials[0].Key != "X-Api-Key" || h.Credentials[0].Placement != "header" {
				t.Errorf("header auth = %+v", h)
			}
			q := c.Consumes[1].Auth
			if q.Type != "query" || len(q.Credentials) != 2 || q.Credentials[1].Key != "token" || q.Credentials[1].Placement != "query" ||
				tmplString(q.Credentials[1].Value) != "{{T@15:31}}" {
				t.Errorf("query auth = %+v", q)
			}
		}},
		{"#19 unsupported authentication", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication: {type: OAuth1, consumerKey: '{{CK}}'}
`), []string{
			"t.yaml:7:28: warning: authentication type `OAuth1` is not supported; calls fail before anything is sent (supply credentials by hand with -H 'Authorization: …') [auth-unsupported]",
			"t.yaml:7:28: info: authentication type `OAuth1` is read as `oauth1` [dialect]",
		}, func(t *testing.T, c *Capability) {
			a := c.Consumes[0].Auth
			if a.Type != "oauth1" || tmplString(a.Fields["consumerKey"]) != "{{CK@7:50}}" {
				t.Errorf("auth = %+v", a)
			}
		}},
		{"#20 secret spellings", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication: {type: basic, username: '{{ user }}', password: 'pre-{{env.PASS}}-post'}
`), nil, func(t *testing.T, c *Capability) {
			a := c.Consumes[0].Auth
			if tmplString(a.Username) != "{{user@7:46}}" || tmplString(a.Password) != "pre-{{env.PASS@7:74}}-post" {
				t.Errorf("auth = %s %s", tmplString(a.Username), tmplString(a.Password))
			}
		}},
		{"#22 alpha1 root servers and tools, capability extras", `naftiko: 1.0.0-alpha1
servers: {rest: {port: 8080}}
tools: []
capability:
  description: Docs
  workflow: {}
  orchestration: []
  tools: []
`, []string{
			"t.yaml:2:1: warning: alpha1 root `servers` is not supported and is ignored [ignored-field]",
			"t.yaml:3:1: warning: alpha1 root `tools` is not supported and is ignored [ignored-field]",
			"t.yaml:5:3: warning: `capability.description` is not part of the schema; it is kept as documentation only [ignored-field]",
			"t.yaml:6:3: warning: `capability.workflow` is not supported and is ignored [ignored-field]",
			"t.yaml:7:3: warning: `capability.orchestration` is not supported and is ignored [ignored-field]",
			"t.yaml:8:3: warning: `capability.tools` is not supported and is ignored [ignored-field]",
		}, func(t *testing.T, c *Capability) {
			if c.Description != "Docs" {
				t.Errorf("description = %q", c.Description)
			}
		}},
		{"#23 non-http consumes", adapterDoc(`  - type: workers-kv
    namespace: kv
    operations: [{name: get}]
  - namespace: forecast
    ref: capabilities/shared/forecast.yaml
  - namespace: implicit
    baseUri: https://api.test
  - namespace: nothing
  - type: HTTP
    namespace: upper
    baseUri: https://api.test
`), []string{
			"t.yaml:4:11: warning: consumes entry `kv` has type `workers-kv`, which naftiko cannot call; it is skipped [consumes-skipped]",
			"t.yaml:8:10: warning: consumes entry `forecast` has a `ref` and no `type` or `baseUri`; it is skipped [consumes-skipped]",
			"t.yaml:9:5: info: consumes entry `implicit` has no `type`; with a `baseUri` it is read as `http` [dialect]",
			"t.yaml:11:5: warning: consumes entry `nothing` has no `type` and no `baseUri`; it is skipped [consumes-skipped]",
			"t.yaml:12:11: info: consumes type \"HTTP\" is read as `http` [dialect]",
		}, func(t *testing.T, c *Capability) {
			if len(c.Consumes) != 2 || c.Consumes[0].Namespace != "implicit" || c.Consumes[0].Type != "http" || c.Consumes[1].Namespace != "upper" {
				t.Errorf("consumes = %d", len(c.Consumes))
			}
		}},
		{"#24 json body without data", opDoc("      - name: post\n        method: POST\n        body: {type: json}\n"), []string{
			"t.yaml:13:15: info: `body: {type: json}` has no `data`; the body is built from the `in: body` parameters [dialect]",
		}, func(t *testing.T, c *Capability) {
			if b := firstOp(t, c).Body; b == nil || b.Type != "json" || b.Data != nil {
				t.Errorf("body = %+v", b)
			}
		}},
		{"#25 form, multipart, binary bodies", opDoc(`      - name: a
        body: {type: form, data: {q: '{{q}}'}}
      - name: b
        body: {type: multipart, data: {f: x}}
      - name: c
        body: {type: binary}
      - name: d
        body: {type: FormUrlEncoded, data: x=1}
`), []string{
			"t.yaml:12:22: info: body type `form` is read as `formUrlEncoded` [dialect]",
			"t.yaml:14:22: info: body type `multipart` is read as `multipartForm` [dialect]",
			"t.yaml:16:15: info: `body: {type: binary}` has no `data`; the body is built from the `in: body` parameters [dialect]",
			"t.yaml:16:22: info: body type `binary` is read as `binary` [dialect]",
		}, func(t *testing.T, c *Capability) {
			var got []string
			for _, o := range c.Operations() {
				got = append(got, o.Op.Body.Type)
			}
			if !slices.Equal(got, []string{"formUrlEncoded", "multipartForm", "binary", "formUrlEncoded"}) {
				t.Errorf("types = %v", got)
			}
			d := c.Operations()[0].Op.Body.Data
			if d.Kind != DataMap || d.Keys[0] != "q" || tmplString(d.Vals[0].Tmpl) != "{{q@12:39}}" {
				t.Errorf("data = %+v", d)
			}
		}},
		{"#26 structured parameter value", opDoc(`      - name: a
        inputParameters:
        - name: filter
          in: query
          value: {status: '{{status}}', limit: 10, on: true, none: null, list: [a, 1.5]}
`), []string{
			"t.yaml:15:18: info: structured `value` of parameter `filter`: every string leaf is a template [dialect]",
		}, func(t *testing.T, c *Capability) {
			v := firstOp(t, c).InputParameters[0].Value
			if v.Kind != DataMap || !slices.Equal(v.Keys, []string{"status", "limit", "on", "none", "list"}) {
				t.Fatalf("value = %+v", v)
			}
			kinds := []DataKind{v.Vals[0].Kind, v.Vals[1].Kind, v.Vals[2].Kind, v.Vals[3].Kind, v.Vals[4].Kind}
			if !slices.Equal(kinds, []DataKind{DataString, DataNumber, DataBool, DataNull, DataList}) {
				t.Errorf("kinds = %v", kinds)
			}
			if tmplString(v.Vals[0].Tmpl) != "{{status@15:28}}" || v.Vals[1].Text != "10" || v.Vals[2].Text != "true" ||
				v.Vals[4].Items[1].Text != "1.5" || v.Vals[4].Items[0].Tmpl == nil {
				t.Errorf("leaves = %+v", v.Vals)
			}
		}},
		{"#27 binds as strings, #28 binds: []", `naftiko: 1.0.0-alpha2
binds:
- GOOGLE_ANALYTICS_ACCESS_TOKEN
capability:
  binds: []
`, []string{
			"t.yaml:3:3: info: binds entry \"GOOGLE_ANALYTICS_ACCESS_TOKEN\" is read as the environment variable GOOGLE_ANALYTICS_ACCESS_TOKEN (namespace env) [dialect]",
		}, func(t *testing.T, c *Capability) {
			if len(c.Binds) != 1 || c.Binds[0].Namespace != "env" ||
				c.Binds[0].Keys[0] != (BindKey{Var: "GOOGLE_ANALYTICS_ACCESS_TOKEN", Key: "GOOGLE_ANALYTICS_ACCESS_TOKEN", Pos: Pos{"t.yaml", 3, 3}}) {
				t.Errorf("binds = %+v", c.Binds)
			}
		}},
		{"#29 outputRawFormat", opDoc(`      - name: a
        outputRawFormat: TEXT
      - name: b
        outputRawFormat: binary
      - name: c
      - name: d
        outputRawFormat: avro
`), []string{
			"t.yaml:17:26: warning: outputRawFormat `avro` is not supported; calls of `d` fail when decoding the response [output-format-unsupported]",
		}, func(t *testing.T, c *Capability) {
			var got []string
			for _, o := range c.Operations() {
				got = append(got, o.Op.OutputRawFormat)
			}
			if !slices.Equal(got, []string{"text", "binary", "json", "avro"}) {
				t.Errorf("formats = %v", got)
			}
		}},
		{"#30 methods", opDoc(`      - name: a
        method: head
      - name: b
        method: Patch
      - name: c
      - name: d
        method: PURGE
      - name: e
        method: 'GET /x'
`), []string{
			"t.yaml:17:17: warning: method `PURGE` is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS [method-unknown]",
			"t.yaml:19:17: error: method \"GET /x\" is not a valid HTTP method token [method-invalid]",
		}, func(t *testing.T, c *Capability) {
			var got []string
			for _, o := range c.Operations() {
				got = append(got, o.Op.Method)
			}
			if !slices.Equal(got, []string{"HEAD", "PATCH", "GET", "PURGE", "GET /X"}) {
				t.Errorf("methods = %v", got)
			}
			if errs := c.Operations()[4].Op.Errors; len(errs) != 1 || errs[0].Rule != "method-invalid" {
				t.Errorf("errors = %v", errs)
			}
		}},
		{"#31 parameter without in", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    inputParameters:
    - {name: tenant}
    resources:
    - name: r
      path: /users/{{user-id}}
      inputParameters: [{name: user-id}]
      operations:
      - name: get
        path: /{x}
        inputParameters: [{name: x}, {name: y}]
`), []string{
			"t.yaml:8:7: warning: input parameter `tenant` has no `in`; `query` is used (add `in: query`) [param-in-missing]",
			"t.yaml:12:25: warning: input parameter `user-id` has no `in`; `path` is used because the path has a {user-id} placeholder (add `in: path`) [param-in-missing]",
			"t.yaml:15:9: info: operation path \"/{x}\" is appended to the resource path [dialect]",
			"t.yaml:16:27: warning: input parameter `x` has no `in`; `path` is used because the path has a {x} placeholder (add `in: path`) [param-in-missing]",
			"t.yaml:16:38: warning: input parameter `y` has no `in`; `query` is used (add `in: query`) [param-in-missing]",
		}, func(t *testing.T, c *Capability) {
			a := c.Consumes[0]
			r := a.Resources[0]
			o := r.Operations[0]
			got := []string{a.InputParameters[0].In, r.InputParameters[0].In, o.InputParameters[0].In, o.InputParameters[1].In}
			if !slices.Equal(got, []string{"query", "path", "path", "query"}) {
				t.Errorf("ins = %v", got)
			}
		}},
		{"#32 undeclared path placeholders", `naftiko: 1.0.0-alpha2
binds: [{namespace: env, keys: {TENANT: TENANT}}]
capability:
  consumes:
  - type: http
    namespace: a
    baseUri: https://api.test
    resources:
    - name: r
      path: /t/{{TENANT}}/u/{user}/{{env.X}}
      operations:
      - name: one
      - name: two
        path: /{{item}}
      - name: three
        inputParameters: [{name: user, in: path}]
`, []string{
			"t.yaml:10:29: info: path placeholder `user` has no declared parameter; it is a required string path parameter [dialect]",
			"t.yaml:14:9: info: operation path \"/{{item}}\" is appended to the resource path [dialect]",
			"t.yaml:14:16: info: path placeholder `item` has no declared parameter; it is a required string path parameter [dialect]",
		}, nil},
		{"#33 MCP without transport, #34 stdio port and auth, #35 unsupported exposes", `naftiko: 1.0.0-alpha2
capability:
  exposes:
  - type: mcp
    namespace: m1
    port: 9090
  - type: MCP
    namespace: m2
    transport: stdio
    port: 9091
    authentication: {type: bearer, token: x}
  - type: agent-skill
    namespace: s
  - namespace: none
  - type: rest
    namespace: r
    port: '8080'
    address: 0.0.0.0
    resources: [{path: /x, whatever: 1}]
`, []string{
			"t.yaml:10:11: warning: MCP adapter `m2` uses stdio; its port is ignored [mcp-stdio-port]",
			"t.yaml:11:21: warning: MCP adapter `m2` uses stdio; its authentication is ignored [mcp-stdio-auth]",
			"t.yaml:12:11: warning: exposes adapter `s` of type `agent-skill` cannot be served; it is skipped (use rest, mcp, skill or control) [expose-unsupported]",
			"t.yaml:14:5: warning: exposes adapter `none` has no `type`; it is skipped (use rest, mcp, skill or control) [expose-unsupported]",
			"t.yaml:17:11: warning: `port` is the string \"8080\"; the number 8080 is used (write it without quotes) [quoted-scalar]",
			"t.yaml:19:17: warning: REST resource has neither `operations` nor `forward`; it answers 405 [required-field]",
			"t.yaml:19:28: warning: unknown field `whatever` in REST resource [unknown-field]",
		}, func(t *testing.T, c *Capability) {
			if len(c.Exposes) != 3 {
				t.Fatalf("exposes = %d", len(c.Exposes))
			}
			m1, m2, r := c.Exposes[0], c.Exposes[1], c.Exposes[2]
			if m1.Transport != "http" || m1.Port != 9090 || m2.Type != "mcp" || m2.Transport != "stdio" || m2.Auth.Type != "bearer" {
				t.Errorf("mcp = %+v %+v", m1, m2)
			}
			if r.Port != 8080 || r.Address != "0.0.0.0" || r.Node == nil || r.Pos != (Pos{"t.yaml", 15, 5}) {
				t.Errorf("rest = %+v", r)
			}
		}},
		{"#38 duplicate operation names", adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    resources:
    - name: r1
      path: /r1
      operations: [{name: get}, {name: get, method: HEAD}]
    - name: r2
      path: /r2
      operations: [{name: get}]
`), []string{
			"t.yaml:10:33: warning: operation name `get` is declared more than once in namespace `a` (first at t.yaml:10:20); this one is never called (rename one of them) [duplicate-operation-name]",
			"t.yaml:13:20: warning: operation name `get` is declared more than once in namespace `a` (first at t.yaml:10:20) (call it as namespace.resource.operation) [duplicate-operation-name]",
		}, func(t *testing.T, c *Capability) {
			ops := c.Operations()
			if ops[0].Op.Shadowed || !ops[1].Op.Shadowed || ops[2].Op.Shadowed {
				t.Errorf("shadowed = %v %v %v", ops[0].Op.Shadowed, ops[1].Op.Shadowed, ops[2].Op.Shadowed)
			}
		}},
		{"#40 root consumes with capability, #41 duplicate namespace", `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - {type: http, namespace: a, baseUri: 'https://one.test'}
consumes:
- {type: http, namespace: a, baseUri: 'https://two.test'}
- {type: http, namespace: b, baseUri: 'https://three.test'}
`, []string{
			"t.yaml:5:1: info: root `consumes` next to `capability` is merged into the capability's consumes [dialect]",
			"t.yaml:6:3: warning: namespace `a` is declared again (first at t.yaml:4:5); calls use the first declaration (rename one of the adapters) [namespace-unique]",
		}, func(t *testing.T, c *Capability) {
			if len(c.Consumes) != 3 || c.Consumes[0].Shadowed || !c.Consumes[1].Shadowed || c.Consumes[2].Shadowed ||
				c.Consumes[1].BaseURI.Src != "https://two.test" {
				t.Errorf("consumes = %+v", c.Consumes)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := load(t, tt.src)
			checkDiags(t, c.Diagnostics, tt.want)
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}
