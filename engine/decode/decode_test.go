package decode

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/naftiko/naftiko/spec/jsonv"
)

// treeJSON renders a decoded tree as compact JSON with sorted keys.
func treeJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := jsonv.Marshal(v)
	if err != nil {
		t.Fatalf("tree is not JSON: %v (%#v)", err, v)
	}
	return string(b)
}

// canon normalises expected JSON text (key order, spacing).
func canon(t testing.TB, s string) string {
	t.Helper()
	v, err := JSON([]byte(s))
	if err != nil {
		t.Fatalf("bad expected JSON %s: %v", s, err)
	}
	return treeJSON(t, v)
}

type decodeCase struct {
	name string
	body string
	want string // JSON; "" with err set
	err  string // substring of the error
}

func runDecodeCases(t *testing.T, cases []decodeCase, dec func([]byte) (any, error)) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := dec([]byte(tc.body))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := treeJSON(t, v), canon(t, tc.want); got != want {
				t.Errorf("tree = %s\nwant   %s", got, want)
			}
		})
	}
}

func TestTypedScalar(t *testing.T) {
	for in, want := range map[string]any{
		"42": int64(42), "-3.5": -3.5, "0": int64(0), "0.25": 0.25, "true": true, "false": false,
		"007": "007", "1.50": "1.50", "1e3": "1e3", "+1": "+1", "-0": "-0", "": "", "True": "True",
		"12345678901234567890": "12345678901234567890", "9223372036854775807": int64(9223372036854775807),
		"0.1234567890123456789": "0.1234567890123456789", " 42": " 42", "42 ": "42 ", "1,5": "1,5",
		".5": ".5", "5.": "5.", "-": "-", "NaN": "NaN", "Infinity": "Infinity", "0x10": "0x10",
		"1.0": "1.0", "123456789.123456": 123456789.123456, "0.0000001": "0.0000001",
	} {
		if got := typedScalar(in); got != want {
			t.Errorf("typedScalar(%q) = %#v, want %#v", in, got, want)
		}
	}
}

