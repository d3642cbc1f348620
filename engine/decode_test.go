package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/naftiko/naftiko/engine/decode"
)

// mustJSON decodes expected JSON text as a response body would be.
func mustJSON(t testing.TB, s string) any {
	t.Helper()
	v, err := decode.JSON([]byte(s))
	if err != nil {
		t.Fatalf("bad expected JSON %s: %v", s, err)
	}
	return v
}

func TestContentFormat(t *testing.T) {
	for ct, want := range map[string]string{
		"application/json": "json", "application/json; charset=utf-8": "json", "application/problem+json": "json",
		"Application/JSON": "json", "application/xml": "xml", "text/xml; charset=iso-8859-1": "xml", "application/atom+xml": "xml",
		"application/yaml": "yaml", "application/x-yaml": "yaml", "application/vnd.foo+yaml": "yaml", "text/csv": "csv",
		"text/tab-separated-values": "tsv", "text/plain": "", "text/html": "", "application/octet-stream": "", "": "",
	} {
		if got := contentFormat(ct); got != want {
			t.Errorf("contentFormat(%q) = %q, want %q", ct, got, want)
		}
	}
}

// formatDoc declares one operation per response format.
const formatDoc = `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: f
    baseUri: https://f.example.com
    resources:
    - name: r
      path: /r
      operations:
      - {name: json, outputParameters: [{name: n, type: integer, value: $.n}]}
      - {name: xml, outputRawFormat: xml}
      - {name: yaml, outputRawFormat: YAML}
      - {name: csv, outputRawFormat: csv}
      - {name: psv, outputRawFormat: psv}
      - {name: html, outputRawFormat: html, outputSchema: '#t'}
      - {name: badsel, outputRawFormat: html, outputSchema: 'table +p'}
      - {name: md, outputRawFormat: markdown, outputSchema: Data}
      - {name: text, outputRawFormat: text}
      - {name: binary, outputRawFormat: binary}
      - {name: avro, outputRawFormat: avro}
      - name: typed
        outputRawFormat: xml
        outputParameters:
        - {name: ids, type: array, value: $.item.id}
        - {name: count, type: string, value: $.count}
        - {name: obj, type: object, value: $.count}
`

func TestResponseFormatsThroughCall(t *testing.T) {
	c := parse(t, formatDoc)
	type answer struct{ ct, body string }
	for _, tc := range []struct {
		op   string
		ans  answer
		want string
		err  string
		warn string
	}{
		{op: "json", ans: answer{"application/json", `{"n":"42"}`}, want: `42`},
		{op: "json", ans: answer{"text/plain", `{"n":7}`}, want: `7`},
		{op: "json", ans: answer{"application/xml", `<r><n>5</n></r>`}, want: `5`, warn: "contradicts outputRawFormat"},
		{op: "json", ans: answer{"application/xml; charset=utf-8", `{"n":3}`}, want: `3`, warn: "decoding it as json"},
		{op: "json", ans: answer{"application/xml", `<<<`},
			err: `output: json: the response body is not valid xml or json (Content-Type: application/xml): invalid character '<' looking for beginning of value; it begins "<<<"`},
		{op: "json", ans: answer{"text/html", `<html><body>Sign in</body></html>`},
			err: `output: json: the response body is not valid json (Content-Type: text/html): invalid character '<' looking for beginning of value; it begins "<html><body>Sign in</body></html>"`},
		{op: "xml", ans: answer{"application/xml", `<a><b>1</b><b>2</b></a>`}, want: `{"b":[1,2]}`},
		{op: "xml", ans: answer{"application/json", `{"b":1}`}, want: `{"b":1}`, warn: "contradicts"},
		{op: "yaml", ans: answer{"application/x-yaml", "a: 1\n"}, want: `{"a":1}`},
		{op: "csv", ans: answer{"text/csv", "a,b\n1,x\n"}, want: `[{"a":1,"b":"x"}]`},
		{op: "psv", ans: answer{"text/csv", "a|b\n1|x\n"}, want: `[{"a":1,"b":"x"}]`},
		{op: "html", ans: answer{"text/html", `<table><tr><th>x</th></tr><tr><td>0</td></tr></table><table id=t><tr><th>y</th></tr><tr><td>1</td></tr></table>`}, want: `{"tables":[[{"y":1}]]}`},
		{op: "badsel", ans: answer{"text/html", `<table></table>`},
			err: "spec: badsel: outputSchema \"table +p\" is not a valid CSS selector: at offset 6: the '+' combinator is not supported (test.yaml:17:9)"},
		{op: "md", ans: answer{"text/markdown", "# Data\n| k |\n|---|\n| v |\n# Else\n- x\n"}, want: `{"frontMatter":{},"tables":[[{"k":"v"}]],"lists":[],"sections":[{"heading":"Data","level":1,"content":""}]}`},
		{op: "text", ans: answer{"application/json", "caf\xe9 {"}, want: `"caf\ufffd {"`, warn: "not valid UTF-8"},
		{op: "binary", ans: answer{"application/octet-stream", "\x89PNG\r\n"}, want: `"iVBORw0K"`},
		{op: "avro", ans: answer{"application/avro", "x"}, err: "output: avro: outputRawFormat `avro` is not supported by this version of naftiko"},
		{op: "typed", ans: answer{"application/xml", `<r><item><id>9</id></item><count>3</count></r>`}, want: `{"count":"3","ids":[9],"obj":3}`, warn: "output obj is declared object but the response gives a number"},
	} {
		t.Run(tc.op+" "+tc.ans.ct, func(t *testing.T) {
			u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ans.ct)
				io.WriteString(w, tc.ans.body)
			})
			var logs bytes.Buffer
			e := newEngine(t, c, u, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			res, err := e.Call(context.Background(), tc.op, nil)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error = %v\nwant    %s", err, tc.err)
				}
				if strings.HasPrefix(tc.err, "spec:") && len(u.requests()) != 0 {
					t.Error("a request was sent")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !equalJSON(res.Value, mustJSON(t, tc.want)) {
				got, _ := marshalJSON(res.Value)
				t.Errorf("value = %s, want %s", got, tc.want)
			}
			if tc.warn != "" && !strings.Contains(logs.String(), tc.warn) {
				t.Errorf("logs %q lack %q", logs.String(), tc.warn)
			}
			if tc.warn == "" && strings.Contains(logs.String(), "level=WARN") {
				t.Errorf("unexpected warning %q", logs.String())
			}
		})
	}
}

func TestUpstreamErrorBodyByContentType(t *testing.T) {
	c := parse(t, formatDoc)
	u := newUpstream(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(404)
		io.WriteString(w, `<error><code>NoSuchKey</code></error>`)
	})
	e := newEngine(t, c, u)
	_, err := e.Call(context.Background(), "json", nil)
	se := wantErr(t, err, KindUpstream, "upstream: json: upstream answered 404 Not Found")
	if b, _ := json.Marshal(se.Body); string(b) != `{"code":"NoSuchKey"}` {
		t.Errorf("body = %s", b)
	}
}
