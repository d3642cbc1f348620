package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// The schemas of alpha1, alpha3 and the ikanos forms are derived from the
// hand-written alpha2 schema (SPEC.md §3: alpha3 is alpha2 with another
// const; alpha1 is alpha2 minus the alpha2 additions of §1.2; ikanos adds
// its spellings and map-keyed lists). TestSchemaDerived checks that the
// embedded files are up to date; run
//
//	go test ./spec/schema -run TestSchemaDerived -update-schemas
//
// after editing naftiko-1.0.0-alpha2.json.
var updateSchemas = flag.Bool("update-schemas", false, "rewrite the derived schema files")

func TestSchemaDerived(t *testing.T) {
	src, err := os.ReadFile("naftiko-1.0.0-alpha2.json")
	if err != nil {
		t.Fatal(err)
	}
	for file, derive := range map[string]func(*jobj){
		"naftiko-1.0.0-alpha1.json": deriveAlpha1,
		"naftiko-1.0.0-alpha3.json": deriveAlpha3,
		"ikanos.json":               deriveIkanos,
	} {
		doc, err := parseOrdered(src)
		if err != nil {
			t.Fatal(err)
		}
		derive(doc.(*jobj))
		var b bytes.Buffer
		writeOrdered(&b, doc, "")
		b.WriteByte('\n')
		if *updateSchemas {
			if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s is out of date: run go test ./spec/schema -run TestSchemaDerived -update-schemas", file)
		}
	}
}

// ---------------------------------------------------------------------------
// An order-preserving JSON object, so that derived files read like their
// source.

type jobj struct {
	keys []string
	vals map[string]any
}

func (o *jobj) get(path ...string) any {
	var cur any = o
	for _, k := range path {
		m, ok := cur.(*jobj)
		if !ok {
			panic(fmt.Sprintf("schema derivation: %v is not an object at %q", path, k))
		}
		v, ok := m.vals[k]
		if !ok {
			panic(fmt.Sprintf("schema derivation: no %q in %v", k, path))
		}
		cur = v
	}
	return cur
}

func (o *jobj) obj(path ...string) *jobj { return o.get(path...).(*jobj) }

func (o *jobj) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *jobj) del(ks ...string) {
	for _, k := range ks {
		if _, ok := o.vals[k]; !ok {
			panic("schema derivation: no key " + k)
		}
		delete(o.vals, k)
		o.keys = slices.DeleteFunc(o.keys, func(x string) bool { return x == k })
	}
}

func newObj(kv ...any) *jobj {
	o := &jobj{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.set(kv[i].(string), kv[i+1])
	}
	return o
}

func parseOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var read func() (any, error)
	read = func() (any, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch tok {
		case json.Delim('{'):
			o := newObj()
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := read()
				if err != nil {
					return nil, err
				}
				o.set(k.(string), v)
			}
			_, err := dec.Token()
			return o, err
		case json.Delim('['):
			a := []any{}
			for dec.More() {
				v, err := read()
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token()
			return a, err
		}
		return tok, nil
	}
	v, err := read()
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = fmt.Errorf("trailing data")
		}
	}
	return v, err
}

