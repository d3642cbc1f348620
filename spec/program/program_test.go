package program_test

import (
	"reflect"
	"testing"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/program"
)

const doc = `naftiko: "1.0.0-alpha2"
binds:
- namespace: vault
  keys: {TOKEN: TOKEN}
capability:
  exposes:
  - type: rest
    namespace: api
    port: 8080
    resources: []
  consumes:
  - type: http
    namespace: shop
    baseUri: https://shop.example.com/{region}/
    inputParameters:
    - {name: tenant, in: header, value: acme}
    resources:
    - name: items
      path: items/{id}
      operations:
      - name: getItem
        headers:
          X-Trace: '{{trace}}'
          Authorization: 'Bearer {{TOKEN}}'
        inputParameters:
        - {name: fields, in: query, type: array}
      - name: put
        method: PUT
        body:
          type: json
          data: {a: '{{api.amount}}', b: '{{vault.TOKEN}}', c: '{{env.HOME}}'}
  - type: http
    namespace: other
    baseUri: https://other.example.com
    resources:
    - name: items
      path: /x
      operations:
      - name: getItem
`

func compile(t *testing.T) *program.Program {
	t.Helper()
	c, err := spec.Parse([]byte(doc), "doc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return program.Compile(c)
}

func TestResolveSpellingsAndSuggestions(t *testing.T) {
	p := compile(t)
	var refs []string
	for _, op := range p.Operations() {
		refs = append(refs, op.Ref)
	}
	if want := []string{"shop.getItem", "put", "other.getItem"}; !reflect.DeepEqual(refs, want) {
		t.Errorf("refs = %q, want %q", refs, want)
	}
	op, err := p.Resolve("shop.items.getItem")
	if err != nil || op.FullRef != "shop.items.getItem" || op.Method != "GET" || op.Accept != "application/json" {
		t.Fatalf("Resolve = %+v, %v", op, err)
	}
	if op.Base != nil {
		t.Errorf("a baseUri with a placeholder is not parsed once: %v", op.Base)
	}
	if got := p.Lookup(&op.Source); got != op {
		t.Errorf("Lookup(Source) = %p, want %p", got, op)
	}
	_, err = p.Resolve("getItem")
	if se := spec.AsError(err); se.Kind != spec.KindUsage || se.Msg != "ambiguous: `getItem` matches shop.items.getItem, other.items.getItem" {
		t.Errorf("ambiguous: %v", err)
	}
	_, err = p.Resolve("pot")
	if se := spec.AsError(err); se.Kind != spec.KindUsage || se.Msg != "unknown operation `pot` (did you mean `put`?)" {
		t.Errorf("unknown: %v", err)
	}
	other, _ := p.Resolve("other.getItem")
	if other.Base == nil || other.Base.String() != "https://other.example.com" {
		t.Errorf("literal base not parsed: %v", other.Base)
	}
}

func TestInputsAreDerivedOnce(t *testing.T) {
	p := compile(t)
	op, _ := p.Resolve("shop.getItem")
	var names []string
	for _, in := range op.Inputs {
		names = append(names, in.Name+":"+in.In)
	}
	// tenant is computed; region comes from the baseUri, id from the path,
	// trace from a header template; TOKEN is bound.
	if want := []string{"fields:query", "id:path", "region:path", "trace:template"}; !reflect.DeepEqual(names, want) {
		t.Errorf("inputs = %q, want %q", names, want)
	}
	if !op.HasAuthHeader || op.Auth != nil {
		t.Errorf("HasAuthHeader = %v, Auth = %v", op.HasAuthHeader, op.Auth)
	}
	put, _ := p.Resolve("put")
	names = nil
	for _, in := range put.Inputs {
		names = append(names, in.Name)
	}
	// api.amount is the input amount (an exposes namespace); vault.TOKEN
	// and env.HOME are bound variables.
	if want := []string{"id", "region", "amount"}; !reflect.DeepEqual(names, want) {
		t.Errorf("put inputs = %q, want %q", names, want)
	}
	if q := put.ParamsOf("amount"); len(q) != 1 || !q[0].Omittable || q[0].Required {
		t.Errorf("amount = %+v", q)
	}
}

func TestClassify(t *testing.T) {
	p := compile(t)
	for name, want := range map[string]program.Ref{
		"x":           {Kind: program.KindInput, Name: "x"},
		"tools.x":     {Kind: program.KindPrefixedInput, Prefix: "tools", Name: "x"},
		"api.x":       {Kind: program.KindPrefixedInput, Prefix: "api", Name: "x"},
		"own.x":       {Kind: program.KindPrefixedInput, Prefix: "own", Name: "x"},
		"env.HOME":    {Kind: program.KindNSVar, Prefix: "env", Name: "HOME"},
		"vault.TOKEN": {Kind: program.KindNSVar, Prefix: "vault", Name: "TOKEN"},
		"TOKEN":       {Kind: program.KindVar, Name: "TOKEN"},
		"a.b":         {Kind: program.KindInput, Name: "a.b"},
	} {
		if got := p.Names.Classify(name, "own"); got != want {
			t.Errorf("Classify(%q) = %+v, want %+v", name, got, want)
		}
	}
}

func TestFormatTable(t *testing.T) {
	for f, want := range map[string]string{"": "application/json", "CSV": "text/csv", "psv": "text/plain", "binary": "*/*", "avro": "*/*"} {
		if got := program.FormatAccept(f); got != want {
			t.Errorf("FormatAccept(%q) = %q, want %q", f, got, want)
		}
	}
	for ct, want := range map[string]string{"application/json; charset=utf-8": "json", "Application/Problem+JSON": "json", "text/xml": "xml", "text/html": ""} {
		if got := spec.ContentFormat(ct); got != want {
			t.Errorf("ContentFormat(%q) = %q, want %q", ct, got, want)
		}
	}
}

// A bound variable in a consumed path is the variable, not a caller input
// (before the one derivation, the engine required it as --param while lint
// said it was bound).
func TestBoundVariableInPathIsNotAnInput(t *testing.T) {
	c, err := spec.Parse([]byte(`naftiko: "1.0.0-alpha2"
binds:
- namespace: cloud
  keys: {SUB: SUB}
capability:
  consumes:
  - type: http
    namespace: az
    baseUri: https://az.example.com
    resources:
    - name: q
      path: '/subscriptions/{{SUB}}/query/{id}'
      operations:
      - name: query
`), "doc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, err := program.Compile(c).Resolve("query")
	if err != nil {
		t.Fatal(err)
	}
	if len(op.Inputs) != 1 || op.Inputs[0].Name != "id" || !op.Inputs[0].Required {
		t.Errorf("inputs = %+v, want only the required id", op.Inputs)
	}
}

// TestUnsentPathInput: an `in: path` input that no placeholder of the
// base URI or paths takes is marked Unsent (the CLI warns, and --strict
// refuses, when a value is given for it); a placed one, a baseUri one and
// a query input are not.
func TestUnsentPathInput(t *testing.T) {
	c, err := spec.Parse([]byte(`naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: s
    baseUri: https://s.test/{tenant}
    inputParameters:
    - {name: tenant, in: path}
    resources:
    - name: things
      path: /things/{id}
      operations:
      - name: get
        inputParameters:
        - {name: id, in: path}
        - {name: thing_id, in: path}
        - {name: q, in: query}
`), "doc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, err := program.Compile(c).Resolve("get")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, in := range op.Inputs {
		got[in.Name] = in.Unsent
	}
	want := map[string]bool{"tenant": false, "id": false, "thing_id": true, "q": false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unsent = %v, want %v", got, want)
	}
}
