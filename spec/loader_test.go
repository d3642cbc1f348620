package spec

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

func TestUnknownFields(t *testing.T) {
	c := load(t, `naftiko: 1.0.0-alpha2
infos: {}
capability:
  consume: []
  consumes:
  - type: http
    namespace: a
    BaseURI: https://api.test
    resources:
    - name: r
      path: /r
      operation: []
      operations:
      - name: get
        methd: GET
        inputParamters: []
        completelyDifferent: 1
        inputParameters:
        - {name: q, in: query, requird: true}
        outputParameters:
        - {name: o, type: string, value: $.x, mapping: $.y}
        body: {type: json, date: {}}
`)
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:2:1: warning: unknown field `infos` in the document root (did you mean `info`?) [unknown-field]",
		"t.yaml:4:3: warning: unknown field `consume` in `capability` (did you mean `consumes`?) [unknown-field]",
		"t.yaml:6:5: warning: consumes adapter `a` has no baseUri; calls need --base-uri [baseuri-empty]",
		"t.yaml:8:5: warning: unknown field `BaseURI` in consumes adapter `a` (did you mean `baseUri`?) [unknown-field]",
		"t.yaml:12:7: warning: unknown field `operation` in resource `r` (did you mean `operations`?) [unknown-field]",
		"t.yaml:15:9: warning: unknown field `methd` in operation `get` (did you mean `method`?) [unknown-field]",
		"t.yaml:16:9: warning: unknown field `inputParamters` in operation `get` (did you mean `inputParameters`?) [unknown-field]",
		"t.yaml:17:9: warning: unknown field `completelyDifferent` in operation `get` [unknown-field]",
		"t.yaml:19:32: warning: unknown field `requird` in input parameter `q` (did you mean `required`?) [unknown-field]",
		"t.yaml:21:47: warning: unknown field `mapping` in output parameter `o` [unknown-field]",
		"t.yaml:22:15: info: `body: {type: json}` has no `data`; the body is built from the `in: body` parameters [dialect]",
		"t.yaml:22:28: warning: unknown field `date` in `body` (did you mean `data`?) [unknown-field]",
	})
}

