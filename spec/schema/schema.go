package schema

import (
	"bytes"
	"embed"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/internal/vocab"
	"github.com/naftiko/naftiko/spec/internal/yamlnode"
)

// The project's own JSON Schemas (draft 2020-12), one per document version
// (SPEC.md §3). naftiko-1.0.0-alpha2.json is written by hand; the others are
// derived from it (see derive_test.go, which keeps them up to date).
//
//go:embed *.json
var schemaFiles embed.FS

// schemaDoc is one embedded schema, compiled lazily, once per process.
type schemaDoc struct {
	file string
	// name is how diagnostics name the schema ("naftiko 1.0.0-alpha2").
	name string

	once sync.Once
	sch  *jsonschema.Schema
	raw  any // the schema document, for x-messages and property lists
	err  error
}

var schemaDocs = map[string]*schemaDoc{
	"naftiko-1.0.0-alpha1": {file: "naftiko-1.0.0-alpha1.json", name: "naftiko 1.0.0-alpha1"},
	"naftiko-1.0.0-alpha2": {file: "naftiko-1.0.0-alpha2.json", name: "naftiko 1.0.0-alpha2"},
	"naftiko-1.0.0-alpha3": {file: "naftiko-1.0.0-alpha3.json", name: "naftiko 1.0.0-alpha3"},
	"ikanos":               {file: "ikanos.json", name: "ikanos"},
}

// schemaKey returns the key of the schema that applies to a document with
// the given root key and version: the version's own schema, else the
// latest one of the root key (SPEC.md §1.2).
func schemaKey(root, version string) string {
	if root == "ikanos" {
		return "ikanos"
	}
	if k := "naftiko-" + version; schemaDocs[k] != nil {
		return k
	}
	return "naftiko-" + vocab.NaftikoVersions[len(vocab.NaftikoVersions)-1]
}

// JSON returns the embedded JSON Schema that validates documents with the
// given root key ("naftiko" or "ikanos") and version; unknown versions get
// the latest schema of their root key.
func JSON(root, version string) []byte {
	data, err := schemaFiles.ReadFile(schemaDocs[schemaKey(root, version)].file)
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return data
}

// compiled returns the compiled schema, compiling it on first use.
func (s *schemaDoc) compiled() (*jsonschema.Schema, error) {
	s.once.Do(func() {
		s.sch, s.raw, s.err = compileSchema(s.file)
	})
	return s.sch, s.err
}

// compileSchema compiles an embedded schema file; it also returns the
// parsed document.
func compileSchema(file string) (*jsonschema.Schema, any, error) {
	data, err := schemaFiles.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	url := "naftiko:schema/" + file
	c := jsonschema.NewCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, nil, err
	}
	sch, err := c.Compile(url)
	return sch, doc, err
}

