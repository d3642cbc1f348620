package serve

import (
	"context"
	"encoding/base64"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/spec"
)

var (
	testPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	testWAV = []byte("RIFF\x26\x00\x00\x00WAVEfmt ")
	testPDF = []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
)

const contentDoc = `naftiko: 1.0.0-alpha2
capability:
  consumes:
  - type: http
    namespace: up
    baseUri: UPSTREAM
    resources:
    - name: files
      path: /files
      operations:
      - {name: png, method: GET, path: /png, outputRawFormat: binary}
      - {name: wav, method: GET, path: /wav, outputRawFormat: binary}
      - {name: pdf, method: GET, path: /pdf, outputRawFormat: binary}
      - {name: mixed, method: GET, path: /mixed, outputRawFormat: binary}
      - {name: empty, method: GET, path: /empty}
      - {name: json, method: GET, path: /json}
      - {name: big, method: GET, path: /big, outputRawFormat: binary}
  exposes:
  - type: mcp
    namespace: content
    port: 0
    tools:
    - {name: png, description: An image, call: up.png}
    - {name: wav, description: A sound, call: up.wav}
    - {name: pdf, description: A document, call: up.pdf}
    - {name: mixed, description: Several parts, call: up.mixed}
    - {name: empty, description: An empty 200, call: up.empty}
    - {name: json, description: JSON stays text, call: up.json}
    - {name: big, description: Over the cap, call: up.big}
    resources:
    - {name: picture, uri: 'files://picture', call: up.png}
    - {name: doc, uri: 'files://doc', call: up.pdf}
    prompts:
    - {name: look, description: An image prompt, location: 'file://./look.png'}
    - {name: read, description: A document prompt, location: 'file://./read.pdf'}
`

// TestContentTypes maps upstream answers to MCP content: image/* and
// audio/* to image and audio content, other binaries to embedded blob
// resources, multipart answers to one block per part, an empty body to
// no content; resources and prompts likewise.
func TestContentTypes(t *testing.T) {
	mux := http.NewServeMux()
	send := func(ct string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			w.Write(body)
		}
	}
	mux.HandleFunc("GET /files/png", send("image/png", testPNG))
	mux.HandleFunc("GET /files/wav", send("audio/wav", testWAV))
	mux.HandleFunc("GET /files/pdf", send("application/pdf", testPDF))
	mux.HandleFunc("GET /files/empty", send("application/json", nil))
	mux.HandleFunc("GET /files/big", send("application/octet-stream", make([]byte, 1024)))
	mux.HandleFunc("GET /files/json", send("application/json", []byte(`{"a":1}`)))
	mux.HandleFunc("GET /files/mixed", func(w http.ResponseWriter, r *http.Request) {
		mw := multipart.NewWriter(w)
		w.Header().Set("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
		for _, p := range [][2]string{{"text/plain", "Caption"}, {"image/png", string(testPNG)}, {"application/json", `{"b":2}`}, {"application/zip", "PK\x03\x04\xff"}} {
			pw, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p[0]}})
			io.WriteString(pw, p[1])
		}
		mw.Close()
	})
	up := httptest.NewServer(mux)
	t.Cleanup(up.Close)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "look.png"), testPNG, 0o644)
	os.WriteFile(filepath.Join(dir, "read.pdf"), testPDF, 0o644)
	c := parseAt(t, strings.ReplaceAll(contentDoc, "UPSTREAM", up.URL), filepath.Join(dir, "cap.yaml"))
	s, err := New(c, WithRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	cs := connect(t, s.MCPServer("content"))
	ctx := context.Background()
	b64 := base64.StdEncoding.EncodeToString
	for tool, want := range map[string]string{
		"png": `{"content":[{"type":"image","mimeType":"image/png","data":"` + b64(testPNG) + `"}]}`,
		"wav": `{"content":[{"type":"audio","mimeType":"audio/wav","data":"` + b64(testWAV) + `"}]}`,
		"pdf": `{"content":[{"type":"resource","resource":{"uri":"naftiko://tools/pdf","mimeType":"application/pdf","blob":"` + b64(testPDF) + `"}}]}`,
		"mixed": `{"content":[{"type":"text","text":"Caption"},{"type":"image","mimeType":"image/png","data":"` + b64(testPNG) + `"},` +
			`{"type":"resource","resource":{"uri":"naftiko://tools/mixed#part-3","mimeType":"application/json","text":"{\"b\":2}"}},` +
			`{"type":"resource","resource":{"uri":"naftiko://tools/mixed#part-4","mimeType":"application/zip","blob":"` + b64([]byte("PK\x03\x04\xff")) + `"}}]}`,
		"empty": `{"content":[]}`,
		"json":  `{"content":[{"type":"text","text":"{\"a\":1}"}],"structuredContent":{"a":1}}`,
	} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool})
		if err != nil {
			t.Fatalf("%s: %v", tool, err)
		}
		if got := resultJSON(t, res); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tool, got, want)
		}
	}

	for uri, want := range map[string]string{
		"files://picture": `{"contents":[{"uri":"files://picture","mimeType":"image/png","blob":"` + b64(testPNG) + `"}]}`,
		"files://doc":     `{"contents":[{"uri":"files://doc","mimeType":"application/pdf","blob":"` + b64(testPDF) + `"}]}`,
	} {
		res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
		if err != nil {
			t.Fatalf("%s: %v", uri, err)
		}
		if got := `{"contents":` + jsonOf(t, res.Contents) + `}`; got != want {
			t.Errorf("%s:\n got %s\nwant %s", uri, got, want)
		}
	}

	for name, want := range map[string]string{
		"look": `{"description":"An image prompt","messages":[{"content":{"type":"image","mimeType":"image/png","data":"` + b64(testPNG) + `"},"role":"user"}]}`,
		"read": `{"description":"A document prompt","messages":[{"content":{"type":"resource","resource":{"uri":"file://./read.pdf","mimeType":"application/pdf","blob":"` + b64(testPDF) + `"}},"role":"user"}]}`,
	} {
		res, err := cs.GetPrompt(ctx, &mcp.GetPromptParams{Name: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := `{"description":"` + res.Description + `","messages":` + jsonOf(t, res.Messages) + `}`; got != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}

	// A binary over the cap is an error result, not a cut image.
	small, err := New(parseAt(t, strings.ReplaceAll(contentDoc, "UPSTREAM", up.URL), filepath.Join(dir, "cap.yaml")), WithRetries(0), WithMaxResult(512))
	if err != nil {
		t.Fatal(err)
	}
	text, _, isErr := callTool(t, connect(t, small.MCPServer("content")), "big", nil)
	if !isErr || text != "output: the result is 1368 bytes once encoded, over the limit of 512 bytes; narrow the request or raise --mcp-max-result" {
		t.Errorf("over the cap: %v %q", isErr, text)
	}
}

// parseAt loads a capability from YAML as if it were the file path.
func parseAt(t testing.TB, src, path string) *spec.Capability {
	t.Helper()
	c, err := spec.Parse([]byte(src), path)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return c
}

// resultJSON is a tool result's content, structuredContent and isError
// as JSON, without the protocol's _meta.
func resultJSON(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	return jsonOf(t, &mcp.CallToolResult{Content: res.Content, StructuredContent: res.StructuredContent, IsError: res.IsError})
}
