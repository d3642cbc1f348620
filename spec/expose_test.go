package spec

import (
	"strings"
	"testing"
)

const exposesDoc = `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: gh
    baseUri: https://api.test
    resources:
    - name: users
      path: /users/{username}
      operations:
      - {name: get-user, method: GET}
  exposes:
  - type: rest
    namespace: api
    port: 8080
    inputParameters: [{name: trace, in: header, type: string}]
    resources:
    - path: users/{{name}}
      name: user
      inputParameters: [{name: name, type: string, pattern: '^[a-z]+$'}]
      operations:
      - method: get
        call: gh.get-user
        with: {username: rest.name, n: 3, deep: {a: '{{name}}'}}
        outputParameters:
        - type: object
          mapping:
            properties:
              login: {type: string, mapping: $.login}
        - {name: id, type: number, mapping: $.id}
      - method: POST
        call: gh.get-user
        steps: [{type: call, name: s, call: gh.get-user}]
      - method: PUT
        call: gh.get-usr
    - path: /proxy/{{path}}
      forward: {targetNamespace: gx, trustedHeaders: [X-A]}
  - type: mcp
    namespace: tools
    transport: stdio
    tools:
      get:
        description: Get a user.
        hints: {readOnly: true, destructive: false}
        call: gh.users.get-user
        with: {username: tools.login}
        outputParameters:
        - {type: array, mapping: $.items, items: {type: object, properties: [{name: id, mapping: $.id}]}}
      flow:
        steps:
        - {type: call, name: fetch, call: gh.get-user, with: {username: $this.tools.login}}
        - {type: lookup, name: pick, index: fetched, match: id, lookupValue: $.fetch.id, outputParameters: [login]}
        mappings: [{targetName: out.login, value: $.pick.login}]
      via: {ref: lib.fn2}
    prompts:
    - name: greet
      arguments: [{name: who, required: true}]
      template: [{role: user, content: 'Hello {{who}}'}]
  aggregates:
  - namespace: lib
    functions:
    - name: fn
      semantics: {safe: true}
      call: gh.get-user
`