// at returns the raw schema object at a JSON pointer fragment of the
// schema document ("/$defs/McpTool/then"), or nil.
func (s *schemaDoc) at(fragment string) map[string]any {
	var cur any = s.raw
	for _, tok := range strings.Split(strings.TrimPrefix(fragment, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			cur = v[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	m, _ := cur.(map[string]any)
	return m
}

// ---------------------------------------------------------------------------
// YAML to JSON values.

// schemaValue converts a YAML node to the JSON-typed value the schema
// validator expects: map[string]any, []any, string, float64, bool or nil.
// Aliases and merge keys are resolved; timestamps and every other tag stay
// strings (dates are not turned into time.Time).
func schemaValue(n *yaml.Node) any {
	n = yamlnode.Deref(n)
	if n == nil {
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		ps := yamlnode.Pairs(n)
		m := make(map[string]any, len(ps)/2)
		for i := 0; i+1 < len(ps); i += 2 {
			k, ok := yamlnode.KeyText(ps[i])
			if !ok {
				k = schemaKeyText(ps[i])
			}
			m[k] = schemaValue(ps[i+1])
		}
		return m
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = schemaValue(c)
		}
		return out
	case yaml.ScalarNode:
		switch yamlnode.Tag(n) {
		case yamlnode.TagNull:
			if yamlnode.IsQuoted(n) {
				return n.Value
			}
			return nil
		case yamlnode.TagBool:
			switch {
			case strings.EqualFold(n.Value, "true"):
				return true
			case strings.EqualFold(n.Value, "false"):
				return false
			}
		case yamlnode.TagInt, yamlnode.TagFloat:
			if t, ok := yamlnode.NumberText(n); ok {
				if f, err := strconv.ParseFloat(t, 64); err == nil && !math.IsInf(f, 0) {
					return f
				}
			}
		}
		return n.Value
	}
	return nil
}

// schemaKeyText names a non-scalar mapping key by its kind.
func schemaKeyText(k *yaml.Node) string {
	return "<" + yamlnode.KindName(k) + ">"
}

// schemaNodeAt follows a JSON Schema instance location through the YAML tree.
// It returns the node found and, when the last step was a mapping key, that
// key's node.
func schemaNodeAt(root *yaml.Node, loc []string) (n, key *yaml.Node) {
	n = yamlnode.Deref(root)
	for _, tok := range loc {
		if n == nil {
			return nil, nil
		}
		key = nil
		switch n.Kind {
		case yaml.MappingNode:
			ps := yamlnode.Pairs(n)
			var next *yaml.Node
			for i := 0; i+1 < len(ps); i += 2 {
				k, ok := yamlnode.KeyText(ps[i])
				if !ok {
					k = schemaKeyText(ps[i])
				}
				if k == tok {
					key, next = ps[i], ps[i+1]
				}
			}
			n = yamlnode.Deref(next)
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil, nil
			}
			n = yamlnode.Deref(n.Content[i])
		default:
			return nil, nil
		}
	}
	return n, key
}

// cmpNode returns a, or b when a is nil.
func cmpNode(a, b *yaml.Node) *yaml.Node {
	if a != nil {
		return a
	}
	return b
}

// ---------------------------------------------------------------------------
// Schema validation.

// schemaCheck validates the document rooted at root against its version's
// schema and returns one diagnostic per violation, all with severity sev.
func schemaCheck(file string, root *yaml.Node, key string, sev spec.Severity) []spec.Diagnostic {
	doc := schemaDocs[key]
	sch, err := doc.compiled()
	if err != nil {
		return []spec.Diagnostic{{Pos: spec.Pos{File: file, Line: 1, Col: 1}, Severity: spec.SeverityError, Rule: "internal",
			Message: "the embedded schema does not compile: " + err.Error()}}
	}
	verr, ok := sch.Validate(schemaValue(root)).(*jsonschema.ValidationError)
	if !ok || verr == nil {
		return nil
	}
	var leaves []*jsonschema.ValidationError
	flattenSchemaErrors(verr, &leaves)
	r := schemaReporter{file: file, root: root, doc: doc, sev: sev}
	for _, e := range leaves {
		r.report(e)
	}
	if sev == spec.SeverityError {
		return r.out
	}
	return append(r.out, r.dialectSummary()...)
}

// dialectSummary reports each dialect form (a field naftiko reads that the
// published schema lacks, SPEC.md §2.4) once per file, at its first
// occurrence, with the number of others: by default these forms are
// tolerated, and listing each of them would bury real mistakes. --strict
// lists every occurrence as an error.
func (r *schemaReporter) dialectSummary() []spec.Diagnostic {
	var keys []string
	for k := range r.dialect {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]spec.Diagnostic, 0, len(keys))
	for _, k := range keys {
		ds := r.dialect[k]
		spec.SortDiagnostics(ds)
		d := ds[0]
		if n := len(ds) - 1; n == 1 {
			d.Message += " (and 1 more like it in this file; --strict lists each)"
		} else if n > 1 {
			d.Message += fmt.Sprintf(" (and %d more like it in this file; --strict lists each)", n)
		}
		out = append(out, d)
	}
	return out
}

// flattenSchemaErrors collects the leaf errors of a validation error tree,
// dropping the wrappers (groups, references, allOf).
func flattenSchemaErrors(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	switch e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			flattenSchemaErrors(c, out)
		}
		return
	}
	*out = append(*out, e)
}

// schemaReporter turns schema errors into positioned diagnostics.
type schemaReporter struct {
	file string
	root *yaml.Node
	doc  *schemaDoc
	sev  spec.Severity
	out  []spec.Diagnostic
	// dialect collects, by definition and field, the tolerated dialect
	// fields found (reported once each unless strict).
	dialect map[string][]spec.Diagnostic
}

