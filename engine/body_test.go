package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// bodyDoc declares one operation per body form of SPEC.md §6.8.
const bodyDoc = `naftiko: 1.0.0-alpha2
binds:
- namespace: env
  keys: {TOKEN: API_TOKEN}
capability:
  consumes:
  - type: http
    namespace: b
    baseUri: https://b.example.com
    resources:
    - name: r
      path: /r
      operations:
      - name: raw
        method: POST
        inputParameters: [{name: q, in: body}]
        body: '{"query": "{{q}}"}'
      - name: jsonArray
        method: POST
        inputParameters: [{name: n, in: body, type: integer}]
        body: {type: json, data: ['{{n}}', "literal", {k: '{{TOKEN}}'}]}
      - name: jsonString
        method: PUT
        body: {type: json, data: '{"id": {{id}}}'}
      - name: text
        method: POST
        body: {type: text, data: 'Hello {{who}}, "quoted" <b>'}
      - name: xml
        method: POST
        body: {type: xml, data: '<order><id>{{id}}</id></order>'}
      - name: sparql
        method: POST
        body: {type: sparql, data: 'SELECT ?s WHERE { ?s ?p "{{term}}" } LIMIT 10'}
      - name: form
        method: POST
        inputParameters: [{name: note, in: body, required: false}]
        body:
          type: formUrlEncoded
          data:
            grant_type: client_credentials
            scope: 'read write+admin'
            tags: '{{tags}}'
            note: '{{note}}'
            count: 3
      - name: formString
        method: POST
        body: {type: form, data: 'a=1&b={{b}}'}
      - name: formParams
        method: POST
        inputParameters: [{name: user name, in: body}, {name: roles, in: body, type: array}, {name: skip, in: body}]
        body: {type: formUrlEncoded}
      - name: jsonParams
        method: POST
        inputParameters: [{name: title, in: body}, {name: done, in: body, type: boolean}]
        body: {type: json}
      - name: binary
        method: PUT
        body: {type: binary, data: {kind: blob, size: '{{size}}'}}
      - name: binaryString
        method: PUT
        body: {type: binary, data: 'raw {{x}}'}
      - name: multipartMap
        method: POST
        body: {type: multipart, data: {title: 'Report {{n}}', "weird \"name\"": x}}
      - name: multipartParams
        method: POST
        inputParameters: [{name: caption, in: body}, {name: file, in: body}]
        body: {type: multipartForm}
      - name: multipartList
        method: POST
        body:
          type: multipartForm
          data:
          - {name: meta, value: '{"v": {{v}}}', contentType: application/json}
          - {name: note, value: 'inline text', filename: 'note.txt'}
          - {name: logo, value: '@./logo.png'}
          - {name: doc, value: '@./data/report.csv', filename: 'q1.csv', contentType: 'text/csv; charset=utf-8'}
          - {name: literal, value: '@@handle'}
          - {name: upload, value: '{{upload}}'}
`

func bodyEngine(t *testing.T) (*Engine, *upstream, string) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "logo.png"), []byte("\x89PNG\r\n\x1a\nfake"), 0o600)
	os.MkdirAll(filepath.Join(dir, "data"), 0o700)
	os.WriteFile(filepath.Join(dir, "data", "report.csv"), []byte("a,b\n1,2\n"), 0o600)
	path := filepath.Join(dir, "cap.yaml")
	os.WriteFile(path, []byte(bodyDoc), 0o600)
	c := loadFile(t, path)
	u := newUpstream(t, jsonAnswer(200, `{}`))
	return newEngine(t, c, u, WithLookup(env(map[string]string{"API_TOKEN": "t0k3n"}))), u, dir
}

func TestBodiesOnTheWire(t *testing.T) {
	for _, tc := range []struct {
		op     string
		params map[string]any
		ct     string
		body   string
	}{
		{"raw", map[string]any{"q": `a "b"`}, "application/json", `{"query": "a "b""}`},
		{"jsonArray", map[string]any{"n": "5"}, "application/json", `[5,"literal",{"k":"t0k3n"}]`},
		{"jsonString", map[string]any{"id": "17"}, "application/json", `{"id": 17}`},
		{"text", map[string]any{"who": "Ann & Bob"}, "text/plain; charset=utf-8", `Hello Ann & Bob, "quoted" <b>`},
		{"xml", map[string]any{"id": "A<1>"}, "application/xml", `<order><id>A<1></id></order>`},
		{"sparql", map[string]any{"term": "café"}, "application/sparql-query", `SELECT ?s WHERE { ?s ?p "café" } LIMIT 10`},
		{"form", map[string]any{"tags": []any{"a b", "c+d"}}, "application/x-www-form-urlencoded",
			`grant_type=client_credentials&scope=read+write%2Badmin&tags=a+b&tags=c%2Bd&count=3`},
		{"form", map[string]any{"tags": "x", "note": "50% & more"}, "application/x-www-form-urlencoded",
			`grant_type=client_credentials&scope=read+write%2Badmin&tags=x&note=50%25+%26+more&count=3`},
		{"formString", map[string]any{"b": "2"}, "application/x-www-form-urlencoded", `a=1&b=2`},
		{"formParams", map[string]any{"user name": "Zoë Q", "roles": []string{"admin", "dev+ops"}}, "application/x-www-form-urlencoded",
			`user+name=Zo%C3%AB+Q&roles=admin&roles=dev%2Bops`},
		{"jsonParams", map[string]any{"title": "Buy milk", "done": "false"}, "application/json", `{"title":"Buy milk","done":false}`},
		{"binary", map[string]any{"size": int64(3)}, "application/octet-stream", `{"kind":"blob","size":3}`},
		{"binaryString", map[string]any{"x": "\x00\x01"}, "application/octet-stream", "raw \x00\x01"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			e, u, _ := bodyEngine(t)
			if _, err := e.Call(context.Background(), tc.op, tc.params); err != nil {
				t.Fatal(err)
			}
			got := u.only(t)
			if got.Header.Get("Content-Type") != tc.ct || got.Body != tc.body {
				t.Errorf("wire = %q %q\nwant   %q %q", got.Header.Get("Content-Type"), got.Body, tc.ct, tc.body)
			}
			if cl := got.Header.Get("Content-Length"); cl == "" && got.Body != "" {
				t.Error("no Content-Length")
			}
		})
	}
}