func TestSuggest(t *testing.T) {
	known := []string{"method", "name", "inputParameters", "baseUri"}
	for in, want := range map[string]string{
		"methd": "method", "METHOD": "method", "nam": "name", "mehtod": "method", "baseuri": "baseUri",
		"inputparameters": "inputParameters", "x": "", "description": "", "": "",
	} {
		if got := suggest(in, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if d := levenshtein("kitten", "sitting", 10); d != 3 {
		t.Errorf("levenshtein = %d", d)
	}
	if d := levenshtein("a", "abcdef", 3); d != 3 {
		t.Errorf("levenshtein capped = %d", d)
	}
	if d := levenshtein("café", "cafe", 0); d != 1 {
		t.Errorf("levenshtein counts runes: %d", d)
	}
	// Case is ignored when ranking: BASEURL is one edit from baseUri.
	if got := suggest("BASEURL", []string{"basePath", "baseUri"}); got != "baseUri" {
		t.Errorf("suggest(BASEURL) = %q", got)
	}
}

// TestKnownFieldTables checks that every field listed in a known-field
// table is handled by the loader (no unknown-field warning).
func TestKnownFieldTables(t *testing.T) {
	block := func(indent string, fields []string, skip ...string) string {
		var b strings.Builder
		for _, f := range fields {
			if !slices.Contains(skip, f) {
				b.WriteString(indent + f + ": ~\n")
			}
		}
		return b.String()
	}
	docs := map[string]string{
		"root":       "naftiko: 1.0.0-alpha2\n" + block("", vocab.FieldsRoot, "naftiko", "ikanos"),
		"info":       "naftiko: 1.0.0-alpha2\ninfo:\n" + block("  ", vocab.FieldsInfo),
		"capability": "naftiko: 1.0.0-alpha2\ncapability:\n" + block("  ", vocab.FieldsCapability),
		"bind":       "naftiko: 1.0.0-alpha2\nbinds:\n- namespace: x\n" + block("  ", vocab.FieldsBind, "namespace"),
		"adapter":    adapterDoc("  - type: http\n" + block("    ", vocab.FieldsAdapter, "type", "import", "location", "from")),
		"resource":   adapterDoc("  - type: http\n    resources:\n    - name: r\n" + block("      ", vocab.FieldsResource, "name")),
		"operation":  opDoc("      - name: o\n" + block("        ", vocab.FieldsOperation, "name")),
		"param":      opDoc("      - name: o\n        inputParameters:\n        - name: p\n" + block("          ", vocab.FieldsParam, "name")),
		"output":     opDoc("      - name: o\n        outputParameters:\n        - name: p\n" + block("          ", vocab.FieldsOutput, "name")),
		"body":       opDoc("      - name: o\n        body:\n" + block("          ", vocab.FieldsBody)),
		"import":     adapterDoc("  - import: x\n" + block("    ", vocab.FieldsImport, "import")),
	}
	for typ, fields := range map[string][]string{
		"bearer": vocab.FieldsAuthBearer, "basic": vocab.FieldsAuthBasic, "apikey": vocab.FieldsAuthAPIKey,
		"header": vocab.FieldsAuthHeader, "query": vocab.FieldsAuthQuery, "oauth2": vocab.FieldsAuthOAuth2,
		"aws-sig-v4": vocab.FieldsAuthAWS,
	} {
		docs["auth "+typ] = adapterDoc("  - type: http\n    authentication:\n      type: " + typ + "\n" + block("      ", fields, "type"))
	}
	for name, src := range docs {
		c, err := Parse([]byte(src), "t.yaml")
		var ds []Diagnostic
		if err != nil {
			ds = err.(*Error).Diagnostics
		} else {
			ds = c.Diagnostics
		}
		for _, d := range ds {
			if d.Rule == "unknown-field" {
				t.Errorf("%s: %v\n%s", name, d, src)
			}
		}
	}
}

func TestMergeKeys(t *testing.T) {
	c := load(t, `naftiko: 1.0.0-alpha2
defaults: &defaults
  type: http
  baseUri: https://merged.test
  description: merged
more: &more {description: second, namespace: from-more}
capability:
  consumes:
  - <<: [*defaults, *more]
    namespace: explicit
    baseUri: https://explicit.test
  - description: explicit first
    <<: *defaults
    namespace: b
`)
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:2:1: warning: unknown field `defaults` in the document root [unknown-field]",
		"t.yaml:6:1: warning: unknown field `more` in the document root [unknown-field]",
	})
	a, b := c.Consumes[0], c.Consumes[1]
	if a.Namespace != "explicit" || a.BaseURI.Src != "https://explicit.test" || a.Description != "merged" || a.Type != "http" {
		t.Errorf("a = %+v", a)
	}
	if b.Namespace != "b" || b.Description != "explicit first" || b.BaseURI.Src != "https://merged.test" || b.BaseURI.Pos != (Pos{"t.yaml", 4, 12}) {
		t.Errorf("b = %+v", b)
	}
}

func TestAliases(t *testing.T) {
	c := load(t, opDoc(`      - name: a
        inputParameters: &params
        - {name: q, in: query, value: '{{Q}}'}
      - name: b
        inputParameters: *params
`))
	ops := c.Operations()
	pa, pb := ops[0].Op.InputParameters[0], ops[1].Op.InputParameters[0]
	if pa == pb || pb.Name != "q" || pb.Pos != pa.Pos || tmplString(pb.Value.Tmpl) != "{{Q@13:40}}" {
		t.Errorf("alias: %+v %+v", pa, pb)
	}
}

func TestMultiDocument(t *testing.T) {
	c := load(t, "# lead\n---\nnaftiko: 1.0.0-alpha2\n---\nother: 1\n")
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:4:1: warning: the file holds more than one YAML document; only the first is read [multi-document]",
	})
	c = load(t, "naftiko: 1.0.0-alpha2\n---\nbroken: [\n")
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:4:1: warning: the file holds more than one YAML document; only the first is read [multi-document]",
	})
}

