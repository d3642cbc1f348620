package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// stdioTransport is the MCP stdio transport with malformed frames
// answered rather than fatal. The go-sdk reads stdin as one JSON stream:
// a line that is not JSON ends the session (go-sdk issue #976), and the
// server would stop serving. Frames are newline-delimited (MCP stdio
// transport), so each line is checked here first: a line that is not JSON
// gets a -32700 parse error, one that is JSON but not a JSON-RPC message
// object a -32600 invalid request, both with id null, and serving goes on.
// Good lines go to the SDK, with the _meta of a sessionless request
// completed (completeMeta).
//
// Closing the transport's reader closes in too (readCloser leaves
// os.Stdin open), which ends the filter.
func stdioTransport(in io.ReadCloser, out io.Writer) mcp.Transport {
	w := &lockedWriter{w: out}
	pr, pw := io.Pipe()
	go filterFrames(in, pw, w)
	return &mcp.IOTransport{Reader: &pipeReader{PipeReader: pr, in: in}, Writer: w}
}

// pipeReader is the SDK's end of the filtered stream.
type pipeReader struct {
	*io.PipeReader
	in io.Closer
}

func (p *pipeReader) Close() error {
	p.PipeReader.Close()
	return p.in.Close()
}

// filterFrames copies the JSON-RPC lines of in to pw and answers the
// others on out; it closes pw with in's error (nil at EOF).
func filterFrames(in io.Reader, pw *io.PipeWriter, out *lockedWriter) {
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if frame := bytes.TrimSpace(line); len(frame) > 0 {
			if code, msg := frameProblem(frame); code != 0 {
				out.writeError(code, msg)
			} else if _, werr := pw.Write(append(stdioMeta(frame), '\n')); werr != nil {
				return // the session is over
			}
		}
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			pw.CloseWithError(err)
			return
		}
	}
}

// stdioMeta completes the _meta of a sessionless request (see
// completeMeta); stdio names no protocol version of its own.
func stdioMeta(frame []byte) []byte {
	if !bytes.Contains(frame, []byte("server/discover")) && !bytes.Contains(frame, []byte(mcp.MetaKeyProtocolVersion)) {
		return frame
	}
	var p probe
	if json.Unmarshal(frame, &p) != nil {
		return frame
	}
	if f, ok := metaNeeds(&p, ""); ok {
		return completeMeta(frame, f)
	}
	return frame
}

// frameProblem returns the JSON-RPC error code of a frame that is not a
// JSON-RPC message (0 when it is one) and its message.
func frameProblem(frame []byte) (int64, string) {
	if !json.Valid(frame) {
		return jsonrpc.CodeParseError, "Parse error: the line is not JSON"
	}
	if frame[0] != '{' && frame[0] != '[' {
		return jsonrpc.CodeInvalidRequest, "Invalid Request: a JSON-RPC message is a JSON object"
	}
	return 0, ""
}

// lockedWriter serialises whole frames written by the SDK and by the
// frame filter.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) Close() error { return nil }

// writeError writes a JSON-RPC error response with id null.
func (l *lockedWriter) writeError(code int64, msg string) {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": nil, "error": map[string]any{"code": code, "message": msg}})
	l.Write(append(b, '\n'))
}