func (r *schemaReporter) pos(n *yaml.Node) spec.Pos {
	if n == nil || n.Line == 0 {
		return spec.Pos{File: r.file, Line: 1, Col: 1}
	}
	return spec.Pos{File: r.file, Line: n.Line, Col: n.Column}
}

func (r *schemaReporter) add(n *yaml.Node, rule, msg, hint string) {
	r.out = append(r.out, spec.Diagnostic{Pos: r.pos(n), Severity: r.sev, Rule: rule, Message: msg, Hint: hint})
}

// schemaDefName returns the $defs entry an error's schema location lies in ("" for
// the document root) and the fragment of that location.
func schemaDefName(schemaURL string) (def, fragment string) {
	_, fragment, _ = strings.Cut(schemaURL, "#")
	rest, ok := strings.CutPrefix(fragment, "/$defs/")
	if !ok {
		return "", fragment
	}
	def, _, _ = strings.Cut(rest, "/")
	return def, fragment
}

// namePatternMeaning says what a property name must be, from the pattern
// among the causes of a propertyNames error.
func namePatternMeaning(e *jsonschema.ValidationError) string {
	meaning := "a valid name"
	for _, c := range e.Causes {
		var ls []*jsonschema.ValidationError
		flattenSchemaErrors(c, &ls)
		for _, l := range ls {
			if p, ok := l.ErrorKind.(*kind.Pattern); ok {
				meaning = patternMeaning(p.Want)
			}
		}
	}
	return meaning
}

// combinatorMessage words an anyOf, oneOf or not failure: the schema's own
// x-messages entry when it has one, else the keyword path.
func (r *schemaReporter) combinatorMessage(e *jsonschema.ValidationError, n *yaml.Node, def, fragment string) string {
	kw := e.ErrorKind.KeywordPath()
	if _, ok := e.ErrorKind.(*kind.Not); ok {
		kw = []string{"not"} // the library gives no keyword path
	}
	msg := ""
	if obj := r.doc.at(fragment); obj != nil && len(kw) > 0 {
		if ms, ok := obj["x-messages"].(map[string]any); ok {
			msg, _ = ms[kw[0]].(string)
		}
	}
	if msg == "" {
		return fmt.Sprintf("%s does not satisfy `%s` of the %s schema", r.what(def, e.InstanceLocation, n), strings.Join(kw, "/"), r.doc.name)
	}
	if def != "" {
		msg += " (" + r.what(def, e.InstanceLocation, n) + ")"
	}
	return msg
}

func (r *schemaReporter) report(e *jsonschema.ValidationError) {
	n, key := schemaNodeAt(r.root, e.InstanceLocation)
	def, fragment := schemaDefName(e.SchemaURL)
	field := schemaFieldName(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		props := slices.Clone(k.Properties)
		slices.Sort(props)
		for _, p := range props {
			r.additional(n, e.InstanceLocation, def, fragment, p)
		}
	case *kind.Required:
		missing := slices.Clone(k.Missing)
		slices.Sort(missing)
		for _, m := range missing {
			r.add(n, "schema", fmt.Sprintf("%s has no `%s`, which the %s schema requires", r.what(def, e.InstanceLocation, n), m, r.doc.name), "")
		}
	case *kind.Type:
		r.add(n, "schema", fmt.Sprintf("%s must be %s, not %s", field, schemaTypeList(k.Want), aKind(n)), "")
	case *kind.Enum:
		vals := make([]string, len(k.Want))
		for i, v := range k.Want {
			vals[i] = fmt.Sprint(v)
		}
		r.add(n, "schema", fmt.Sprintf("%s must be one of %s, not %s", field, strings.Join(vals, ", "), schemaScalarText(n)), "")
	case *kind.Const:
		r.add(n, "schema", fmt.Sprintf("%s must be %v, not %s", field, k.Want, schemaScalarText(n)), "")
	case *kind.Pattern:
		r.add(n, "schema", fmt.Sprintf("%s %s must be %s", field, schemaScalarText(n), patternMeaning(k.Want)), "")
	case *kind.PropertyNames:
		at := yamlnode.KeyNode(n, k.Property)
		r.add(cmpNode(at, n), "schema", fmt.Sprintf("name `%s` in %s must be %s", k.Property, field, namePatternMeaning(e)), "")
	case *kind.MinItems:
		if k.Want == 1 {
			r.add(n, "schema", field+" must not be empty", "")
		} else {
			r.add(n, "schema", fmt.Sprintf("%s must have at least %d items", field, k.Want), "")
		}
	case *kind.MinProperties:
		r.add(n, "schema", field+" must not be empty", "")
	case *kind.MinLength:
		r.add(n, "schema", field+" must not be empty", "")
	case *kind.MaxLength:
		r.add(n, "schema", fmt.Sprintf("%s is longer than %d characters", field, k.Want), "")
	case *kind.Minimum:
		r.add(n, "schema", fmt.Sprintf("%s must be at least %v, not %s", field, k.Want, schemaScalarText(n)), "")
	case *kind.Maximum:
		r.add(n, "schema", fmt.Sprintf("%s must be at most %v, not %s", field, k.Want, schemaScalarText(n)), "")
	case *kind.AnyOf, *kind.OneOf, *kind.Not:
		r.add(n, "schema", r.combinatorMessage(e, n, def, fragment), "")
	case *kind.FalseSchema:
		r.add(cmpNode(key, n), "schema", field+" is not allowed here", "")
	default:
		r.add(n, "schema", fmt.Sprintf("%s does not satisfy `%s` of the %s schema", field,
			strings.Join(e.ErrorKind.KeywordPath(), "/"), r.doc.name), "")
	}
}