func TestVersions(t *testing.T) {
	for _, tt := range []struct{ src, root, version, diag string }{
		{"naftiko: 1.0.0-alpha1\n", "naftiko", "1.0.0-alpha1", ""},
		{"naftiko: \"1.0.0-alpha2\"\n", "naftiko", "1.0.0-alpha2", ""},
		{"naftiko: '1.0.0-alpha3'\n", "naftiko", "1.0.0-alpha3", ""},
		{"ikanos: 1.0.0-beta5\n", "ikanos", "1.0.0-beta5", ""},
		{"naftiko: 1.0\n", "naftiko", "1.0",
			"t.yaml:1:10: warning: unknown naftiko version \"1.0\"; the rules of 1.0.0-alpha3 are applied (accepted versions: 1.0.0-alpha1, 1.0.0-alpha2, 1.0.0-alpha3) [unknown-version]"},
		{"ikanos: 1.0.0-beta7\n", "ikanos", "1.0.0-beta7",
			"t.yaml:1:9: warning: unknown ikanos version \"1.0.0-beta7\"; the rules of 1.0.0-beta5 are applied (accepted versions: 1.0.0-alpha3, 1.0.0-alpha4, 1.0.0-beta1, 1.0.0-beta2, 1.0.0-beta3, 1.0.0-beta4, 1.0.0-beta5) [unknown-version]"},
	} {
		c := load(t, tt.src)
		if c.Root != tt.root || c.Version != tt.version {
			t.Errorf("%q: root %q version %q", tt.src, c.Root, c.Version)
		}
		var want []string
		if tt.diag != "" {
			want = []string{tt.diag}
		}
		checkDiags(t, c.Diagnostics, want)
	}
}

func TestScalars(t *testing.T) {
	c := load(t, opDoc(`      - name: a
        description: 2026-05-22
        inputParameters:
        - {name: p1, in: query, required: True, value: 2026-05-22}
        - {name: p2, in: query, required: FALSE, default: 0x1F}
        - {name: p3, in: query, required: yes}
        - {name: p4, in: query, required: "true", value: "42"}
        - {name: p5, in: query, required: [x], default: 1e3}
`))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:16:43: error: `required` must be true or false, not \"yes\" [scalar-type]",
		"t.yaml:17:43: warning: `required` is the string \"true\"; the boolean true is used (write it without quotes) [quoted-scalar]",
		"t.yaml:18:43: error: `required` must be true or false, not a list [scalar-type]",
	})
	o := firstOp(t, c)
	if o.Description != "2026-05-22" {
		t.Errorf("description = %q", o.Description)
	}
	ps := o.InputParameters
	if !ps[0].Required || ps[1].Required || ps[2].Required || !ps[3].Required || ps[4].Required {
		t.Errorf("required = %v %v %v %v %v", ps[0].Required, ps[1].Required, ps[2].Required, ps[3].Required, ps[4].Required)
	}
	if v := ps[0].Value; v.Kind != DataString || v.Text != "2026-05-22" {
		t.Errorf("date value = %+v", v)
	}
	if v := ps[1].Default; v.Kind != DataNumber || v.Text != "31" || v.Tmpl != nil {
		t.Errorf("hex default = %+v", v)
	}
	if v := ps[3].Value; v.Kind != DataString || v.Text != "42" {
		t.Errorf("quoted number value = %+v", v)
	}
	if v := ps[4].Default; v.Kind != DataNumber || v.Text != "1e3" {
		t.Errorf("float default = %+v", v)
	}
	if len(o.Errors) != 2 {
		t.Errorf("element errors = %v", o.Errors)
	}
}