func TestDecodeXML(t *testing.T) {
	runDecodeCases(t, []decodeCase{{
		name: "catalog with attributes, repeated elements and typed text",
		body: `<?xml version="1.0" encoding="UTF-8"?>
<!-- product export -->
<catalog xmlns="urn:example:catalog" xmlns:x="urn:x" generated="2026-05-22">
  <product id="p1" x:featured="true">
    <name>Desk Lamp</name>
    <price currency="EUR">12.50</price>
    <stock>42</stock>
    <sku>007</sku>
  </product>
  <product id="p2">
    <name><![CDATA[Chair <oak>]]></name>
    <price currency="EUR">-3.5</price>
    <stock/>
  </product>
</catalog>`,
		want: `{"generated":"2026-05-22","product":[
			{"id":"p1","featured":true,"name":"Desk Lamp","price":{"currency":"EUR","#text":"12.50"},"stock":42,"sku":"007"},
			{"id":"p2","name":"Chair <oak>","price":{"currency":"EUR","#text":-3.5},"stock":""}]}`,
	}, {
		name: "single element stays a single value",
		body: `<response><item><id>1</id></item><total>1</total></response>`,
		want: `{"item":{"id":1},"total":1}`,
	}, {
		name: "root with only text",
		body: `<?xml version="1.0"?><string xmlns="http://tempuri.org/">4711</string>`,
		want: `4711`,
	}, {
		name: "attribute and child of one name",
		body: `<user id="u1"><id>legacy-9</id><email verified="false">ann@example.com</email></user>`,
		want: `{"@id":"u1","id":"legacy-9","email":{"verified":false,"#text":"ann@example.com"}}`,
	}, {
		name: "mixed content and built-in entities",
		body: `<note lang="en">Tom &amp; Jerry <b>bold</b> end</note>`,
		want: `{"lang":"en","b":"bold","#text":"Tom & Jerry  end"}`,
	}, {
		name: "SOAP envelope, prefixes dropped",
		body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><m:GetPriceResponse xmlns:m="https://www.w3schools.com/prices"><m:Price>1.90</m:Price></m:GetPriceResponse></soap:Body></soap:Envelope>`,
		want: `{"Body":{"GetPriceResponse":{"Price":"1.90"}}}`,
	}, {
		name: "ISO-8859-1 declared",
		body: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><city>M\xfcnchen</city>",
		want: `"München"`,
	}, {
		name: "RSS feed",
		body: `<rss version="2.0"><channel><title>News</title><item><title>A</title><guid isPermaLink="false">1</guid></item><item><title>B</title><guid isPermaLink="false">2</guid></item></channel></rss>`,
		want: `{"version":"2.0","channel":{"title":"News","item":[{"title":"A","guid":{"isPermaLink":false,"#text":1}},{"title":"B","guid":{"isPermaLink":false,"#text":2}}]}}`,
	}, {
		name: "HTML entity is not expanded",
		body: `<p>a&nbsp;b</p>`,
		err:  "invalid character entity &nbsp;",
	}, {
		name: "two roots",
		body: `<a>1</a><b>2</b>`,
		err:  "a second root element <b>",
	}, {
		name: "unclosed",
		body: `<a><b>1</a>`,
		err:  "XML syntax error",
	}, {
		name: "not XML at all",
		body: `{"json":true}`,
		err:  "text outside the root element",
	}, {
		name: "no root",
		body: `<?xml version="1.0"?>`,
		err:  "no root element",
	}}, decodeXML)
}

func TestDecodeYAML(t *testing.T) {
	runDecodeCases(t, []decodeCase{{
		name: "kubernetes-like document",
		body: `# deployment status
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  creationTimestamp: 2026-05-22T10:00:00Z
  labels: {app: web, tier: "1"}
spec:
  replicas: 3
  paused: false
  ratio: 0.75
  big: 12345678901234567890
  hex: 0x1F
  nothing: ~
  when: 2026-05-22
`,
		want: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","creationTimestamp":"2026-05-22T10:00:00Z",
			"labels":{"app":"web","tier":"1"}},"spec":{"replicas":3,"paused":false,"ratio":0.75,"big":12345678901234567890,"hex":31,"nothing":null,"when":"2026-05-22"}}`,
	}, {
		name: "anchors, aliases and merge keys",
		body: "base: &b {region: eu, size: 2}\nnode:\n  <<: *b\n  size: 5\nlist: [*b]\n",
		want: `{"base":{"region":"eu","size":2},"node":{"region":"eu","size":5},"list":[{"region":"eu","size":2}]}`,
	}, {
		name: "non-string keys are stringified",
		body: "200: ok\ntrue: yes\n1.5: x\n",
		want: `{"200":"ok","true":"yes","1.5":"x"}`,
	}, {
		name: "only the first document",
		body: "---\na: 1\n---\na: 2\n",
		want: `{"a":1}`,
	}, {
		name: "a list at the root",
		body: "- id: 1\n- id: 2\n",
		want: `[{"id":1},{"id":2}]`,
	}, {
		name: "comments only",
		body: "# nothing here\n",
		want: `null`,
	}, {
		name: "JSON is YAML",
		body: `{"a": [1, 2.5, "x"]}`,
		want: `{"a":[1,2.5,"x"]}`,
	}, {
		name: "infinity stays text",
		body: "x: .inf\n",
		want: `{"x":".inf"}`,
	}, {
		name: "syntax error",
		body: "a: [1, 2\n",
		err:  "yaml:",
	}, {
		name: "alias bomb",
		body: "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
		err:  "aliases expand to too many nodes",
	}}, decodeYAML)
}