// writeOrdered writes v as indented JSON; short arrays of scalars stay on
// one line.
func writeOrdered(b *bytes.Buffer, v any, indent string) {
	switch x := v.(type) {
	case *jobj:
		if len(x.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range x.keys {
			b.WriteString(indent + "  ")
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteString(": ")
			writeOrdered(b, x.vals[k], indent+"  ")
			if i < len(x.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		scalars := true
		for _, e := range x {
			switch e.(type) {
			case *jobj, []any:
				scalars = false
			}
		}
		if scalars {
			b.WriteByte('[')
			for i, e := range x {
				if i > 0 {
					b.WriteString(", ")
				}
				writeOrdered(b, e, indent)
			}
			b.WriteByte(']')
			return
		}
		b.WriteString("[\n")
		for i, e := range x {
			b.WriteString(indent + "  ")
			writeOrdered(b, e, indent+"  ")
			if i < len(x)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	default:
		var e bytes.Buffer
		enc := json.NewEncoder(&e)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x)
		b.Write(bytes.TrimRight(e.Bytes(), "\n"))
	}
}

// ---------------------------------------------------------------------------
// Derivations.

func setVersion(doc *jobj, version, desc string) {
	doc.set("$id", "naftiko:schema/naftiko-"+version+".json")
	doc.set("title", "naftiko capability document, version "+version)
	doc.set("description", desc)
	doc.obj("properties", "naftiko").set("const", version)
}

func deriveAlpha3(doc *jobj) {
	setVersion(doc, "1.0.0-alpha3", "Written by the naftiko Go interpreter: the 1.0.0-alpha2 schema with another version. "+
		"Additions: OAuth2 client fields and operation-level authentication on consumed adapters.")
}

// dropBranch removes the discriminator value v from a union's enum and
// the allOf branch selected by it.
func dropBranch(union *jobj, v string) {
	typ := union.obj("properties", "type")
	typ.set("enum", slices.DeleteFunc(typ.get("enum").([]any), func(x any) bool { return x == v }))
	all := union.get("allOf").([]any)
	union.set("allOf", slices.DeleteFunc(all, func(x any) bool {
		c := x.(*jobj).obj("if", "properties", "type")
		return c.vals["const"] == v
	}))
}

func deriveAlpha1(doc *jobj) {
	setVersion(doc, "1.0.0-alpha1", "Written by the naftiko Go interpreter: the 1.0.0-alpha2 schema without what alpha2 added "+
		"(aggregates and ref, mock outputs, OAuth2, MCP authentication, the control adapter, script steps). "+
		"Addition: operation-level authentication on consumed adapters.")
	defs := doc.obj("$defs")
	defs.obj("Capability", "properties").del("aggregates")
	defs.del("Aggregate", "Function", "FunctionRef", "OAuth2Auth", "ConsumedOAuth2Auth", "ControlExposes",
		"Management", "Observability", "Enabled", "ScriptLanguage", "ScriptStep")
	defs.obj("RestOperation", "properties").del("ref")
	tool := defs.obj("McpTool")
	tool.obj("properties").del("ref")
	tool.del("if", "then", "else")
	tool.set("allOf", []any{newObj("$ref", "#/$defs/Behaviour")})
	beh := defs.obj("Behaviour")
	beh.set("description", "What runs: one call, or an orchestration.")
	beh.obj("else").set("else", newObj(
		"anyOf", []any{newObj("required", []any{"call"}), newObj("required", []any{"steps"})},
		"x-messages", newObj("anyOf", "a tool needs `call` or `steps`")))
	dropBranch(defs.obj("Authentication"), "oauth2")
	dropBranch(defs.obj("ConsumedAuthentication"), "oauth2")
	defs.obj("McpExposes", "properties").del("authentication")
	dropBranch(defs.obj("Exposes"), "control")
	dropBranch(defs.obj("Step"), "script")
	defs.obj("ImportedConsumes", "properties").del("description")
	defs.obj("Mappings", "items", "properties").set("targetName", newObj("$ref", "#/$defs/ExtendedName"))
}

// namedList turns a list schema {type: array, items: X} into one that also
// accepts the ikanos form, a mapping keyed by name.
func namedList(s *jobj) {
	items := s.get("items")
	s.set("type", []any{"array", "object"})
	s.set("additionalProperties", items)
	if n, ok := s.vals["minItems"]; ok {
		s.set("minProperties", n)
	}
}

// notRequired removes name from the required list of a schema.
func notRequired(s *jobj, name string) {
	req := s.get("required").([]any)
	s.set("required", slices.DeleteFunc(slices.Clone(req), func(x any) bool { return x == name }))
}

// entryUnion makes a list item schema accept an ikanos import entry.
func entryUnion(def string) *jobj {
	return newObj(
		"type", "object",
		"if", newObj("anyOf", []any{newObj("required", []any{"from"}), newObj("required", []any{"import"})}),
		"then", newObj("$ref", "#/$defs/ImportEntry"),
		"else", newObj("$ref", "#/$defs/"+def))
}

func deriveIkanos(doc *jobj) {
	var versions []any
	for _, v := range vocab.IkanosVersions {
		versions = append(versions, v)
	}
	doc.set("$id", "naftiko:schema/ikanos.json")
	doc.set("title", "ikanos capability document (1.0.0-alpha3 to 1.0.0-beta5)")
	doc.set("description", "Written by the naftiko Go interpreter: the 1.0.0-alpha2 schema with the ikanos spellings "+
		"(display, flows, target, from imports) and lists of named entries written either as lists or as mappings keyed by name. "+
		"Additions: OAuth2 client fields and operation-level authentication on consumed adapters.")
	props := doc.obj("properties")
	props.del("naftiko")
	p2 := newObj("ikanos", newObj("description", "Version of the specification the document follows.", "enum", versions))
	for _, k := range props.keys {
		p2.set(k, props.vals[k])
	}
	p2.set("exposes", newObj("type", "array", "minItems", json.Number("1"), "items", newObj("$ref", "#/$defs/ExposesEntry")))
	p2.set("aggregates", newObj("type", "array", "minItems", json.Number("1"), "items", newObj("$ref", "#/$defs/AggregateEntry")))
	doc.set("properties", p2)
	doc.set("required", []any{"ikanos"})
	doc.set("anyOf", []any{newObj("required", []any{"capability"}), newObj("required", []any{"consumes"}),
		newObj("required", []any{"exposes"}), newObj("required", []any{"aggregates"}), newObj("required", []any{"binds"})})
	doc.set("not", newObj("anyOf", []any{newObj("required", []any{"capability", "consumes"}),
		newObj("required", []any{"capability", "exposes"}), newObj("required", []any{"capability", "aggregates"})}))
	doc.set("x-messages", newObj(
		"anyOf", "the document declares nothing: no `capability`, `consumes`, `exposes`, `aggregates` or `binds`",
		"not", "root `consumes`, `exposes` and `aggregates` go inside `capability` when there is one"))

	defs := doc.obj("$defs")
	defs.set("BinarySize", newObj("description", "A size such as 10MiB.", "type", "string", "pattern", `^\d+(\.\d+)?(B|KiB|MiB|GiB)$`))
	defs.set("ImportEntry", newObj(
		"description", "Imports the entry named `import` from the file at `from`.",
		"type", "object",
		"properties", newObj(
			"from", newObj("type", "string"),
			"import", newObj("$ref", "#/$defs/KebabName"),
			"as", newObj("$ref", "#/$defs/KebabName"),
			"description", newObj("type", "string")),
		"required", []any{"from", "import"},
		"additionalProperties", false))
	defs.set("ExposesEntry", entryUnion("Exposes"))
	defs.set("AggregateEntry", entryUnion("Aggregate"))
	defs.set("BindEntry", entryUnion("Binding"))
	defs.obj("BindList").set("items", newObj("$ref", "#/$defs/BindEntry"))
	ce := defs.obj("ConsumesEntry")
	ce.set("if", newObj("anyOf", []any{newObj("required", []any{"from"}), newObj("required", []any{"import"})}))
	ce.set("then", newObj("$ref", "#/$defs/ImportEntry"))
	capProps := defs.obj("Capability", "properties")
	capProps.obj("exposes").set("items", newObj("$ref", "#/$defs/ExposesEntry"))
	capProps.obj("aggregates").set("items", newObj("$ref", "#/$defs/AggregateEntry"))

	// Lists of named entries.
	for _, p := range [][]string{
		{"HttpConsumes", "inputParameters"}, {"HttpConsumes", "resources"},
		{"ConsumedResource", "inputParameters"}, {"ConsumedResource", "operations"},
		{"ConsumedOperation", "inputParameters"}, {"ConsumedOperation", "outputParameters"},
		{"RestExposes", "resources"}, {"RestResource", "inputParameters"}, {"RestResource", "operations"},
		{"RestOperation", "inputParameters"}, {"McpExposes", "tools"}, {"McpExposes", "resources"},
		{"McpExposes", "prompts"}, {"McpTool", "inputParameters"}, {"McpPrompt", "arguments"},
		{"Aggregate", "functions"}, {"Function", "inputParameters"},
		{"SkillExposes", "skills"}, {"Skill", "tools"},
	} {
		namedList(defs.obj(p[0], "properties", p[1]))
	}
	namedList(defs.obj("Steps"))
	for _, d := range []string{"RestOperation", "McpTool", "McpResource", "Function"} {
		defs.obj(d, "properties", "outputParameters").set("type", []any{"array", "object"})
	}
	// Output refinements: the same item schema for the map form.
	var refine func(v any)
	refine = func(v any) {
		switch x := v.(type) {
		case *jobj:
			if op, ok := x.vals["outputParameters"].(*jobj); ok {
				if items, ok := op.vals["items"]; ok {
					op.set("additionalProperties", items)
				}
			}
			for _, k := range x.keys {
				refine(x.vals[k])
			}
		case []any:
			for _, e := range x {
				refine(e)
			}
		}
	}
	for _, d := range []string{"RestOperation", "McpResource", "Behaviour"} {
		refine(defs.get(d))
	}
	for _, d := range []string{"ConsumedResource", "ConsumedOperation", "ConsumedParameter", "ConsumedOutput", "RestInput",
		"McpPrompt", "McpPromptArgument", "McpResource", "FunctionInput", "Behaviour", "Step", "OrchestratedOutput", "MockOutput"} {
		notRequired(defs.obj(d), "name")
	}
	notRequired(defs.obj("RestOperation", "then"), "name")

	// ikanos spellings and fields.
	str := func() *jobj { return newObj("type", "string") }
	for _, d := range defs.keys {
		o, ok := defs.vals[d].(*jobj)
		if !ok {
			continue
		}
		if ps, ok := o.vals["properties"].(*jobj); ok {
			if _, ok := ps.vals["label"]; ok {
				ps.set("display", str())
			}
		}
	}
	info := defs.obj("Info")
	info.obj("properties").set("version", str())
	notRequired(info, "label")
	for _, d := range []string{"ConsumedResource", "ConsumedOperation", "RestResource", "RestOperation", "McpTool", "Function"} {
		defs.obj(d, "properties").set("tags", newObj("$ref", "#/$defs/StringList"))
	}
	hc := defs.obj("HttpConsumes", "properties")
	hc.set("tunnel", newObj("type", "object"))
	hc.set("maxBinarySize", newObj("$ref", "#/$defs/BinarySize"))
	co := defs.obj("ConsumedOperation", "properties")
	co.set("maxBinarySize", newObj("$ref", "#/$defs/BinarySize"))
	co.set("outputMediaType", str())
	co.obj("outputRawFormat").set("enum", append(co.obj("outputRawFormat").get("enum").([]any), "binary"))
	for _, d := range []string{"RestExposes", "McpExposes"} {
		defs.obj(d, "properties").set("maxBinarySize", newObj("$ref", "#/$defs/BinarySize"))
	}
	mcp := defs.obj("McpExposes", "properties")
	mcp.set("ttlMs", newObj("type", "integer"))
	mcp.set("cacheScope", str())
	ro := defs.obj("RestOperation", "properties")
	ro.set("outputMediaType", str())
	ro.set("responses", newObj("type", "object"))
	ro.set("responseBinary", newObj("type", "object"))
	defs.obj("Function", "properties").set("outputMediaType", str())
	// beta5: a skill adapter describes itself; an orchestrated array's
	// items may be written as a mapping of field schemas.
	defs.obj("SkillExposes", "properties").set("description", str())
	notRequired(defs.obj("Skill"), "name")
	notRequired(defs.obj("SkillTool"), "name")
	// namespace.resource.operation references are accepted (SPEC.md §6.1).
	defs.obj("CallRef").set("pattern", `^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+){1,2}$`)
	oa := defs.obj("OrchestratedArray", "properties", "items")
	oa.set("type", []any{"array", "object"})
	oa.set("additionalProperties", newObj("$ref", "#/$defs/OrchestratedOutput"))
	agg := defs.obj("Aggregate")
	agg.obj("properties").set("flows", agg.obj("properties").get("functions"))
	agg.set("required", []any{"namespace"})
	agg.set("anyOf", []any{newObj("required", []any{"functions"}), newObj("required", []any{"flows"})})
	agg.set("x-messages", newObj("anyOf", "an aggregate needs `flows` (or `functions`)"))
	mapping := defs.obj("Mappings", "items")
	mapping.obj("properties").set("target", mapping.obj("properties").get("targetName"))
	mapping.set("required", []any{"value"})
	mapping.set("anyOf", []any{newObj("required", []any{"target"}), newObj("required", []any{"targetName"})})
	mapping.set("x-messages", newObj("anyOf", "a mapping needs `target`"))
}