// TestTemplatePositions checks placeholder positions inside scalars
// (SPEC.md §2.1): exact for single-line plain scalars and quoted scalars
// without escapes, the scalar's own position otherwise.
func TestTemplatePositions(t *testing.T) {
	c := load(t, opDoc(`      - name: a
        headers:
          Plain: Bearer {{TOKEN}}
          Single: 'Bearer {{TOKEN}}'
          Double: "Bearer {{TOKEN}}"
          Escaped: 'it''s {{TOKEN}}'
          Escaped2: "tab\t{{TOKEN}}"
          Unicode: 'é€ {{TOKEN}}'
          Folded: >-
            Bearer {{TOKEN}}
          Multi: Bearer
            {{TOKEN}}
          Tagged: !!str Bearer {{TOKEN}}
        path: "/x/{id}/{{y}}"
        body: '{"a": "{{A}}", "b": {{B}}}'
      - name: b
        headers: ["Accept : text/{{SUB}}", "X-N: 1"]
`))
	want := map[string]string{
		"Plain":    "Bearer {{TOKEN@13:25}}",
		"Single":   "Bearer {{TOKEN@14:27}}",
		"Double":   "Bearer {{TOKEN@15:27}}",
		"Escaped":  "it's {{TOKEN@16:20}}",
		"Escaped2": "tab\t{{TOKEN@17:21}}",
		"Unicode":  "é€ {{TOKEN@18:24}}",
		"Folded":   "Bearer {{TOKEN@19:19}}",
		"Multi":    "Bearer {{TOKEN@21:18}}",
		"Tagged":   "Bearer {{TOKEN@23:19}}",
	}
	ops := c.Operations()
	for _, h := range ops[0].Op.Headers {
		if got := tmplString(h.Value); got != want[h.Name] {
			t.Errorf("%s: %s, want %s", h.Name, got, want[h.Name])
		}
	}
	if got := tmplString(ops[0].Op.PathTmpl); got != "/x/{id@24:19}/{{y@24:24}}" {
		t.Errorf("path = %s", got)
	}
	if b := ops[0].Op.Body; b.Type != "" || tmplString(b.Data.Tmpl) != `{"a": "{{A@25:23}}", "b": {{B@25:36}}}` {
		t.Errorf("body = %+v %s", b, tmplString(b.Data.Tmpl))
	}
	hs := ops[1].Op.Headers
	if len(hs) != 2 || hs[0].Name != "Accept" || tmplString(hs[0].Value) != "text/{{SUB@27:34}}" || tmplString(hs[1].Value) != "1" {
		t.Errorf("list headers = %s", tmplString(hs[0].Value))
	}
}