func TestDecodeDelimited(t *testing.T) {
	csvCases := []decodeCase{{
		name: "export with quoting and typed cells",
		body: "\xef\xbb\xbfid,name,price,active,zip,note\r\n1,\"Lamp, desk\",12.5,true,007,\"said \"\"hi\"\"\"\r\n2,Chair,-3,false,01234,\"two\nlines\"\r\n",
		want: `[{"id":1,"name":"Lamp, desk","price":12.5,"active":true,"zip":"007","note":"said \"hi\""},
			{"id":2,"name":"Chair","price":-3,"active":false,"zip":"01234","note":"two\nlines"}]`,
	}, {
		name: "short and long rows, blank lines",
		body: "a,b,c\n1,2\n\n4,5,6,7\n",
		want: `[{"a":1,"b":2,"c":""},{"a":4,"b":5,"c":6}]`,
	}, {
		name: "duplicate and empty headers",
		body: "name,name,,name\nx,y,z,w\n",
		want: `[{"name":"x","name_2":"y","column_3":"z","name_3":"w"}]`,
	}, {
		name: "header alone",
		body: "id,name\n",
		want: `[]`,
	}, {
		name: "bad quoting",
		body: "a,b\n1,\"open\n",
		err:  "extraneous or missing \" in quoted-field",
	}}
	runDecodeCases(t, csvCases, func(b []byte) (any, error) { return decodeDelimited(b, ',') })
	runDecodeCases(t, []decodeCase{{
		name: "tsv",
		body: "gene\tcount\tratio\nBRCA1\t12\t0.5\nTP53\t\t1.50\n",
		want: `[{"gene":"BRCA1","count":12,"ratio":0.5},{"gene":"TP53","count":"","ratio":"1.50"}]`,
	}}, func(b []byte) (any, error) { return decodeDelimited(b, '\t') })
	runDecodeCases(t, []decodeCase{{
		name: "psv",
		body: "host|port|up\nweb-1|8080|true\n",
		want: `[{"host":"web-1","port":8080,"up":true}]`,
	}}, func(b []byte) (any, error) { return decodeDelimited(b, '|') })
}

const pageHTML = `<!DOCTYPE html>
<html><head><title>Rates</title><style>td{color:red}</style></head>
<body>
<nav><table class="layout"><tr><td>menu</td></tr></table></nav>
<div id="main" class="content wide">
  <h2>Exchange rates</h2>
  <table id="rates" class="data sortable" data-kind="fx">
    <caption>EUR rates</caption>
    <thead><tr><th>Currency</th><th>Rate</th><th> Change&nbsp;% </th></tr></thead>
    <tbody>
      <tr><td>USD</td><td>1.0842</td><td>-0.12</td></tr>
      <tr><td>GBP</td><td>0.8571</td></tr>
      <tr><th colspan="3">Exotic</th></tr>
      <tr><td>
        JPY <br>(yen)</td><td>162.3</td><td>0.4</td><td>extra</td></tr>
    </tbody>
    <tfoot><tr><td>Source</td><td>ECB</td><td></td></tr></tfoot>
  </table>
  <section class="history">
    <table>
      <tr><th>Year</th><th>Avg</th></tr>
      <tr><td>2024</td><td>1.08</td></tr>
      <tr><td>2025</td><td>1.1</td></tr>
    </table>
    <table><tr><td>Key</td><td>Value</td></tr><tr><td>a</td><td>007</td></tr></table>
  </section>
  <table><tr><td></td><td> </td></tr><tr><td>x</td><td>y</td></tr></table>
</div>
</body></html>`

