package engine

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/naftiko/naftiko/spec"
	"github.com/naftiko/naftiko/spec/jsonv"
)

// WithFileParts lets caller-supplied multipart values of the form @path
// name local files, streamed as file parts (the CLI's @path convention,
// SPEC.md §6.8). Without it such values are sent as text: a server must
// not let its callers read its files. Literal @path values written in the
// capability itself always name files, relative to the capability's
// directory.
func WithFileParts() CallOption {
	return func(c *callConfig) { c.fileParts = true }
}

// Content types of the bodies naftiko builds (SPEC.md §6.8).
const (
	ctJSON      = "application/json"
	ctText      = "text/plain; charset=utf-8"
	ctXML       = "application/xml"
	ctSPARQL    = "application/sparql-query"
	ctForm      = "application/x-www-form-urlencoded"
	ctOctet     = "application/octet-stream"
	ctMultipart = "multipart/form-data; boundary="
)

// body builds the request body (SPEC.md §6.8): --body or a body file
// first, then the operation's body: data, then the in: body parameters in
// the encoding of the body's type (json when there is no body:).
func (e *Engine) body(s *scope, pr *Prepared, cfg *callConfig) error {
	h := pr.Header
	setType := func(ct string) {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", ct)
		}
	}
	switch {
	case cfg.bodyFile != "":
		st, err := os.Stat(cfg.bodyFile)
		if err != nil {
			return &spec.Error{Kind: spec.KindUsage, Msg: "request body file: " + err.Error()}
		}
		if st.IsDir() {
			return &spec.Error{Kind: spec.KindUsage, Msg: "request body file " + cfg.bodyFile + " is a directory"}
		}
		pr.BodyFile = cfg.bodyFile
		setType(rawBodyType(s.p))
		return nil
	case cfg.hasRaw:
		pr.Body = cfg.rawBody
		setType(rawBodyType(s.p))
		return nil
	}
	b := s.p.Source.Op.Body
	if b != nil && b.Data != nil {
		return e.dataBody(s, pr, b, cfg, setType)
	}
	typ := "json"
	if b != nil && b.Type != "" {
		typ = b.Type
	}
	return e.paramBody(s, pr, typ, cfg, setType)
}

// dataBody builds the body from body: data.
func (e *Engine) dataBody(s *scope, pr *Prepared, b *spec.Body, cfg *callConfig, setType func(string)) error {
	switch b.Type {
	case "", "json":
		if b.Data.Kind == spec.DataString {
			str, err := s.bodyText(b.Data)
			if err != nil {
				return err
			}
			pr.Body = []byte(str)
		} else {
			v, _, err := s.data(b.Data, false)
			if err != nil {
				return err
			}
			data, err := jsonv.Marshal(v)
			if err != nil {
				return &spec.Error{Kind: spec.KindRequest, Pos: b.Pos, Msg: "body is not encodable as JSON: " + err.Error()}
			}
			pr.Body = data
		}
		setType(ctJSON)
	case "text", "xml", "sparql", "binary":
		str, err := s.bodyText(b.Data)
		if err != nil {
			return err
		}
		pr.Body = []byte(str)
		setType(textBodyType(b.Type))
	case "formUrlEncoded":
		if b.Data.Kind != spec.DataMap && b.Data.Kind != spec.DataList {
			str, err := s.bodyText(b.Data)
			if err != nil {
				return err
			}
			pr.Body = []byte(str)
			setType(ctForm)
			return nil
		}
		fields, err := s.formFields(b.Data)
		if err != nil {
			return err
		}
		pr.Body = encodeForm(fields)
		setType(ctForm)
	case "multipartForm":
		parts, err := s.dataParts(b.Data, cfg)
		if err != nil {
			return err
		}
		return e.multipart(pr, parts, setType)
	default:
		return &spec.Error{Kind: spec.KindSpec, Pos: b.Pos,
			Msg:  "body type `" + b.Type + "` is not supported by this version of naftiko",
			Hint: bodyTypes, Remedy: spec.RemedyBody}
	}
	return nil
}

// textBodyType is the Content-Type of a text-like body type.
func textBodyType(typ string) string {
	switch typ {
	case "text":
		return ctText
	case "xml":
		return ctXML
	case "sparql":
		return ctSPARQL
	case "binary":
		return ctOctet
	}
	return ctJSON
}