// TestExposesModel loads typed REST, MCP and aggregate elements, with
// their element errors (SPEC.md §2.2, §11, §12).
func TestExposesModel(t *testing.T) {
	c := load(t, exposesDoc)
	var got []string
	for _, d := range c.Diagnostics {
		if d.Severity <= SeverityWarning {
			got = append(got, d.String())
		}
	}
	want := []string{
		"t.yaml:26:11: warning: an output parameter without a name is called `output1` (give every output a `name`) [output-unnamed]",
		"t.yaml:33:9: error: `steps` and `call` cannot both be given; the element cannot run (keep `call` for one consumed call, or `steps` for an orchestration) [steps-and-call]",
		"t.yaml:35:15: error: `call: gh.get-usr` names no consumed operation (did you mean `gh.get-user`?) [call-unresolved]",
		"t.yaml:37:16: error: `forward.targetNamespace: gx` names no consumes adapter (did you mean `gh`?) [call-unresolved]",
		"t.yaml:52:11: error: lookup step `pick` uses index `fetched`, which names no earlier step (did you mean `fetch`?) [step-invalid]",
		"t.yaml:54:18: error: `ref: lib.fn2` names no aggregate function (did you mean `lib.fn`?) [call-unresolved]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}

	rest, mcp := c.Exposes[0], c.Exposes[1]
	if rest.Port != 8080 || len(rest.InputParameters) != 1 || len(rest.Resources) != 2 {
		t.Fatalf("rest = %+v", rest)
	}
	r := rest.Resources[0]
	if r.Path != "/users/{{name}}" || r.InputParameters[0].PatternRe == nil || r.InputParameters[0].In != "" {
		t.Errorf("resource = %+v %+v", r, r.InputParameters[0])
	}
	get := r.Operations[0]
	if get.Method != "GET" || get.Target == nil || get.Target.Op.Name != "get-user" || len(get.With) != 3 || get.Mode() != "call" {
		t.Errorf("get = %+v", get)
	}
	if w := get.With[2].Value; w.Kind != DataMap || w.Vals[0].Tmpl.Names()[0] != "name" {
		t.Errorf("structured with = %+v", w)
	}
	if o := get.OutputParameters; len(o) != 2 || o[0].Name != "output1" || len(o[0].Properties) != 1 ||
		o[0].Properties[0].Name != "login" || o[0].Properties[0].Path.Src != "$.login" || o[1].Path.Src != "$.id" {
		t.Errorf("outputs = %+v", o)
	}
	if post := r.Operations[1]; len(post.Errors) != 1 || post.Target != nil {
		t.Errorf("post errors = %v", post.Errors)
	}
	if f := rest.Resources[1].Forward; f == nil || f.Target != nil || len(f.Errors) != 1 || f.TrustedHeaders[0] != "X-A" {
		t.Errorf("forward = %+v", f)
	}

	if mcp.Transport != "stdio" || len(mcp.Tools) != 3 || len(mcp.Prompts) != 1 {
		t.Fatalf("mcp = %+v", mcp)
	}
	tg := mcp.Tools[0]
	if tg.Name != "get" || *tg.Hints.ReadOnly != true || *tg.Hints.Destructive || tg.Hints.OpenWorld != nil ||
		tg.Target == nil || tg.OutputParameters[0].Items.Properties[0].Name != "id" || len(tg.Errors) != 0 {
		t.Errorf("tool get = %+v", tg)
	}
	if fl := mcp.Tools[1]; fl.Mode() != "steps" || fl.Steps[0].Target == nil || fl.Steps[1].LookupPath == nil ||
		fl.Mappings[0].Path == nil || len(fl.Errors) != 1 {
		t.Errorf("tool flow = %+v", fl)
	}
	if p := mcp.Prompts[0]; !p.Arguments[0].Required || p.Messages[0].Content != "Hello {{who}}" {
		t.Errorf("prompt = %+v", p)
	}
	fn := c.Aggregates[0].Functions[0]
	if fn.Name != "fn" || !*fn.Semantics.Safe || fn.Target == nil || fn.Aggregate != c.Aggregates[0] {
		t.Errorf("function = %+v", fn)
	}
}

// TestExposesMock: static outputs make a mock; an element with nothing to
// run is an element error.
func TestExposesMock(t *testing.T) {
	c := load(t, `naftiko: 1.0.0-alpha2
capability:
  exposes:
  - type: mcp
    namespace: m
    tools:
    - name: version
      outputParameters: [{name: v, type: string, value: '1.0'}, {name: ok, type: boolean, const: true}]
    - name: empty
      description: nothing
`)
	tools := c.Exposes[0].Tools
	if tools[0].Mode() != "mock" || len(tools[0].Errors) != 0 || tools[0].OutputParameters[1].Const.Text != "true" {
		t.Errorf("version = %+v", tools[0])
	}
	if len(tools[1].Errors) != 1 || tools[1].Errors[0].String() != "t.yaml:9:7: error: exposed element `empty` has no `call`, `steps`, `ref` or static outputs; it cannot run [required-field]" {
		t.Errorf("empty = %v", tools[1].Errors)
	}
}

// FuzzExposes checks that loading exposes, steps and aggregates never
// panics.
func FuzzExposes(f *testing.F) {
	f.Add([]byte(exposesDoc))
	f.Add([]byte("ikanos: 1.0.0-beta5\ncapability:\n  exposes:\n  - type: mcp\n    tools: {t: {steps: {s: {type: lookup, index: s, lookupValue: '$.s['}}, mappings: {a.b: $this.x}}}\n    prompts: {p: {arguments: {a: {}}, template: x}}\n    resources: {r: {uri: 'x://{a}', location: 'file://.'}}\n  aggregates:\n  - {namespace: n, flows: {f: {ref: n.f, outputParameters: {o: {mapping: {items: {mapping: $.a}}}}}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if (c == nil) == (err == nil) {
			t.Fatalf("capability %v with error %v", c != nil, err)
		}
	})
}

// beta5 writes the items of an array output as a mapping of field schemas,
// a field named `type` included.
func TestExposedItemsFieldSchemas(t *testing.T) {
	c := load(t, `ikanos: "1.0.0-beta5"
capability:
  exposes:
  - type: mcp
    port: 3001
    namespace: tools
    tools:
      manifest:
        description: d
        steps:
          s: {type: call, call: x.y}
        outputParameters:
          cargo:
            type: array
            items:
              type: {type: string}
              weight: {type: number}
          plain:
            type: array
            items: {type: object, properties: {a: {type: string}}}
`)
	outs := c.Exposes[0].Tools[0].OutputParameters
	if len(outs) != 2 {
		t.Fatalf("%d outputs", len(outs))
	}
	it := outs[0].Items
	if it == nil || it.Type != "object" || len(it.Properties) != 2 ||
		it.Properties[0].Name != "type" || it.Properties[0].Type != "string" ||
		it.Properties[1].Name != "weight" || it.Properties[1].Type != "number" {
		t.Fatalf("field-schema items read as %+v", it)
	}
	if p := outs[1].Items; p == nil || p.Type != "object" || len(p.Properties) != 1 || p.Properties[0].Name != "a" {
		t.Fatalf("schema items read as %+v", p)
	}
	for _, d := range c.Diagnostics {
		if d.Rule == "unknown-field" || d.Rule == "wrong-kind" {
			t.Errorf("diagnostic %v", d)
		}
	}
}