// additional reports one property that the schema object does not allow.
// A field naftiko itself reads (a dialect form, SPEC.md §2.4) is a
// `schema` violation; any other is an `unknown-field`.
func (r *schemaReporter) additional(n *yaml.Node, loc []string, def, fragment, prop string) {
	at := yamlnode.KeyNode(n, prop)
	if at == nil {
		at = n
	}
	if slices.Contains(naftikoFields[def], prop) {
		msg := fmt.Sprintf("field `%s` of %s is not in the %s schema", prop, r.what(def, loc, n), r.doc.name)
		if r.sev == spec.SeverityError {
			r.add(at, "schema", msg, dialectHints[prop])
			return
		}
		if r.dialect == nil {
			r.dialect = map[string][]spec.Diagnostic{}
		}
		k := def + "\x00" + prop
		r.dialect[k] = append(r.dialect[k], spec.Diagnostic{Pos: r.pos(at), Severity: r.sev, Rule: "schema", Message: msg, Hint: dialectHints[prop]})
		return
	}
	var known []string
	if obj := r.doc.at(fragment); obj != nil {
		if ps, ok := obj["properties"].(map[string]any); ok {
			for p := range ps {
				known = append(known, p)
			}
		}
	}
	slices.Sort(known)
	hint := ""
	if s := vocab.Suggest(prop, known); s != "" {
		hint = "did you mean `" + s + "`?"
	}
	r.add(at, "unknown-field", fmt.Sprintf("unknown field `%s` in %s", prop, r.what(def, loc, n)), hint)
}

// aKind names a node's kind with an article: "a mapping", "null".
func aKind(n *yaml.Node) string {
	k := yamlnode.KindName(n)
	if k == "null" {
		return k
	}
	return "a " + k
}

// what names the element an error is about: "operation `GetUser`".
func (r *schemaReporter) what(def string, loc []string, n *yaml.Node) string {
	w, ok := defWhat[def]
	switch {
	case def == "Behaviour" && len(loc) > 1:
		switch loc[len(loc)-2] {
		case "tools":
			w = "MCP tool"
		case "functions", "flows":
			w = "aggregate function"
		}
	case !ok && def == "":
		w = "the document root"
	case !ok:
		w = def
	}
	for _, f := range []string{"name", "namespace"} {
		if v := yamlnode.Field(n, f); v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
			return w + " `" + v.Value + "`"
		}
	}
	// The ikanos map-keyed form: the entry's key is its name.
	if len(loc) >= 2 && namedLists[loc[len(loc)-2]] {
		if _, err := strconv.Atoi(loc[len(loc)-1]); err != nil {
			return w + " `" + loc[len(loc)-1] + "`"
		}
	}
	return w
}

