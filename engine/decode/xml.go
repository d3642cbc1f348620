package decode

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// decodeXML converts an XML document into a tree (SPEC.md §9.1, XML
// conversion):
//
//   - the root element is dropped: the result is the root's content;
//   - an element with neither attributes nor child elements is its text,
//     typed (typedScalar);
//   - child elements become fields named by their local name, repeated
//     siblings a list in document order;
//   - attributes become fields of their local name, "@name" when a child
//     element has the same name; namespace declarations (xmlns, xmlns:p)
//     are not data and are left out (project decision);
//   - the non-blank text of an element with attributes or children is the
//     field "#text", trimmed;
//   - CDATA is text; comments, processing instructions and DTDs are
//     ignored; only the XML built-in entities are expanded.
//
// The tree is built with an explicit stack, so nesting depth cannot
// exhaust the goroutine stack.
func decodeXML(body []byte) (any, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = xmlCharset
	var stack []*xmlFrame
	var root any
	done := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if done {
				return nil, fmt.Errorf("XML syntax error on line %d: a second root element <%s>", lineOf(d, body), t.Name.Local)
			}
			f := &xmlFrame{name: t.Name.Local}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				f.attrs = append(f.attrs, a)
			}
			stack = append(stack, f)
		case xml.EndElement:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			v := f.value()
			if len(stack) == 0 {
				root, done = v, true
				continue
			}
			stack[len(stack)-1].add(f.name, v)
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) > 0 {
					return nil, fmt.Errorf("XML syntax error on line %d: text outside the root element", lineOf(d, body))
				}
				continue
			}
			stack[len(stack)-1].text.Write(t)
		}
	}
	if !done {
		return nil, errors.New("XML syntax error: no root element")
	}
	return root, nil
}

// lineOf returns the line the decoder has reached.
func lineOf(d *xml.Decoder, body []byte) int {
	off := d.InputOffset()
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	return bytes.Count(body[:off], []byte("\n")) + 1
}

// xmlFrame is an element being read.
type xmlFrame struct {
	name  string
	attrs []xml.Attr
	kids  map[string]any
	text  strings.Builder
}

// add stores a child element's value; a repeated name becomes a list.
// Element values are never lists themselves, so a list found under a name
// is always one this function made.
func (f *xmlFrame) add(name string, v any) {
	if f.kids == nil {
		f.kids = make(map[string]any, 4)
	}
	old, ok := f.kids[name]
	if !ok {
		f.kids[name] = v
		return
	}
	if list, isList := old.([]any); isList {
		f.kids[name] = append(list, v)
		return
	}
	f.kids[name] = []any{old, v}
}

// value converts a finished element.
func (f *xmlFrame) value() any {
	if len(f.attrs) == 0 && f.kids == nil {
		return typedScalar(f.text.String())
	}
	m := make(map[string]any, len(f.kids)+len(f.attrs)+1)
	for k, v := range f.kids {
		m[k] = v
	}
	for _, a := range f.attrs {
		name := a.Name.Local
		if _, clash := f.kids[name]; clash {
			name = "@" + name
		}
		if _, dup := m[name]; dup {
			continue // a:id and b:id: the first one is kept
		}
		m[name] = typedScalar(a.Value)
	}
	if t := strings.TrimSpace(f.text.String()); t != "" {
		m["#text"] = typedScalar(t)
	}
	return m
}

// xmlCharset decodes the single-byte encodings XML documents commonly
// declare besides UTF-8: US-ASCII, ISO-8859-1 and windows-1252.
func xmlCharset(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1":
		return &singleByteReader{r: bufio.NewReader(input)}, nil
	case "windows-1252", "cp1252":
		return &singleByteReader{r: bufio.NewReader(input), cp1252: true}, nil
	}
	return nil, fmt.Errorf("the document's encoding %q is not supported (use UTF-8)", charset)
}

// cp1252 maps windows-1252 bytes 0x80–0x9F; 0 marks an unassigned byte
// (kept as its ISO-8859-1 code point).
var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// singleByteReader re-encodes ISO-8859-1 (or windows-1252) as UTF-8.
type singleByteReader struct {
	r      *bufio.Reader
	cp1252 bool
	pend   []byte
}

func (s *singleByteReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.pend) > 0 {
			c := copy(p[n:], s.pend)
			n += c
			s.pend = s.pend[c:]
			continue
		}
		b, err := s.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		r := rune(b)
		if s.cp1252 && b >= 0x80 && b <= 0x9F && cp1252[b-0x80] != 0 {
			r = cp1252[b-0x80]
		}
		if r < utf8.RuneSelf {
			p[n] = byte(r)
			n++
			continue
		}
		s.pend = utf8.AppendRune(s.pend[:0], r)
	}
	return n, nil
}