func TestDecodeHTML(t *testing.T) {
	rates := `[{"Currency":"USD","Rate":1.0842,"Change %":-0.12},{"Currency":"GBP","Rate":0.8571,"Change %":""},{"Currency":"JPY (yen)","Rate":162.3,"Change %":0.4}]`
	history := `[{"Year":2024,"Avg":1.08},{"Year":2025,"Avg":1.1}]`
	kv := `[{"Key":"a","Value":"007"}]`
	for _, tc := range []struct{ sel, want string }{
		{"", `{"tables":[[],` + rates + `,` + history + `,` + kv + `]}`},
		{"#rates", `{"tables":[` + rates + `]}`},
		{"table.data", `{"tables":[` + rates + `]}`},
		{"[data-kind=fx]", `{"tables":[` + rates + `]}`},
		{"[data-kind='fx' i]", `{"tables":[` + rates + `]}`},
		{"[data-kind]", `{"tables":[` + rates + `]}`},
		{".history", `{"tables":[` + history + `,` + kv + `]}`},
		{"section > table:nth-of-type(2)", `{"tables":[` + kv + `]}`},
		{"div#main > table:nth-of-type(2)", `{"tables":[` + `]}`},
		{"div.content table.sortable, section table:first-of-type", `{"tables":[` + rates + `,` + history + `]}`},
		{"body section", `{"tables":[` + history + `,` + kv + `]}`},
		{"main", `{"tables":[]}`},
		{"#main", `{"tables":[` + rates + `,` + history + `,` + kv + `]}`},
		{"nav table", `{"tables":[[]]}`},
	} {
		t.Run(tc.sel, func(t *testing.T) {
			var sel *selector
			if tc.sel != "" {
				var err error
				if sel, err = compileSelector(tc.sel); err != nil {
					t.Fatal(err)
				}
			}
			v, err := decodeHTML([]byte(pageHTML), sel)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := treeJSON(t, v), canon(t, tc.want); got != want {
				t.Errorf("tree = %s\nwant   %s", got, want)
			}
		})
	}
}

func TestCompileSelectorErrors(t *testing.T) {
	for in, want := range map[string]string{
		"table +p":          `the '+' combinator is not supported`,
		"div ~ table":       `the '~' combinator is not supported`,
		"table:hover":       "the pseudo-class :hover is not supported",
		"table:nth-of-type": ":nth-of-type needs an argument",
		"td:nth-child(x)":   "expected an integer, odd, even or an+b",
		"[data-x":           "missing ]",
		"[=x]":              "expected an attribute name",
		"#":                 "expected a name after #",
		"table,":            "expected a selector",
		"a >":               "expected a selector",
		"p::before":         "pseudo-elements are not supported",
		"[a='x]":            "unterminated string",
		"table{":            `unexpected "{"`,
		"div:nth-of-type(2": "missing )",
	} {
		_, err := compileSelector(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("compileSelector(%q) error = %v, want %q", in, err, want)
		}
	}
	for _, ok := range []string{"*", "tr:nth-child(2n+1)", "li:nth-last-of-type(-n+3)", "td:only-child", `#a\:b`, `[href^="https://"]`, "td:nth-of-type(odd)"} {
		if _, err := compileSelector(ok); err != nil {
			t.Errorf("compileSelector(%q): %v", ok, err)
		}
	}
}

const readme = `---
title: Release notes
version: 2.1
tags: [api, cli]
---
# Project

Intro text with **bold**.

## Results

| Test | Passed | Time (s) |
|:-----|-------:|:--------:|
| unit | true | 1.50 |
| e2e \| smoke | false | 12 |

Summary paragraph.

- first *item*
- second
  - nested a
  - nested b
- third
    continued

### Details

1. one
2) two-paren

` + "```" + `
- not a list
| not | a table |
` + "```" + `

## Other

* star
+ plus

| a | b |
|---|---|
| 1 | 2 |
`