// namedLists are the fields that hold lists of named entries, which ikanos
// writes as mappings keyed by name.
var namedLists = map[string]bool{
	"resources": true, "operations": true, "inputParameters": true, "outputParameters": true, "tools": true,
	"prompts": true, "arguments": true, "steps": true, "functions": true, "flows": true,
}

// schemaFieldName names the value at an instance location: "`method`", or
// "item 2 of `tags`" for list items.
func schemaFieldName(loc []string) string {
	if len(loc) == 0 {
		return "the document"
	}
	last := loc[len(loc)-1]
	if i, err := strconv.Atoi(last); err == nil {
		parent := "the document"
		if len(loc) > 1 {
			parent = "`" + loc[len(loc)-2] + "`"
		}
		return fmt.Sprintf("item %d of %s", i+1, parent)
	}
	return "`" + last + "`"
}

// schemaScalarText quotes a scalar for messages, or names a collection's kind.
func schemaScalarText(n *yaml.Node) string {
	n = yamlnode.Deref(n)
	if n == nil {
		return "nothing"
	}
	if n.Kind == yaml.ScalarNode {
		if yamlnode.IsNull(n) && !yamlnode.IsQuoted(n) {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "a " + yamlnode.KindName(n)
}

// schemaTypeList phrases JSON Schema types in YAML terms: "a string or a mapping".
func schemaTypeList(types []string) string {
	names := make([]string, 0, len(types))
	for _, t := range types {
		switch t {
		case "object":
			names = append(names, "a mapping")
		case "array":
			names = append(names, "a list")
		case "string":
			names = append(names, "a string")
		case "number":
			names = append(names, "a number")
		case "integer":
			names = append(names, "an integer")
		case "boolean":
			names = append(names, "true or false")
		case "null":
			names = append(names, "null")
		default:
			names = append(names, t)
		}
	}
	switch len(names) {
	case 0:
		return "something else"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// patternMeanings explains the schemas' patterns in words.
var patternMeanings = map[string]string{
	`^[a-zA-Z0-9-]+$`:             "a name of letters, digits and hyphens",
	`^[a-zA-Z0-9_*-]+$`:           "a name of letters, digits, hyphens, underscores and stars",
	`^[A-Z][A-Z0-9_]*$`:           "an upper-case variable name (A-Z, digits and _, starting with a letter)",
	`^[a-zA-Z][a-zA-Z0-9+.-]*://`: "a URI with a scheme, such as file:///path",
	`^file:///`:                   "a file:/// URI",
	`^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$`: "a date written YYYY-MM-DD",
	`^[a-zA-Z0-9-]+\.[a-zA-Z0-9-]+$`:                "a reference of the form namespace.name",
	`^https?://[^/]+(/[^{]*)?$`:                     "an absolute http or https URL without placeholders in its path",
	`^[a-zA-Z0-9_.-]+$`:                             "a name of letters, digits, hyphens, underscores and dots",
	`^\d+(\.\d+)?(B|KiB|MiB|GiB)$`:                  "a size such as 512KiB or 10MiB",
}

func patternMeaning(p string) string {
	if m, ok := patternMeanings[p]; ok {
		return m
	}
	switch {
	case strings.Contains(p, "[0-9a-fA-F]{0,4}:"):
		return "a host name or an IP address"
	case strings.Contains(p, "+@"):
		return "an e-mail address"
	case strings.Contains(p, `\s*;\s*`):
		return "a media type such as application/json"
	}
	return "a match of the pattern " + p
}

// defWhat names the elements of the schemas' $defs for messages.
var defWhat = map[string]string{
	"Info":                   "`info`",
	"Person":                 "a stakeholder",
	"Binding":                "binds entry",
	"Capability":             "`capability`",
	"ConsumesEntry":          "consumes entry",
	"ImportedConsumes":       "consumes import",
	"ImportEntry":            "import entry",
	"HttpConsumes":           "consumes adapter",
	"ConsumedResource":       "resource",
	"ConsumedOperation":      "operation",
	"ConsumedParameter":      "input parameter",
	"ConsumedOutput":         "output parameter",
	"Body":                   "`body`",
	"JsonBody":               "`body`",
	"TextBody":               "`body`",
	"FormBody":               "`body`",
	"MultipartBody":          "`body`",
	"MultipartPart":          "a multipart part",
	"Authentication":         "`authentication`",
	"ConsumedAuthentication": "`authentication`",
	"UserPasswordAuth":       "`authentication`",
	"ApiKeyAuth":             "`authentication`",
	"BearerAuth":             "`authentication`",
	"OAuth2Auth":             "`authentication`",
	"ConsumedOAuth2Auth":     "`authentication`",
	"Exposes":                "exposes adapter",
	"RestExposes":            "REST adapter",
	"RestResource":           "REST resource",
	"RestOperation":          "REST operation",
	"RestInput":              "REST input parameter",
	"Forward":                "`forward`",
	"McpExposes":             "MCP adapter",
	"McpTool":                "MCP tool",
	"Behaviour":              "element",
	"McpHints":               "`hints`",
	"FunctionInput":          "input parameter",
	"McpResource":            "MCP resource",
	"McpPrompt":              "MCP prompt",
	"McpPromptArgument":      "prompt argument",
	"McpPromptMessage":       "prompt message",
	"SkillExposes":           "skill adapter",
	"Skill":                  "skill",
	"SkillTool":              "skill tool",
	"ControlExposes":         "control adapter",
	"Management":             "`management`",
	"Observability":          "`observability`",
	"Enabled":                "`local`",
	"Aggregate":              "aggregate",
	"Function":               "aggregate function",
	"Step":                   "step",
	"CallStep":               "call step",
	"LookupStep":             "lookup step",
	"ScriptStep":             "script step",
	"Mappings":               "mapping",
	"MappedOutput":           "output parameter",
	"MappedScalar":           "output parameter",
	"MappedObject":           "output parameter",
	"MappedArray":            "output parameter",
	"OrchestratedOutput":     "output parameter",
	"OrchestratedScalar":     "output parameter",
	"OrchestratedObject":     "output parameter",
	"OrchestratedArray":      "output parameter",
	"MockOutput":             "output parameter",
	"With":                   "`with`",
}

// naftikoFields lists, per schema element, the fields naftiko reads although
// the published schema does not define them: the real-world dialect of
// SPEC.md §2.4. The schema reports them as `schema` violations rather than
// unknown fields.
var naftikoFields = map[string][]string{
	"":                   vocab.FieldsRoot,
	"Capability":         vocab.FieldsCapability,
	"Info":               vocab.FieldsInfo,
	"Binding":            vocab.FieldsBind,
	"HttpConsumes":       vocab.FieldsAdapter,
	"ImportedConsumes":   vocab.FieldsImport,
	"ImportEntry":        vocab.FieldsImport,
	"ConsumedResource":   vocab.FieldsResource,
	"ConsumedOperation":  vocab.FieldsOperation,
	"ConsumedParameter":  vocab.FieldsParam,
	"ConsumedOutput":     vocab.FieldsOutput,
	"JsonBody":           vocab.FieldsBody,
	"TextBody":           vocab.FieldsBody,
	"FormBody":           vocab.FieldsBody,
	"MultipartBody":      vocab.FieldsBody,
	"UserPasswordAuth":   vocab.FieldsAuthBasic,
	"ApiKeyAuth":         vocab.FieldsAuthAPIKey,
	"BearerAuth":         vocab.FieldsAuthBearer,
	"OAuth2Auth":         vocab.FieldsAuthOAuth2,
	"ConsumedOAuth2Auth": vocab.FieldsAuthOAuth2,
	"RestExposes":        {"description", "inputParameters", "label"},
	"McpExposes":         {"label"},
	"SkillExposes":       {"description"},
	"RestInput":          {"required", "default"},
	"FunctionInput":      {"mapping", "in", "default"},
	"MappedScalar":       {"name", "description"},
	"MappedObject":       {"name", "description"},
	"MappedArray":        {"name", "description"},
	"Function":           {"label", "display", "ref"},
	"McpTool":            {"display"},
	"RestOperation":      {"display"},
	"RestResource":       {"display"},
}

// dialectHints suggest the published spelling of dialect fields.
var dialectHints = map[string]string{
	"auth":  "the schema spells it `authentication`",
	"id":    "the schema spells it `name`",
	"title": "the schema spells it `label`",
}