func TestTemplateDiagnostics(t *testing.T) {
	c := load(t, adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    resources:
    - name: r
      path: /r/{{#each}}
      operations:
      - name: one
        headers: {X-A: 'value {{ unclosed'}
      - name: two
`))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:9:16: error: template sections, inverted sections and partials are not supported: {{#each}} [template-section]",
		"t.yaml:12:31: warning: `{{` has no closing `}}`; it is kept as literal text [template-unclosed]",
	})
	ops := c.Operations()
	if len(ops[0].Op.Errors) != 1 || len(ops[1].Op.Errors) != 1 || ops[1].Op.Errors[0].Rule != "template-section" {
		t.Errorf("resource errors must reach every operation: %v / %v", ops[0].Op.Errors, ops[1].Op.Errors)
	}
}

func TestOutputs(t *testing.T) {
	c := load(t, opDoc(`      - name: several
        outputParameters:
        - {name: id, type: string, value: $.id}
        - {type: string, value: "$.items[*].name"}
        - {name: bad, type: string, value: '$.a[?(@.x ==)]'}
        - {name: spaced, value: $.user details.email}
        - {name: none, type: object}
      - name: single
        outputParameters:
        - {type: object, value: $.}
`))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:14:11: warning: an output parameter without a name is called `output2` (give every output a `name`) [output-unnamed]",
		"t.yaml:15:57: error: invalid JSONPath \"$.a[?(@.x ==)]\": '' is not a value or function at 13 in $.a[?(@.x ==)] [output-jsonpath-invalid]",
		"t.yaml:17:11: warning: output parameter `none` has no `value`; the whole response is used (add `value: $.`) [required-field]",
	})
	ops := c.Operations()
	outs := ops[0].Op.OutputParameters
	if outs[0].Path.Pos != (Pos{"t.yaml", 13, 43}) || !outs[0].Path.Definite() {
		t.Errorf("id path = %+v", outs[0].Path)
	}
	if outs[1].Name != "output2" || outs[1].Path.Pos != (Pos{"t.yaml", 14, 34}) || outs[1].Path.Definite() {
		t.Errorf("output2 = %+v %+v", outs[1], outs[1].Path)
	}
	if outs[2].Path != nil || len(ops[0].Op.Errors) != 1 || ops[0].Op.Errors[0].Rule != "output-jsonpath-invalid" {
		t.Errorf("bad = %+v, errors %v", outs[2], ops[0].Op.Errors)
	}
	tree := map[string]any{"user details": map[string]any{"email": "a@b"}}
	if got := outs[3].Path.Get(tree); got != "a@b" {
		t.Errorf("spaced path = %v", got)
	}
	if !outs[4].Path.IsRoot() {
		t.Errorf("missing value should select the root")
	}
	single := ops[1].Op.OutputParameters
	if len(single) != 1 || single[0].Name != "" || !single[0].Path.IsRoot() || single[0].Type != "object" {
		t.Errorf("single = %+v", single[0])
	}
}

func TestIkanosMapForms(t *testing.T) {
	c := load(t, `ikanos: 1.0.0-beta5
info: {display: Shiny, description: D}
capability:
  consumes:
  - type: http
    namespace: ik
    baseUri: https://ik.test
    maxBinarySize: 5MiB
    tunnel: {via: x}
    inputParameters:
      X-Tenant: {in: header, value: acme}
    resources:
      users:
        path: /users/{{id}}
        display: Users
        operations:
          get-user:
            method: GET
            maxBinarySize: 1.5KiB
            inputParameters:
              id: {in: path}
            outputParameters:
              id: {type: string, value: $.id}
              name: {name: other, type: string, value: $.name}
          bad:
            name: worse
            maxBinarySize: lots
  - type: mcp
    namespace: tools
`)
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:9:5: warning: `tunnel` on a consumes adapter is not supported and is ignored [unsupported-feature]",
		"t.yaml:14:22: info: path placeholder `id` has no declared parameter; it is a required string path parameter [dialect]",
		"t.yaml:24:28: error: output parameter is keyed `name` but has `name: other` (remove `name` or make it equal to the key) [name-mismatch]",
		"t.yaml:26:19: error: operation is keyed `bad` but has `name: worse` (remove `name` or make it equal to the key) [name-mismatch]",
		"t.yaml:27:28: error: `maxBinarySize` must be a size such as 512KiB, 10MiB or 1GiB, not \"lots\" [scalar-type]",
		"t.yaml:28:11: warning: consumes adapters of type `mcp` are not supported; entry `tools` is skipped [unsupported-feature]",
	})
	if c.Info.Label != "Shiny" || c.Root != "ikanos" {
		t.Errorf("info = %+v", c.Info)
	}
	a := c.Consumes[0]
	if len(c.Consumes) != 1 || a.MaxResponseSize != 5<<20 || a.InputParameters[0].Name != "X-Tenant" || a.InputParameters[0].In != "header" {
		t.Fatalf("adapter = %+v", a)
	}
	r := a.Resources[0]
	if r.Name != "users" || r.Label != "Users" || r.Pos != (Pos{"t.yaml", 13, 7}) {
		t.Errorf("resource = %+v", r)
	}
	o := r.Operations[0]
	if o.Name != "get-user" || o.MaxResponseSize != 1536 || o.InputParameters[0].Name != "id" || !o.InputParameters[0].Required {
		t.Errorf("operation = %+v", o)
	}
	if o.OutputParameters[0].Name != "id" || o.OutputParameters[1].Name != "name" {
		t.Errorf("outputs = %+v", o.OutputParameters)
	}
	if bad := r.Operations[1]; bad.Name != "bad" || len(bad.Errors) != 2 {
		t.Errorf("bad = %+v", bad)
	}
}

func TestNaftikoMapFormInfo(t *testing.T) {
	c := load(t, adapterDoc("  - type: http\n    namespace: a\n    baseUri: https://a.test\n    resources:\n      r: {path: /r}\n"))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:8:7: info: `resources` written as a mapping keyed by name (ikanos form) is read as a list [dialect]",
	})
	if c.Consumes[0].Resources[0].Name != "r" {
		t.Errorf("resource = %+v", c.Consumes[0].Resources[0])
	}
}

func TestAuthForms(t *testing.T) {
	c := load(t, adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    authentication:
      type: oauth2
      tokenEndpoint: https://auth.test/token
      clientId: '{{CLIENT_ID}}'
      clientSecret: '{{CLIENT_SECRET}}'
      scopes: read write
      audience: api
    resources:
    - name: r
      path: /r
      operations:
      - name: op
        authentication: {type: aws-sig-v4, accessKeyId: '{{AK}}', secretKey: '{{SK}}', region: eu-west-1, service: s3, sessionToken: t}
      - name: digest
        authentication: {type: digest, username: u, password: ''}
      - name: typo
        authentication: {type: bearer, tokn: x}
`))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:23:40: warning: unknown field `tokn` in `authentication` of type bearer (did you mean `token`?) [unknown-field]",
	})
	a := c.Consumes[0].Auth
	if a.Type != "oauth2" || !slices.Equal(a.Scopes, []string{"read", "write"}) || tmplString(a.Fields["clientId"]) != "{{CLIENT_ID@10:18}}" ||
		a.Fields["tokenEndpoint"].Src != "https://auth.test/token" || a.Fields["audience"].Src != "api" {
		t.Errorf("oauth2 = %+v", a)
	}
	ops := c.Operations()
	aws := ops[0].Op.Auth
	if aws.Type != "aws-sig-v4" || tmplString(aws.Fields["secretAccessKey"]) != "{{SK@19:79}}" || aws.Fields["region"].Src != "eu-west-1" ||
		aws.Fields["sessionToken"].Src != "t" || aws.Fields["service"].Src != "s3" {
		t.Errorf("aws = %+v", aws)
	}
	if d := ops[1].Op.Auth; d.Type != "digest" || d.Username.Src != "u" || d.Password == nil || d.Password.Src != "" {
		t.Errorf("digest = %+v", d)
	}
}