func TestDecodeMarkdown(t *testing.T) {
	resultsTable := `[{"Test":"unit","Passed":true,"Time (s)":"1.50"},{"Test":"e2e | smoke","Passed":false,"Time (s)":12}]`
	otherTable := `[{"a":1,"b":2}]`
	results := `{"heading":"Results","level":2,"content":"Summary paragraph.\n\n- first *item*\n- second\n  - nested a\n  - nested b\n- third\n    continued"}`
	details := `{"heading":"Details","level":3,"content":"1. one\n2) two-paren\n\n` + "```" + `\n- not a list\n| not | a table |\n` + "```" + `"}`
	lists := `["first *item*","second","third continued"],["nested a","nested b"],["one"],["two-paren"]`
	front := `{"title":"Release notes","version":2.1,"tags":["api","cli"]}`
	for _, tc := range []struct{ heading, want string }{
		{"", `{"frontMatter":` + front + `,"tables":[` + resultsTable + `,` + otherTable + `],"lists":[` + lists + `,["star"],["plus"]],
			"sections":[{"heading":"Project","level":1,"content":"Intro text with **bold**."},` + results + `,` + details + `,{"heading":"Other","level":2,"content":"* star\n+ plus"}]}`},
		{"Results", `{"frontMatter":` + front + `,"tables":[` + resultsTable + `],"lists":[` + lists + `],"sections":[` + results + `,` + details + `]}`},
		{"## Res", `{"frontMatter":` + front + `,"tables":[` + resultsTable + `],"lists":[` + lists + `],"sections":[` + results + `,` + details + `]}`},
		{"### Details", `{"frontMatter":` + front + `,"tables":[],"lists":[["one"],["two-paren"]],"sections":[` + details + `]}`},
		{"# Results", `{"frontMatter":` + front + `,"tables":[],"lists":[],"sections":[]}`},
	} {
		t.Run(tc.heading, func(t *testing.T) {
			v, err := decodeMarkdown([]byte(readme), tc.heading)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := treeJSON(t, v), canon(t, tc.want); got != want {
				t.Errorf("tree = %s\nwant   %s", got, want)
			}
		})
	}
	v, _ := decodeMarkdown([]byte("plain text, no structure"), "")
	if got := treeJSON(t, v); got != `{"frontMatter":{},"lists":[],"sections":[],"tables":[]}` {
		t.Errorf("plain = %s", got)
	}
}

func TestSelectorMatching(t *testing.T) {
	page := `<ul id=l><li class="a b" data-x="Foo-bar" lang="en-GB">1</li><li data-x="foo">2</li><li>3</li><li>4</li><p>5</p></ul>`
	for sel, want := range map[string]string{
		`li[data-x^=Foo]`:          "1",
		`li[data-x$=bar]`:          "1",
		`li[data-x*=o-b]`:          "1",
		`li[data-x="FOO" i]`:       "2",
		`li[class~=b]`:             "1",
		`li[lang|=en]`:             "1",
		`li[data-x^=""]`:           "",
		`li:nth-child(2n)`:         "2 4",
		`li:nth-child(-n+2)`:       "1 2",
		`li:nth-last-child(2)`:     "4",
		`li:nth-of-type(n+3)`:      "3 4",
		`li:last-of-type`:          "4",
		`p:only-of-type`:           "5",
		`ul > *:last-child`:        "5",
		`#l .a.b`:                  "1",
		`ul li:nth-of-type(even)`:  "2 4",
		`li:nth-child( 3 )`:        "3",
		`p:first-child, li.a`:      "1",
		`ul:only-child`:            "12345",
		`li:nth-child(0n+1)`:       "1",
		`[data-x]:not-there`:       "error",
		`li:nth-last-of-type(odd)`: "2 4",
	} {
		s, err := compileSelector(sel)
		if err != nil {
			if want != "error" {
				t.Errorf("%s: %v", sel, err)
			}
			continue
		}
		doc, _ := decodeHTMLDoc(page)
		var got []string
		for _, n := range s.selectAll(doc) {
			got = append(got, nodeText(n))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s matched %q, want %q", sel, strings.Join(got, " "), want)
		}
	}
}

func decodeHTMLDoc(s string) (*html.Node, error) { return html.Parse(strings.NewReader(s)) }
