package serve

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/naftiko/naftiko/engine"
)

// part is one piece of a binary or multipart upstream answer: its media
// type and bytes.
type part struct {
	mimeType string
	data     []byte
}

// maxParts bounds the parts read from one multipart answer.
const maxParts = 64

// binaryParts returns the parts of an upstream answer that MCP carries as
// content blocks rather than JSON: nil unless the element passes the
// answer through (no outputs of its own or of the operation) and the
// operation declares `outputRawFormat: binary`. The answer's Content-Type
// says what each part is; a multipart/* answer gives one part per body
// part.
func binaryParts(el *element, res *engine.Result) []part {
	if len(el.Outputs) > 0 || res.Outputs != nil || len(res.Body) == 0 {
		return nil
	}
	ct := res.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = ""
	}
	declared := ""
	if el.Target != nil && el.Target.Source.Op != nil {
		declared = strings.ToLower(el.Target.Source.Op.OutputRawFormat)
	}
	if declared != "binary" {
		return nil
	}
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" {
		if parts := multiParts(res.Body, params["boundary"]); len(parts) > 0 {
			return parts
		}
	}
	if mt == "" {
		mt = "application/octet-stream"
	}
	return []part{{mimeType: mt, data: res.Body}}
}

// multiParts reads the parts of a multipart body; nil when it is not
// well formed.
func multiParts(body []byte, boundary string) []part {
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var out []part
	for len(out) < maxParts {
		p, err := r.NextRawPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return nil
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil
		}
		mt, _, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			mt = "text/plain" // RFC 2046 §5.1: the default of a body part
		}
		out = append(out, part{mimeType: mt, data: data})
	}
	return out
}

// textual reports whether a media type is text a client can read as it
// is (text/*, JSON, XML, YAML), provided the bytes are UTF-8.
func textual(mt string, data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/xml", strings.HasSuffix(mt, "+xml"),
		mt == "application/yaml", mt == "application/x-yaml", strings.HasSuffix(mt, "+yaml"):
		return true
	}
	return false
}

// partURI names the embedded resource that carries a part: the element
// and, for a multipart answer, the part's position.
func partURI(base string, i, n int) string {
	if n == 1 {
		return base
	}
	return base + "#part-" + strconv.Itoa(i+1)
}

// contentOf turns parts into MCP content: image/* and audio/* as image
// and audio content, text/* as text, anything else as an embedded
// resource (text when it is readable text, else a base64 blob).
func contentOf(parts []part, uri string) []mcp.Content {
	out := make([]mcp.Content, 0, len(parts))
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p.mimeType, "image/"):
			out = append(out, &mcp.ImageContent{MIMEType: p.mimeType, Data: p.data})
		case strings.HasPrefix(p.mimeType, "audio/"):
			out = append(out, &mcp.AudioContent{MIMEType: p.mimeType, Data: p.data})
		case strings.HasPrefix(p.mimeType, "text/") && utf8.Valid(p.data):
			out = append(out, &mcp.TextContent{Text: string(p.data)})
		default:
			out = append(out, &mcp.EmbeddedResource{Resource: resourceContents(partURI(uri, i, len(parts)), p)})
		}
	}
	return out
}

// resourceContents carries a part as resource contents: text when it is
// readable text, else a blob.
func resourceContents(uri string, p part) *mcp.ResourceContents {
	c := &mcp.ResourceContents{URI: uri, MIMEType: p.mimeType}
	if textual(p.mimeType, p.data) {
		c.Text = string(p.data)
	} else {
		c.Blob = p.data
	}
	return c
}

// partsSize is the number of bytes the parts put on the wire (base64 for
// binaries).
func partsSize(parts []part) int {
	n := 0
	for _, p := range parts {
		if strings.HasPrefix(p.mimeType, "text/") && utf8.Valid(p.data) {
			n += len(p.data)
		} else {
			n += (len(p.data) + 2) / 3 * 4
		}
	}
	return n
}

// partsTooBig is the error text of an answer over the result cap.
func partsTooBig(size, limit int) string {
	return fmt.Sprintf("the result is %d bytes once encoded, over the limit of %d bytes; narrow the request or raise --mcp-max-result", size, limit)
}

// promptMedia returns a prompt file as a part when it is an image, audio
// or not UTF-8 text (its type from the extension, else sniffed); nil for
// text, which stays a text message.
func promptMedia(path string, data []byte) *part {
	mt, _, err := mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(path)))
	if err != nil || mt == "" {
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(data))
	}
	if utf8.Valid(data) && !strings.HasPrefix(mt, "image/") && !strings.HasPrefix(mt, "audio/") {
		return nil
	}
	return &part{mimeType: mt, data: data}
}