func TestHeadersLevels(t *testing.T) {
	c := load(t, adapterDoc(`  - type: http
    namespace: a
    baseUri: https://api.test
    headers: {X-Api-Version: '2024-01-01', X-Num: 7}
    resources:
    - name: r
      path: /r
      headers:
      - {name: Accept, value: application/json}
      operations:
      - name: op
        headers: {Authorization: 'Bearer {{T}}'}
`))
	checkDiags(t, c.Diagnostics, nil)
	a := c.Consumes[0]
	r := a.Resources[0]
	o := r.Operations[0]
	if len(a.Headers) != 2 || a.Headers[1].Name != "X-Num" || tmplString(a.Headers[1].Value) != "7" ||
		len(r.Headers) != 1 || r.Headers[0].Name != "Accept" || tmplString(o.Headers[0].Value) != "Bearer {{T@15:42}}" {
		t.Errorf("headers: %+v %+v %+v", a.Headers, r.Headers, o.Headers)
	}
}

func TestImports(t *testing.T) {
	c, err := LoadFile("testdata/imports/main.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checkDiags(t, c.Diagnostics, []string{
		"testdata/imports/main.yaml:8:15: warning: imported file ./shared/missing.yaml was not found (calls into namespace `gone` fail) [import-not-found]",
		"testdata/imports/main.yaml:9:15: warning: file://./shared/api.yaml declares no consumes adapter `nope` [import-not-found]",
		"testdata/imports/shared/api.yaml:15:3: warning: unknown field `methd` in consumes adapter `other-api` [unknown-field]",
		"testdata/imports/shared/api.yaml:17:3: warning: imports inside an imported file are not followed [import-transitive]",
	})
	var got []string
	for _, a := range c.Consumes {
		got = append(got, a.Namespace+"<"+a.ImportedFrom+">")
	}
	if !slices.Equal(got, []string{"mine<./shared/api.yaml>", "gone<./shared/missing.yaml>", "nope<file://./shared/api.yaml>", "other-api<shared/api.yaml>"}) {
		t.Errorf("adapters = %v", got)
	}
	mine := c.Consumes[0]
	if len(mine.Resources) != 1 || mine.Resources[0].Operations[0].Name != "listItems" || mine.BaseURI.Src != "https://shared.test" ||
		mine.Pos.File != "testdata/imports/shared/api.yaml" {
		t.Errorf("mine = %+v", mine)
	}
	gone := c.Consumes[1]
	if len(gone.Errors) != 1 || gone.Errors[0].String() !=
		"testdata/imports/main.yaml:7:5: error: namespace gone is imported from ./shared/missing.yaml, which was not found [import-not-found]" {
		t.Errorf("gone errors = %v", gone.Errors)
	}

	c, err = LoadFile("testdata/imports/list.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checkDiags(t, c.Diagnostics, []string{
		"testdata/imports/list.yaml:2:1: info: root `imports` imports the consumes adapters of each listed file [dialect]",
		"testdata/imports/list.yaml:4:3: warning: imported file ./shared/nothing.yaml was not found [import-not-found]",
		"testdata/imports/list.yaml:5:1: info: root `import` imports the consumes adapters of each listed file [dialect]",
		"testdata/imports/list.yaml:7:13: warning: imported file shared/lost.yaml was not found (calls into namespace `lost` fail) [import-not-found]",
		"testdata/imports/shared/api.yaml:15:3: warning: unknown field `methd` in consumes adapter `other-api` [unknown-field]",
		"testdata/imports/shared/api.yaml:17:3: warning: imports inside an imported file are not followed [import-transitive]",
	})
	got = got[:0]
	for _, a := range c.Consumes {
		got = append(got, a.Namespace+"<"+a.ImportedFrom+">")
	}
	if !slices.Equal(got, []string{"shared-api<shared/api.yaml>", "other-api<shared/api.yaml>", "lost<shared/lost.yaml>"}) {
		t.Errorf("adapters = %v", got)
	}
}