// multipartWire returns the body with the boundary replaced by BOUNDARY.
func multipartWire(t *testing.T, w wire) string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(w.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q", w.Header.Get("Content-Type"))
	}
	return strings.ReplaceAll(w.Body, params["boundary"], "BOUNDARY")
}

func TestMultipartOnTheWire(t *testing.T) {
	t.Run("map data is text parts, names escaped as browsers do", func(t *testing.T) {
		e, u, _ := bodyEngine(t)
		if _, err := e.Call(context.Background(), "multipartMap", map[string]any{"n": "7"}); err != nil {
			t.Fatal(err)
		}
		want := "--BOUNDARY\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nReport 7\r\n" +
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"weird %22name%22\"\r\n\r\nx\r\n--BOUNDARY--\r\n"
		if got := multipartWire(t, u.only(t)); got != want {
			t.Errorf("body:\n%q\nwant:\n%q", got, want)
		}
	})
	t.Run("list data with files streamed from the capability directory", func(t *testing.T) {
		e, u, dir := bodyEngine(t)
		upload := filepath.Join(dir, "data", "report.csv")
		if _, err := e.Call(context.Background(), "multipartList", map[string]any{"v": "1", "upload": "@" + upload}); err != nil {
			t.Fatal(err)
		}
		got := u.only(t)
		want := "--BOUNDARY\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"v\": 1}\r\n" +
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"note\"; filename=\"note.txt\"\r\nContent-Type: " + mime.TypeByExtension(".txt") + "\r\n\r\ninline text\r\n" +
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nfake\r\n" +
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"q1.csv\"\r\nContent-Type: text/csv; charset=utf-8\r\n\r\na,b\n1,2\n\r\n" +
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"literal\"\r\n\r\n@handle\r\n" +
			// A caller's @path is text unless the call allows file parts.
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"upload\"\r\n\r\n@" + upload + "\r\n--BOUNDARY--\r\n"
		if mime.TypeByExtension(".txt") == "" {
			want = strings.Replace(want, "Content-Type: \r\n", "Content-Type: application/octet-stream\r\n", 1)
		}
		if b := multipartWire(t, got); b != want {
			t.Errorf("body:\n%q\nwant:\n%q", b, want)
		}
		if got.Header.Get("Content-Length") != "" && got.Header.Get("Content-Length") != strconv.Itoa(len(got.Body)) {
			t.Errorf("Content-Length %s for %d bytes", got.Header.Get("Content-Length"), len(got.Body))
		}
	})
	t.Run("caller @path with WithFileParts, parts from in: body parameters", func(t *testing.T) {
		e, u, dir := bodyEngine(t)
		_, err := e.Call(context.Background(), "multipartParams",
			map[string]any{"caption": "Q1", "file": "@" + filepath.Join(dir, "logo.png")}, WithFileParts())
		if err != nil {
			t.Fatal(err)
		}
		want := "--BOUNDARY\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nQ1\r\n" +
			"--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nfake\r\n--BOUNDARY--\r\n"
		if b := multipartWire(t, u.only(t)); b != want {
			t.Errorf("body:\n%q\nwant:\n%q", b, want)
		}
	})
	t.Run("missing file is a usage error and nothing is sent", func(t *testing.T) {
		e, u, _ := bodyEngine(t)
		_, err := e.Call(context.Background(), "multipartParams", map[string]any{"file": "@/no/such/file.bin"}, WithFileParts())
		wantErr(t, err, KindUsage, "usage: multipartParams: multipart part file: stat /no/such/file.bin: no such file or directory")
		if len(u.requests()) != 0 {
			t.Error("request sent")
		}
	})
	t.Run("dry run shows the parts without reading files", func(t *testing.T) {
		e, _, dir := bodyEngine(t)
		pr, err := e.Prepare(context.Background(), mustResolve(t, e, "multipartList"), map[string]any{"v": "1", "upload": "x"})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		pr.Dump(&b)
		if !strings.Contains(b.String(), "<contents of "+filepath.Join(dir, "logo.png")+", 12 bytes>") {
			t.Errorf("dump:\n%s", b.String())
		}
		b.Reset()
		pr.Curl(&b)
		for _, want := range []string{"-F 'logo=@" + filepath.Join(dir, "logo.png") + ";filename=logo.png;type=image/png'", "--form-string 'literal=@handle'"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("curl lacks %q:\n%s", want, b.String())
			}
		}
		if strings.Contains(b.String(), "Content-Type") {
			t.Errorf("curl sets its own multipart Content-Type:\n%s", b.String())
		}
	})
}

