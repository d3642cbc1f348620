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
// object (or whose id is neither a string, a number nor null) a -32600
// invalid request, both with id null, and serving goes on.
// Good lines go to the SDK, with the _meta of a sessionless request
// completed (completeMeta).
//
// At the end of stdin the SDK would close the session at once and drop
// the answers of the requests still running (a client that writes its
// requests and closes its end, as `printf … | naftiko serve` does, got
// nothing). So the filter keeps the ids of the requests it passed on and
// the writer crosses off each answered one; the SDK sees the end of its
// input only when none is left (or the session closes first).
//
// Closing the transport's reader closes in too (readCloser leaves
// os.Stdin open), which ends the filter.
func stdioTransport(in io.ReadCloser, out io.Writer) mcp.Transport {
	fl := &inflight{ids: map[string]int{}, closed: make(chan struct{})}
	w := &lockedWriter{w: out, answered: fl.answered}
	pr, pw := io.Pipe()
	go filterFrames(in, pw, w, fl)
	return &mcp.IOTransport{Reader: &pipeReader{PipeReader: pr, in: in, fl: fl}, Writer: w}
}

// pipeReader is the SDK's end of the filtered stream.
type pipeReader struct {
	*io.PipeReader
	in   io.Closer
	fl   *inflight
	once sync.Once
}

func (p *pipeReader) Close() error {
	p.once.Do(func() { close(p.fl.closed) })
	p.PipeReader.Close()
	return p.in.Close()
}

// inflight counts the requests passed to the SDK and not yet answered,
// by id.
type inflight struct {
	mu     sync.Mutex
	ids    map[string]int
	idle   chan struct{} // closed when ids empties while drain waits
	closed chan struct{} // closed when the SDK closes the transport
}

// msgIDs is what inflight reads of a message.
type msgIDs struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params struct {
		RequestID json.RawMessage `json:"requestId"`
	} `json:"params"`
}

// messages decodes a frame: one message or a batch.
func messages(frame []byte) []msgIDs {
	if frame[0] == '[' {
		var batch []msgIDs
		_ = json.Unmarshal(frame, &batch)
		return batch
	}
	var m msgIDs
	if json.Unmarshal(frame, &m) != nil {
		return nil
	}
	return []msgIDs{m}
}

// requested records the requests among the messages of a frame read from
// stdin. A cancelled request may get no answer: its cancellation crosses
// it off.
func (f *inflight) requested(msgs []msgIDs) {
	for _, m := range msgs {
		switch {
		case m.Method == "notifications/cancelled":
			f.done(m.Params.RequestID)
		case m.Method != "" && validID(m.ID):
			if key, ok := idKey(m.ID); ok {
				f.mu.Lock()
				f.ids[key]++
				f.mu.Unlock()
			}
		}
	}
}

// answered crosses off the requests a frame written by the SDK answers.
// The SDK writes a response as {"jsonrpc":"2.0","id":…,"result"|"error":…},
// so the id is read from the head of the frame without decoding a
// possibly large result.
func (f *inflight) answered(frame []byte) {
	const head = `{"jsonrpc":"2.0","id":`
	if rest, ok := bytes.CutPrefix(frame, []byte(head)); ok {
		var id json.RawMessage
		dec := json.NewDecoder(bytes.NewReader(rest))
		if dec.Decode(&id) == nil {
			next := rest[dec.InputOffset():]
			if bytes.HasPrefix(next, []byte(`,"result"`)) || bytes.HasPrefix(next, []byte(`,"error"`)) {
				f.done(id)
			}
			return
		}
	}
	for _, m := range messages(bytes.TrimSpace(frame)) {
		if m.Method == "" && len(m.ID) > 0 {
			f.done(m.ID)
		}
	}
}

func (f *inflight) done(id json.RawMessage) {
	key, ok := idKey(id)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := f.ids[key]; n > 1 {
		f.ids[key] = n - 1
	} else {
		delete(f.ids, key)
	}
	if len(f.ids) == 0 && f.idle != nil {
		close(f.idle)
		f.idle = nil
	}
}

// validID reports whether a request id is one JSON-RPC allows (a string
// or a number), which the SDK answers with that id; a request with another
// id is answered with id null or not at all, so it is not waited for.
func validID(id json.RawMessage) bool {
	return len(id) > 0 && (id[0] == '"' || id[0] == '-' || id[0] >= '0' && id[0] <= '9')
}

// idKey is an id in compact form, as ids are compared.
func idKey(id json.RawMessage) (string, bool) {
	var key bytes.Buffer
	if len(id) == 0 || json.Compact(&key, id) != nil {
		return "", false
	}
	return key.String(), true
}

// drain waits until every request passed on has been answered, or the
// SDK has closed the transport.
func (f *inflight) drain() {
	f.mu.Lock()
	if len(f.ids) == 0 {
		f.mu.Unlock()
		return
	}
	idle := make(chan struct{})
	f.idle = idle
	f.mu.Unlock()
	select {
	case <-idle:
	case <-f.closed:
	}
}

// filterFrames copies the JSON-RPC lines of in to pw and answers the
// others on out; at the end of in it waits for the requests in flight
// (see stdioTransport), then closes pw with in's error (nil at EOF).
func filterFrames(in io.Reader, pw *io.PipeWriter, out *lockedWriter, fl *inflight) {
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if frame := bytes.TrimSpace(line); len(frame) > 0 {
			if msgs, code, msg := frameProblem(frame); code != 0 {
				out.writeError(code, msg)
			} else {
				frame = stdioMeta(frame)
				fl.requested(msgs)
				if _, werr := pw.Write(append(frame, '\n')); werr != nil {
					return // the session is over
				}
			}
		}
		if err != nil {
			if err == io.EOF {
				err = nil
				fl.drain()
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
// JSON-RPC message (0 when it is one) and its message; for a good frame,
// its messages, decoded once for the frame filter.
func frameProblem(frame []byte) ([]msgIDs, int64, string) {
	if !json.Valid(frame) {
		return nil, jsonrpc.CodeParseError, "Parse error: the line is not JSON"
	}
	if frame[0] != '{' && frame[0] != '[' {
		return nil, jsonrpc.CodeInvalidRequest, "Invalid Request: a JSON-RPC message is a JSON object"
	}
	// An id that is not a string, a number or null ends the go-sdk's
	// session with a parse error, as a line that is not JSON does.
	msgs := messages(frame)
	for _, m := range msgs {
		if len(m.ID) > 0 && string(m.ID) != "null" && !validID(m.ID) {
			return nil, jsonrpc.CodeInvalidRequest, "Invalid Request: an id is a string, a number or null"
		}
	}
	return msgs, 0, ""
}

// lockedWriter serialises whole frames written by the SDK and by the
// frame filter; answered sees each frame the SDK writes (one message or
// batch per Write), once written.
type lockedWriter struct {
	mu       sync.Mutex
	w        io.Writer
	answered func([]byte)
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	n, err := l.write(p)
	if l.answered != nil {
		l.answered(p) // written or not, nothing more will come of it
	}
	return n, err
}

func (l *lockedWriter) write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) Close() error { return nil }

// writeError writes a JSON-RPC error response with id null.
func (l *lockedWriter) writeError(code int64, msg string) {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": nil, "error": map[string]any{"code": code, "message": msg}})
	l.write(append(b, '\n'))
}
