package program_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

const elementDoc = `naftiko: "1.0.0-alpha2"
binds:
- namespace: vault
  keys: {TOKEN: TOKEN}
capability:
  consumes:
  - type: http
    namespace: shop
    baseUri: https://shop.example.com
    resources:
    - name: items
      path: /items/{id}
      operations:
      - name: getItem
        inputParameters:
        - {name: fields, in: query}
      - name: listItems
        path: /
  exposes:
  - type: mcp
    namespace: tools-ns
    tools:
    - name: chain
      description: Steps.
      inputParameters:
      - {name: sku, type: string}
      steps:
      - {type: call, name: all, call: shop.listItems, with: {nope: x}}
      - {type: lookup, name: found, index: all, match: sku, lookupValue: '{{tools-ns.sku}}-{{all.0.id}}', outputParameters: [id]}
      - {type: call, name: one, call: shop.getItem, with: {id: $.found.id, fields: '{{vault.TOKEN}}/{{TOKEN}}/{{sku}}'}}
      mappings:
      - {targetName: item.id, value: $.one.id}
      - {targetName: item.sku, value: $this.tools-ns.sku}
    - name: direct
      description: One call.
      call: shop.getItem
      inputParameters: [{name: verbose, type: boolean}]
`

// compileChain compiles elementDoc and its tool `chain`.
func compileChain(t *testing.T) (*spec.Capability, *program.Program, *program.Element) {
	t.Helper()
	c, err := spec.Parse([]byte(elementDoc), "doc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := program.Compile(c)
	tool := c.Exposes[0].Tools[0]
	el, err := p.CompileElement(tool.Name, tool.Description, "tools-ns", tool.InputParameters, &tool.Behavior)
	if err != nil {
		t.Fatal(err)
	}
	return c, p, el
}

// TestCompileElement: an exposed element's steps resolve to program
// operations, `with` keys naming no input are dropped (and the rest pass
// through), template placeholders are classified once, and mappings are
// split at dots.
func TestCompileElement(t *testing.T) {
	c, p, el := compileChain(t)
	list, _ := p.Resolve("shop.listItems")
	get, _ := p.Resolve("shop.getItem")
	if el.Steps[0].Target != list || el.Steps[2].Target != get || el.Steps[1].Target != nil {
		t.Fatalf("step targets = %v %v %v", el.Steps[0].Target, el.Steps[1].Target, el.Steps[2].Target)
	}
	// nope names no input of listItems (its resource path gives it id).
	if len(el.Steps[0].With) != 0 || !reflect.DeepEqual(el.Steps[0].Pass, []string{"id"}) {
		t.Errorf("step all: with %v pass %v, want none and [id]", el.Steps[0].With, el.Steps[0].Pass)
	}
	if got := el.Steps[2].Pass; got != nil {
		t.Errorf("step one: pass %v, want none", got)
	}
	// lookupValue '{{tools-ns.sku}}-{{all.0.id}}': a prefixed input, a
	// literal, a step result navigated along 0.id.
	lk := el.Steps[1].Lookup
	if lk.Kind != program.ValueTemplate || len(lk.Slots) != 3 {
		t.Fatalf("lookup = %+v", lk)
	}
	if r := lk.Slots[0].Ref; r.Kind != program.ValueInput || r.Name != "sku" {
		t.Errorf("slot 0 = %+v", r)
	}
	if lk.Slots[1].Lit != "-" || lk.Slots[1].Ref != nil {
		t.Errorf("slot 1 = %+v", lk.Slots[1])
	}
	if r := lk.Slots[2].Ref; r.Kind != program.ValueStep || r.Prefix != "all" || !reflect.DeepEqual(r.Segs, []string{"0", "id"}) {
		t.Errorf("slot 2 = %+v", r)
	}
	// fields: '{{vault.TOKEN}}/{{TOKEN}}/{{sku}}': a namespaced variable, a
	// bound variable, a plain input.
	var fields *program.Value
	for _, w := range el.Steps[2].With {
		if w.Name == "fields" {
			fields = w.Value
		}
	}
	if fields == nil || len(fields.Slots) != 5 {
		t.Fatalf("fields = %+v", fields)
	}
	if r := fields.Slots[0].Ref; r.Kind != program.ValueVar || r.Prefix != "vault" || r.Name != "TOKEN" {
		t.Errorf("vault.TOKEN = %+v", r)
	}
	if r := fields.Slots[2].Ref; r.Kind != program.ValueVar || r.Prefix != "" || r.Name != "TOKEN" {
		t.Errorf("TOKEN = %+v", r)
	}
	if fields.Slots[4].Name != "sku" || fields.Slots[4].Ref != nil {
		t.Errorf("sku = %+v", fields.Slots[4])
	}
	if got := el.Mappings[0].Target; !reflect.DeepEqual(got, []string{"item", "id"}) || el.Mappings[0].Value.Kind != program.ValuePath {
		t.Errorf("mapping 0 = %+v", el.Mappings[0])
	}
	if v := el.Mappings[1].Value; v.Kind != program.ValueInput || v.Name != "sku" {
		t.Errorf("mapping 1 = %+v", v)
	}

	direct := c.Exposes[0].Tools[1]
	del, err := p.CompileElement(direct.Name, direct.Description, "tools-ns", nil, &direct.Behavior)
	if err != nil {
		t.Fatal(err)
	}
	if del.Target != get || !reflect.DeepEqual(del.Pass, []string{"fields", "id"}) {
		t.Errorf("direct: target %v pass %v", del.Target, del.Pass)
	}
}

// TestLintCallsOnProgram: with-unknown-target and required-not-supplied
// come from the program (the inputs serving executes), at the `with` key
// and the `call`.
func TestLintCallsOnProgram(t *testing.T) {
	c, err := spec.Parse([]byte(elementDoc), "doc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range program.Lint(c) {
		if d.Rule == "with-unknown-target" || d.Rule == "required-not-supplied" {
			got = append(got, d.Pos.String()+" "+d.Rule+": "+d.Message)
		}
	}
	want := []string{
		"doc.yaml:28:39 required-not-supplied: required parameter `id` of `shop.listItems` supplied neither by `with` nor by an input of step `all` of MCP tool `chain`",
		"doc.yaml:28:62 with-unknown-target: `with` key `nope` names no parameter of `shop.listItems`; it is ignored",
		"doc.yaml:36:13 required-not-supplied: required parameter `id` of `shop.getItem` supplied neither by `with` nor by an input of MCP tool `direct`",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lint:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestInputRefs: the inputs a `with` value references, read from its
// compiled form: prefixed inputs, $this.NS.x, bare placeholders that are
// neither bound variables nor steps; not env. or step results.
func TestInputRefs(t *testing.T) {
	_, p, el := compileChain(t)
	d := &spec.Data{Kind: spec.DataMap, Keys: []string{"a", "b", "c", "d"}, Vals: []*spec.Data{
		{Kind: spec.DataString, Text: "tools.x"},
		{Kind: spec.DataString, Text: "$this.tools-ns.y"},
		{Kind: spec.DataString, Text: "env.HOME"},
		{Kind: spec.DataList, Items: []*spec.Data{tmplData(t, "{{z}}-{{TOKEN}}-{{all}}-{{rest.w}}-{{vault.TOKEN}}")}},
	}}
	if got := p.InputRefs(el, d); !reflect.DeepEqual(got, []string{"x", "y", "z", "w"}) {
		t.Errorf("InputRefs = %v, want [x y z w]", got)
	}
}

func tmplData(t *testing.T, s string) *spec.Data {
	t.Helper()
	tm, diags := spec.ParseTemplate(s, spec.Pos{}, false, spec.TextTemplate)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return &spec.Data{Kind: spec.DataString, Text: s, Tmpl: tm}
}

// TestElementsCompiledWithTheProgram: every exposed element is compiled
// once, by the first Element, and lint reads the same inputs serving does: a REST
// operation's own path placeholder (`/{{id}}` below `/things`) supplies
// the target's required `id`, so there is no required-not-supplied
// warning; an unresolvable element carries its error.
func TestElementsCompiledWithTheProgram(t *testing.T) {
	c, err := spec.Parse([]byte(`naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: up
    baseUri: https://x.test
    resources:
    - {name: r, path: '/items/{{id}}', operations: [{name: get, inputParameters: [{name: id, in: path, required: true}]}]}
  exposes:
  - type: rest
    namespace: api
    port: 0
    resources:
    - path: /things
      name: things
      operations:
      - {method: GET, path: '/{{id}}', call: up.get}
      - {method: POST, call: up.get}
`), "doc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := program.Compile(c)
	var got []string
	for _, d := range p.Lint() {
		if d.Rule == "required-not-supplied" {
			got = append(got, d.Pos.String()+" "+d.Message)
		}
	}
	want := "doc.yaml:18:30 required parameter `id` of `up.get` supplied neither by `with` nor by an input of REST operation `POST /things`"
	if strings.Join(got, "\n") != want {
		t.Errorf("lint:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	ops := c.Exposes[0].Resources[0].Operations
	el, err := p.Element(&ops[0].Behavior)
	if err != nil || el.Target == nil || el.Target.FullRef != "up.r.get" {
		t.Fatalf("element: %+v, %v", el, err)
	}
	if again, _ := p.Element(&ops[0].Behavior); again != el {
		t.Error("the element is compiled again on each lookup")
	}
	if _, err := p.Element(&spec.Behavior{}); err == nil {
		t.Error("a behaviour outside the capability has an element")
	}
}