// TestLargeUploadsAreStreamed sends a 100 MB file as a body file and as a
// multipart file part to a server that hashes what it reads, and checks
// that the process did not allocate anything near the file's size.
func TestLargeUploadsAreStreamed(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MB upload")
	}
	const size = 100 << 20
	dir := t.TempDir()
	path := filepath.Join(dir, "big.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil { // sparse: zeros, instant
		t.Fatal(err)
	}
	f.WriteAt([]byte("end"), size-3)
	f.Close()
	var got atomic.Int64
	var sum atomic.Value
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		got.Store(n)
		sum.Store(hex.EncodeToString(h.Sum(nil)))
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{}`)
	}))
	defer s.Close()
	doc := strings.Replace(bodyDoc, "'@./logo.png'", "'@./big.bin'", 1)
	os.WriteFile(filepath.Join(dir, "cap.yaml"), []byte(doc), 0o600)
	os.WriteFile(filepath.Join(dir, "logo.png"), nil, 0o600)
	os.MkdirAll(filepath.Join(dir, "data"), 0o700)
	os.WriteFile(filepath.Join(dir, "data", "report.csv"), nil, 0o600)
	c := loadFile(t, filepath.Join(dir, "cap.yaml"))
	e, err := New(c, WithHTTPClient(s.Client()), WithBaseURI("", s.URL), WithLookup(env(nil)))
	if err != nil {
		t.Fatal(err)
	}
	measure := func(name string, call func() error) {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := call(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("%s: %d MB allocated for a 100 MB upload", name, alloc>>20)
		}
	}
	measure("body file", func() error {
		_, err := e.Call(context.Background(), "binaryString", map[string]any{"x": "-"}, WithBodyFile(path))
		return err
	})
	if got.Load() != size {
		t.Errorf("server read %d bytes", got.Load())
	}
	measure("multipart file part", func() error {
		_, err := e.Call(context.Background(), "multipartList", map[string]any{"v": "1", "upload": "u"})
		return err
	})
	if got.Load() < size {
		t.Errorf("server read %d bytes", got.Load())
	}
}

func TestMoreBodyShapes(t *testing.T) {
	doc := `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: m
    baseUri: https://m.example.com
    resources:
    - name: r
      path: /r
      operations:
      - name: formList
        method: POST
        body: {type: formUrlEncoded, data: [{name: a, value: '1 2'}, {name: a, value: '{{b}}'}, {name: obj, value: {x: 1}}]}
      - name: textParam
        method: POST
        inputParameters: [{name: query, in: body}]
        body: {type: sparql}
      - name: xmlParams
        method: POST
        inputParameters: [{name: a, in: body}, {name: b, in: body, type: integer}]
        body: {type: xml}
      - name: textMap
        method: POST
        body: {type: text, data: {k: '{{v}}'}}
      - name: unknownType
        method: POST
        body: {type: graphql, data: '{ me { id } }'}
`
	c := parse(t, doc)
	for _, tc := range []struct {
		op     string
		params map[string]any
		ct     string
		body   string
		err    string
	}{
		{op: "formList", params: map[string]any{"b": "x&y"}, ct: "application/x-www-form-urlencoded", body: "a=1+2&a=x%26y&obj=%7B%22x%22%3A1%7D"},
		{op: "textParam", params: map[string]any{"query": "ASK { ?s ?p ?o }"}, ct: "application/sparql-query", body: "ASK { ?s ?p ?o }"},
		{op: "xmlParams", params: map[string]any{"a": "x", "b": "2"}, ct: "application/xml", body: `{"a":"x","b":2}`},
		{op: "textMap", params: map[string]any{"v": int64(3)}, ct: "text/plain; charset=utf-8", body: `{"k":3}`},
		{op: "unknownType", err: "spec: unknownType: body type `graphql` is not supported by this version of naftiko"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			u := newUpstream(t, jsonAnswer(200, `{}`))
			e := newEngine(t, c, u)
			_, err := e.Call(context.Background(), tc.op, tc.params)
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := u.only(t)
			if got.Header.Get("Content-Type") != tc.ct || got.Body != tc.body {
				t.Errorf("wire = %q %q\nwant   %q %q", got.Header.Get("Content-Type"), got.Body, tc.ct, tc.body)
			}
		})
	}
}