// bodyText renders body data as text: a string template as written (no
// quoting), a map or list as compact JSON, a scalar as its text.
func (s *scope) bodyText(d *spec.Data) (string, error) {
	switch d.Kind {
	case spec.DataString:
		if d.Tmpl == nil {
			return d.Text, nil
		}
		return s.text(d.Tmpl, inGeneral, nil)
	case spec.DataMap, spec.DataList:
		v, _, err := s.data(d, false)
		if err != nil {
			return "", err
		}
		out, err := jsonv.Marshal(v)
		if err != nil {
			return "", &spec.Error{Kind: spec.KindRequest, Pos: d.Pos, Msg: "body is not encodable as JSON: " + err.Error()}
		}
		return string(out), nil
	case spec.DataNull:
		return "", nil
	}
	return d.Text, nil
}

// formField is one name=value pair of a form body.
type formField struct{ name, value string }

// formFields renders form data: a map (entries in document order; a list
// value repeats its key) or a list of {name, value} entries. An absent
// optional placeholder leaves its field out.
func (s *scope) formFields(d *spec.Data) ([]formField, error) {
	var out []formField
	add := func(name string, v *spec.Data) error {
		val, omit, err := s.data(v, true)
		if err != nil || omit {
			return err
		}
		return appendField(&out, name, val)
	}
	if d.Kind == spec.DataMap {
		for i, k := range d.Keys {
			if err := add(k, d.Vals[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	for _, it := range d.Items {
		name, val, err := s.namedEntry(it, "form field")
		if err != nil {
			return nil, err
		}
		if val == nil {
			continue
		}
		if err := add(name, val); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendField adds a field per value: a list repeats the name, a map is
// compact JSON, a scalar its text.
func appendField(out *[]formField, name string, v any) error {
	if v == nil {
		return nil
	}
	if items, ok := v.([]any); ok {
		for _, it := range items {
			if err := appendField(out, name, it); err != nil {
				return err
			}
		}
		return nil
	}
	str, err := jsonv.Render(v)
	if err != nil {
		return &spec.Error{Kind: spec.KindRequest, Msg: "form field " + name + ": " + err.Error()}
	}
	*out = append(*out, formField{name, str})
	return nil
}

// namedEntry reads a {name, value} entry of a list; value is nil when the
// entry has none.
func (s *scope) namedEntry(it *spec.Data, what string) (string, *spec.Data, error) {
	if it.Kind != spec.DataMap {
		return "", nil, &spec.Error{Kind: spec.KindSpec, Pos: it.Pos, Msg: "a " + what + " must be a mapping with `name` and `value`"}
	}
	var name string
	var val *spec.Data
	for i, k := range it.Keys {
		switch k {
		case "name":
			n, err := s.bodyText(it.Vals[i])
			if err != nil {
				return "", nil, err
			}
			name = n
		case "value":
			val = it.Vals[i]
		}
	}
	if name == "" {
		return "", nil, &spec.Error{Kind: spec.KindSpec, Pos: it.Pos, Msg: "a " + what + " has no `name`"}
	}
	return name, val, nil
}

// encodeForm writes application/x-www-form-urlencoded: space as +, + as
// %2B, every byte outside the unreserved set percent-encoded.
func encodeForm(fields []formField) []byte {
	var b bytes.Buffer
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f.value))
	}
	return b.Bytes()
}

// paramBody builds the body from the in: body parameters, in the encoding
// of typ (SPEC.md §6.8).
func (e *Engine) paramBody(s *scope, pr *Prepared, typ string, cfg *callConfig, setType func(string)) error {
	var params []*param
	for _, q := range s.p.Params {
		if q.In == "body" {
			params = append(params, q)
		}
	}
	if len(params) == 0 {
		return nil
	}
	switch typ {
	case "formUrlEncoded":
		return formParamBody(s, pr, params, setType)
	case "multipartForm":
		return e.multipartParamBody(s, pr, params, cfg, setType)
	case "text", "xml", "sparql", "binary":
		return textParamBody(s, pr, params, textBodyType(typ), setType)
	case "json":
		return jsonBody(s, pr, params, setType)
	}
	b := s.p.Source.Op.Body
	return &spec.Error{Kind: spec.KindSpec, Pos: b.Pos,
		Msg:  "body type `" + typ + "` is not supported by this version of naftiko",
		Hint: bodyTypes, Remedy: spec.RemedyBody}
}

// formParamBody encodes the supplied parameters as a URL-encoded form.
func formParamBody(s *scope, pr *Prepared, params []*param, setType func(string)) error {
	var fields []formField
	for _, q := range params {
		if v, ok := s.vals[q.Name]; ok && v.v != nil {
			if err := appendField(&fields, q.Name, paramValue(v)); err != nil {
				return err
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	pr.Body = encodeForm(fields)
	setType(ctForm)
	return nil
}

// multipartParamBody makes one part per supplied value (one per item of
// a list); --param NAME=@path values become file parts when cfg says so.
func (e *Engine) multipartParamBody(s *scope, pr *Prepared, params []*param, cfg *callConfig, setType func(string)) error {
	var parts []formPart
	for _, q := range params {
		v, ok := s.vals[q.Name]
		if !ok || v.v == nil {
			continue
		}
		items := []any{paramValue(v)}
		if l, isList := v.v.([]any); isList {
			items = l
		}
		for _, it := range items {
			str, err := jsonv.Render(it)
			if err != nil {
				return &spec.Error{Kind: spec.KindRequest, Msg: "parameter " + q.Name + ": " + err.Error()}
			}
			p := formPart{name: q.Name, value: str}
			if err := p.resolveFile(cfg.fileParts, ""); err != nil {
				return err
			}
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return e.multipart(pr, parts, setType)
}

// textParamBody sends a single parameter as the text body, several as a
// JSON object.
func textParamBody(s *scope, pr *Prepared, params []*param, ct string, setType func(string)) error {
	if len(params) == 1 {
		v, ok := s.vals[params[0].Name]
		if !ok || v.v == nil {
			return nil
		}
		str, err := v.render()
		if err != nil {
			return &spec.Error{Kind: spec.KindRequest, Msg: "body: " + err.Error()}
		}
		pr.Body = []byte(str)
		setType(ct)
		return nil
	}
	if err := jsonParamBody(s, pr, params); err != nil || pr.Body == nil {
		return err
	}
	setType(ct)
	return nil
}

// jsonBody sends a single parameter named body as the whole JSON body
// (its text as given for objects and arrays), else one JSON object of the
// supplied parameters.
func jsonBody(s *scope, pr *Prepared, params []*param, setType func(string)) error {
	if len(params) == 1 && params[0].Name == "body" {
		v, ok := s.vals["body"]
		if !ok || v.v == nil {
			return nil
		}
		if v.raw && (params[0].Type == "object" || params[0].Type == "array") {
			pr.Body = []byte(v.text)
		} else {
			data, err := jsonv.Marshal(v.v)
			if err != nil {
				return &spec.Error{Kind: spec.KindRequest, Msg: "body: " + err.Error()}
			}
			pr.Body = data
		}
		setType(ctJSON)
		return nil
	}
	if err := jsonParamBody(s, pr, params); err != nil || pr.Body == nil {
		return err
	}
	setType(ctJSON)
	return nil
}

// paramValue is the value a parameter contributes to a form or a part:
// the caller's own text for scalars given as strings.
func paramValue(v value) any {
	if v.raw {
		switch v.v.(type) {
		case map[string]any, []any:
		default:
			return v.text
		}
	}
	return v.v
}

// jsonParamBody makes one JSON object of the supplied in: body parameters,
// in declaration order; nothing when none is supplied.
func jsonParamBody(s *scope, pr *Prepared, params []*param) error {
	obj := &jsonv.Object{}
	for _, q := range params {
		v, ok := s.vals[q.Name]
		if !ok || v.v == nil {
			continue
		}
		obj.Keys = append(obj.Keys, q.Name)
		obj.Vals = append(obj.Vals, v.v)
	}
	if len(obj.Keys) == 0 {
		return nil
	}
	data, err := obj.MarshalJSON()
	if err != nil {
		return &spec.Error{Kind: spec.KindRequest, Msg: "body: " + err.Error()}
	}
	pr.Body = data
	return nil
}

func rawBodyType(p *plan) string {
	if b := p.Source.Op.Body; b != nil {
		switch b.Type {
		case "text", "xml", "sparql", "binary":
			return textBodyType(b.Type)
		case "formUrlEncoded":
			return ctForm
		}
	}
	return ctJSON
}

// ---------------------------------------------------------------------------
// Multipart bodies.

// formPart is one part of a multipart/form-data body.
type formPart struct {
	name        string
	value       string // the content of a text part, or of a file part without file
	file        string // a file streamed as the content, or ""
	size        int64  // the file's size when it was checked
	filename    string
	hasFilename bool
	contentType string
}

// dataParts renders multipart data: a list of {name, value, filename?,
// contentType?} entries, or a map (one text part per entry).
func (s *scope) dataParts(d *spec.Data, cfg *callConfig) ([]formPart, error) {
	if d.Kind == spec.DataMap {
		return s.mapParts(d)
	}
	if d.Kind != spec.DataList {
		return nil, &spec.Error{Kind: spec.KindSpec, Pos: d.Pos, Msg: "multipartForm `data` must be a list of parts or a mapping"}
	}
	var parts []formPart
	for _, it := range d.Items {
		p, omit, err := s.listPart(it, cfg)
		if err != nil {
			return nil, err
		}
		if !omit {
			parts = append(parts, p)
		}
	}
	return parts, nil
}

// mapParts makes one part per key of a mapping (one per item of a list
// value).
func (s *scope) mapParts(d *spec.Data) ([]formPart, error) {
	var parts []formPart
	for i, k := range d.Keys {
		v, omit, err := s.data(d.Vals[i], true)
		if err != nil {
			return nil, err
		}
		if omit || v == nil {
			continue
		}
		items := []any{v}
		if l, ok := v.([]any); ok {
			items = l
		}
		for _, it := range items {
			str, err := jsonv.Render(it)
			if err != nil {
				return nil, &spec.Error{Kind: spec.KindRequest, Msg: "multipart part " + k + ": " + err.Error()}
			}
			parts = append(parts, formPart{name: k, value: str})
		}
	}
	return parts, nil
}

// listPart makes the part of one entry of a list of parts: its value,
// filename and contentType; a literal @path value is a file relative to
// the capability. omit is set when its value is absent.
func (s *scope) listPart(it *spec.Data, cfg *callConfig) (p formPart, omit bool, err error) {
	name, val, err := s.namedEntry(it, "multipart part")
	if err != nil {
		return p, false, err
	}
	p.name = name
	literal := false
	if val != nil {
		v, omit, err := s.data(val, true)
		if err != nil || omit {
			return p, omit, err
		}
		str, err := jsonv.Render(v)
		if err != nil {
			return p, false, &spec.Error{Kind: spec.KindRequest, Msg: "multipart part " + name + ": " + err.Error()}
		}
		p.value = str
		literal = val.Kind == spec.DataString && (val.Tmpl == nil || val.Tmpl.IsLiteral())
	}
	for i, k := range it.Keys {
		switch k {
		case "filename", "fileName":
			fn, err := s.bodyText(it.Vals[i])
			if err != nil {
				return p, false, err
			}
			p.filename, p.hasFilename = fn, true
		case "contentType":
			ct, err := s.bodyText(it.Vals[i])
			if err != nil {
				return p, false, err
			}
			p.contentType = ct
		}
	}
	dir := ""
	if literal {
		dir = s.e.cap.Dir
	}
	err = p.resolveFile(cfg.fileParts || literal, dir)
	return p, false, err
}

// resolveFile turns a value of the form @path into a file part when files
// are allowed (a leading @@ stands for a literal @); relative paths are
// resolved against dir ("" = the working directory).
func (p *formPart) resolveFile(allowed bool, dir string) error {
	if !allowed || !strings.HasPrefix(p.value, "@") {
		return nil
	}
	if strings.HasPrefix(p.value, "@@") {
		p.value = p.value[1:]
		return nil
	}
	path := p.value[1:]
	if path == "" || path == "-" {
		return nil
	}
	if dir != "" && !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	st, err := os.Stat(path)
	if err != nil {
		return &spec.Error{Kind: spec.KindUsage, Msg: "multipart part " + p.name + ": " + err.Error()}
	}
	if st.IsDir() {
		return &spec.Error{Kind: spec.KindUsage, Msg: "multipart part " + p.name + ": " + path + " is a directory"}
	}
	if !st.Mode().IsRegular() {
		// A file part is announced with its size and streamed when sent;
		// a pipe has neither a size nor, without a writer, an end.
		return &spec.Error{Kind: spec.KindUsage, Msg: "multipart part " + p.name + ": " + path + " is " + spec.FileKind(st.Mode()) +
			", not a regular file", Hint: "save it to a file first", Inputs: []string{p.name}, Remedy: spec.RemedyText}
	}
	p.file, p.size, p.value = path, st.Size(), ""
	if !p.hasFilename {
		p.filename, p.hasFilename = filepath.Base(path), true
	}
	return nil
}

// header returns the part's MIME header. Names and file names are
// escaped as browsers do (WHATWG): " as %22, CR as %0D, LF as %0A.
func (p *formPart) header() textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	cd := `form-data; name="` + escapeDisposition(p.name) + `"`
	if p.hasFilename {
		cd += `; filename="` + escapeDisposition(p.filename) + `"`
	}
	h.Set("Content-Disposition", cd)
	ct := p.contentType
	if ct == "" && p.hasFilename {
		ct = typeByExtension(filepath.Ext(p.filename))
	}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	return h
}

var dispositionEscaper = strings.NewReplacer("\"", "%22", "\r", "%0D", "\n", "%0A")

func escapeDisposition(s string) string { return dispositionEscaper.Replace(s) }

// multipartBody is a multipart/form-data body with file parts: it is
// written while it is sent, through a pipe, and never held in memory; each
// open starts over (a resend reopens the files).
type multipartBody struct {
	boundary string
	parts    []formPart
	length   int64
}

// multipart sets pr's body to parts: in memory when no part is a file,
// else a streamed multipartBody whose length is computed up front.
func (e *Engine) multipart(pr *Prepared, parts []formPart, setType func(string)) error {
	var rnd [24]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return &spec.Error{Kind: spec.KindInternal, Msg: "cannot make a multipart boundary: " + err.Error()}
	}
	m := &multipartBody{boundary: "naftiko-" + hex.EncodeToString(rnd[:]), parts: parts}
	for _, p := range parts {
		if ct := p.contentType; strings.ContainsAny(ct, "\r\n") {
			return &spec.Error{Kind: spec.KindRequest, Msg: "multipart part " + p.name + ": contentType contains a CR or LF character"}
		}
	}
	setType(ctMultipart + m.boundary)
	streamed := false
	for _, p := range parts {
		if p.file != "" {
			streamed = true
		}
	}
	if !streamed {
		var b bytes.Buffer
		if err := m.write(&b, nil); err != nil {
			return &spec.Error{Kind: spec.KindRequest, Msg: "multipart body: " + err.Error()}
		}
		pr.Body = b.Bytes()
		return nil
	}
	var c countingWriter
	if err := m.write(&c, &c); err != nil {
		return &spec.Error{Kind: spec.KindRequest, Msg: "multipart body: " + err.Error()}
	}
	m.length = c.n
	pr.ext().stream = m
	return nil
}

// write writes the body to w. With count set (w being count), file
// contents are counted from their size instead of being read, to compute
// the length.
func (m *multipartBody) write(w io.Writer, count *countingWriter) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(m.boundary); err != nil {
		return err
	}
	for _, p := range m.parts {
		pw, err := mw.CreatePart(p.header())
		if err != nil {
			return err
		}
		switch {
		case p.file == "":
			_, err = io.WriteString(pw, p.value)
		case count != nil:
			count.n += p.size
		default:
			var f *os.File
			f, err = os.Open(p.file)
			if err != nil {
				return err
			}
			var n int64
			n, err = io.Copy(pw, f)
			f.Close()
			if err == nil && n != p.size {
				err = fmt.Errorf("%s changed size while it was being sent (%d bytes, then %d)", p.file, p.size, n)
			}
		}
		if err != nil {
			return err
		}
	}
	return mw.Close()
}

// open starts writing the body into a pipe and returns its reading end.
// Closing the reader stops the writer.
func (m *multipartBody) open() io.ReadCloser {
	r, w := io.Pipe()
	go func() { w.CloseWithError(m.write(w, nil)) }()
	return r
}

// preview is the body as --dry-run prints it: file contents replaced by a
// note naming the file.
func (m *multipartBody) preview() string {
	c := *m
	c.parts = make([]formPart, len(m.parts))
	for i, p := range m.parts {
		if p.file != "" {
			p.value = fmt.Sprintf("<contents of %s, %d bytes>", p.file, p.size)
			p.file = ""
		}
		c.parts[i] = p
	}
	var b bytes.Buffer
	c.write(&b, nil)
	return b.String()
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// partTypes are the Content-Types of common file extensions, fixed so that
// a file part is labelled the same on every machine; other extensions fall
// back to the system's table, then to application/octet-stream.
var partTypes = map[string]string{
	".csv": "text/csv; charset=utf-8", ".tsv": "text/tab-separated-values; charset=utf-8",
	".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
	".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
	".json": "application/json", ".xml": "application/xml", ".yaml": "application/yaml", ".yml": "application/yaml",
	".pdf": "application/pdf", ".zip": "application/zip", ".gz": "application/gzip",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".svg": "image/svg+xml", ".webp": "image/webp",
}

// typeByExtension returns the Content-Type of a file part.
func typeByExtension(ext string) string {
	if ct, ok := partTypes[strings.ToLower(ext)]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return ctOctet
}

// bodyTypes is the hint of an unsupported body type; callers that can take
// a body as is add their way of passing one (spec.RemedyBody).
const bodyTypes = "use json, text, xml, sparql, formUrlEncoded, multipartForm or binary"