func TestImportInvalid(t *testing.T) {
	c := load(t, adapterDoc("  - import: x\n    location: https://remote.test/x.yaml\n  - import: y\n"))
	checkDiags(t, c.Diagnostics, []string{
		"t.yaml:5:15: warning: import location \"https://remote.test/x.yaml\" is not a file path or file:// URI [import-invalid]",
		"t.yaml:6:5: warning: an import entry has no `location` [import-invalid]",
	})
	if len(c.Consumes) != 1 || c.Consumes[0].Namespace != "x" || len(c.Consumes[0].Errors) != 1 {
		t.Errorf("consumes = %+v", c.Consumes)
	}
}

func TestParseStdinName(t *testing.T) {
	c, err := Parse([]byte("naftiko: 1.0.0-alpha2\ninfo: {labl: x}\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "<stdin>" || c.Dir != "." || c.Info.Label != "<stdin>" || c.Diagnostics[0].Pos.String() != "<stdin>:2:8" {
		t.Errorf("file %q dir %q label %q diag %v", c.File, c.Dir, c.Info.Label, c.Diagnostics)
	}
	c = load(t, "naftiko: 1.0.0-alpha2\n")
	if c.File != "t.yaml" || c.Dir != "." {
		t.Errorf("file %q dir %q", c.File, c.Dir)
	}
	c, _ = Parse([]byte("naftiko: 1.0.0-alpha2\n"), "some/dir/x.yml")
	if c.Dir != "some/dir" || c.Info.Label != "x" {
		t.Errorf("dir %q label %q", c.Dir, c.Info.Label)
	}
}

// TestRulesListed checks that every rule id used in the package's source
// is listed, once, in Rules or LintRules (spec/schema checks its own
// ValidateRules).
func TestRulesListed(t *testing.T) {
	listed := map[string]bool{}
	for _, list := range [][]Rule{Rules, LintRules} {
		inList := map[string]bool{}
		for _, r := range list {
			if inList[r.ID] {
				t.Errorf("rule %s listed twice", r.ID)
			}
			if r.Summary == "" {
				t.Errorf("rule %s has no summary", r.ID)
			}
			inList[r.ID] = true
			listed[r.ID] = true
		}
	}
	re := regexp.MustCompile(`(?:l\.(?:warn|info|fatal|elemError|elemErrorAt|report|emit)\(|Rule: *)[^"]*"([a-z0-9-]+)"`)
	used := map[string]bool{}
	// The rules that need the compiled program are emitted by spec/program.
	for _, dir := range []string{".", "program"} {
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			if !strings.HasSuffix(f.Name(), ".go") || strings.HasSuffix(f.Name(), "_test.go") {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				used[m[1]] = true
			}
		}
	}
	if len(used) < 40 {
		t.Fatalf("found only %d rule ids in the source: %v", len(used), used)
	}
	for id := range used {
		if !listed[id] {
			t.Errorf("rule %s is emitted but not listed in Rules", id)
		}
	}
	for id := range listed {
		if !used[id] {
			t.Errorf("rule %s is listed but never emitted", id)
		}
	}
}
