package spec

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/naftiko/naftiko/spec/internal/vocab"
)

// ---------------------------------------------------------------------------
// Bodies and data.

// bodyTypes maps lower-cased body type spellings to the internal names;
// dialect spellings report an info.
var bodyTypes = map[string]struct {
	name    string
	dialect bool
}{
	"json":           {"json", false},
	"text":           {"text", false},
	"xml":            {"xml", false},
	"sparql":         {"sparql", false},
	"formurlencoded": {"formUrlEncoded", false},
	"multipartform":  {"multipartForm", false},
	"form":           {"formUrlEncoded", true},
	"multipart":      {"multipartForm", true},
	"binary":         {"binary", true},
}

func (l *loader) body(n *yaml.Node) *Body {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	b := &Body{Pos: l.at(d)}
	switch d.Kind {
	case yaml.ScalarNode:
		b.Data = l.stringData(d)
		return b
	case yaml.SequenceNode:
		b.Type = "json"
		b.Data = l.data(d, true)
		l.info(d, "dialect", "a list `body` is sent as JSON")
		return b
	}
	fs := fieldsOf(d, vocab.FieldsBody)
	typeV, dataV := fs.get("type"), fs.get("data")
	if typeV == nil && dataV == nil {
		b.Type = "json"
		b.Data = l.data(d, true)
		l.info(d, "dialect", "a `body` mapping without `type` and `data` is sent as JSON")
		return b
	}
	l.unknownFields(fs, "`body`")
	if typeV == nil {
		b.Type = "json"
		l.info(d, "dialect", "a `body` without `type` is sent as JSON")
	} else {
		t := strings.TrimSpace(l.str(typeV, "type"))
		bt, ok := bodyTypes[strings.ToLower(t)]
		switch {
		case !ok:
			b.Type = t
			l.warn(typeV, "body-type-unknown", fmt.Sprintf("unknown body type `%s`", t),
				"use json, text, xml, sparql, formUrlEncoded, multipartForm or binary")
		default:
			b.Type = bt.name
			if bt.dialect {
				l.info(typeV, "dialect", fmt.Sprintf("body type `%s` is read as `%s`", t, bt.name))
			}
		}
	}
	if dataV != nil && !isNull(deref(dataV)) {
		b.Data = l.data(dataV, true)
	} else {
		l.info(d, "dialect", fmt.Sprintf("`body: {type: %s}` has no `data`; the body is built from the `in: body` parameters", b.Type))
	}
	return b
}

// stringData returns scalar n as a string Data whose template is parsed.
func (l *loader) stringData(n *yaml.Node) *Data {
	return &Data{Kind: DataString, Text: n.Value, Tmpl: l.template(n, "body", TextTemplate), Pos: l.at(n)}
}

// data converts a YAML value to a Data tree. With tmpl, string leaves are
// parsed as templates.
func (l *loader) data(n *yaml.Node, tmpl bool) *Data {
	d := deref(n)
	out := &Data{Pos: l.at(d)}
	switch d.Kind {
	case yaml.ScalarNode:
		switch tag := tagOf(d); {
		case tag == tagNull && !isQuoted(d):
			out.Kind = DataNull
		case tag == tagBool:
			out.Kind, out.Text = DataBool, strings.ToLower(d.Value)
			if out.Text != "true" && out.Text != "false" {
				out.Kind, out.Text = DataString, d.Value
			}
		case tag == tagInt || tag == tagFloat:
			if t, ok := numberText(d); ok {
				out.Kind, out.Text = DataNumber, t
			} else {
				out.Kind, out.Text = DataString, d.Value
			}
		default:
			out.Kind, out.Text = DataString, d.Value
		}
		if out.Kind == DataString && tmpl {
			out.Tmpl = l.template(d, "value", TextTemplate)
		}
	case yaml.MappingNode:
		out.Kind = DataMap
		ps := pairs(d)
		out.Keys = make([]string, 0, len(ps)/2)
		out.Vals = make([]*Data, 0, len(ps)/2)
		for i := 0; i+1 < len(ps); i += 2 {
			k, ok := keyText(ps[i])
			if !ok {
				l.warn(ps[i], "wrong-kind", fmt.Sprintf("a %s key in structured data is ignored", kindName(ps[i])), "")
				continue
			}
			out.Keys = append(out.Keys, k)
			out.Vals = append(out.Vals, l.data(ps[i+1], tmpl))
		}
	case yaml.SequenceNode:
		out.Kind = DataList
		out.Items = make([]*Data, len(d.Content))
		for i, c := range d.Content {
			out.Items[i] = l.data(c, tmpl)
		}
	default:
		out.Kind = DataNull
	}
	return out
}

// ---------------------------------------------------------------------------
// Headers and templates.

// headers loads a headers mapping ({Name: value}) or list ([{name, value}]
// or ["Name: value"]).
func (l *loader) headers(n *yaml.Node) []*Header {
	d := deref(n)
	if d == nil || isNull(d) {
		return nil
	}
	switch d.Kind {
	case yaml.MappingNode:
		fs := l.namedKeys(d, "a header name must be a non-empty string")
		out := make([]*Header, 0, len(fs))
		for _, f := range fs {
			out = append(out, &Header{Name: f.name, Value: l.template(f.val, f.name, TextTemplate), Pos: l.at(f.key)})
		}
		return out
	case yaml.SequenceNode:
		out := make([]*Header, 0, len(d.Content))
		for _, it := range d.Content {
			e := deref(it)
			switch e.Kind {
			case yaml.MappingNode:
				h := &Header{Pos: l.at(e)}
				name, valueV := l.nameValue(e, "a header", vocab.FieldsHeader)
				h.Name = name
				if h.Name == "" {
					l.elemError(e, "required-field", "a header has no `name`", "")
					continue
				}
				if valueV != nil {
					h.Value = l.template(valueV, "value", TextTemplate)
				} else {
					h.Value = &Template{Pos: h.Pos}
				}
				out = append(out, h)
			case yaml.ScalarNode:
				colon := strings.IndexByte(e.Value, ':')
				name := ""
				if colon > 0 {
					name = strings.TrimSpace(e.Value[:colon])
				}
				if name == "" {
					l.elemError(e, "wrong-kind", fmt.Sprintf("header %q is not written `Name: value`", e.Value), "")
					continue
				}
				rest := e.Value[colon+1:]
				value := strings.TrimLeft(rest, " \t")
				lead := colon + 1 + len(rest) - len(value)
				value = strings.TrimRight(value, " \t")
				start, exact := l.valueStart(e)
				if exact {
					start = l.offsetPos(e, lead)
				}
				t, diags := ParseTemplate(value, start, exact, TextTemplate)
				t.Pos = l.at(e)
				l.templateDiags(diags)
				out = append(out, &Header{Name: name, Value: t, Pos: l.at(e)})
			default:
				l.elemError(it, "wrong-kind", fmt.Sprintf("a header must be a mapping or a `Name: value` string, not a %s", kindName(e)), "")
			}
		}
		return out
	}
	l.elemError(n, "wrong-kind", fmt.Sprintf("`headers` must be a mapping or a list, not a %s", kindName(d)), "")
	return nil
}

// template parses scalar v as a template, with exact placeholder positions
// where SPEC.md §2.1 allows them.
func (l *loader) template(v *yaml.Node, field string, mode TemplateMode) *Template {
	d := deref(v)
	return l.templateText(d, l.str(d, field), mode)
}

// templateText parses s, the text (possibly trimmed at its end) of scalar
// d, as a template.
func (l *loader) templateText(d *yaml.Node, s string, mode TemplateMode) *Template {
	pos := l.at(d)
	start, exact := pos, false
	if d != nil && strings.IndexByte(s, '{') >= 0 {
		start, exact = l.valueStart(d)
	}
	t, diags := ParseTemplate(s, start, exact, mode)
	t.Pos = pos
	l.templateDiags(diags)
	return t
}

func (l *loader) templateDiags(diags []Diagnostic) {
	for _, dg := range diags {
		if dg.Severity <= SeverityError {
			l.elemErrorAt(dg.Pos, dg.Rule, dg.Message, dg.Hint)
		} else {
			l.report(dg.Pos, dg.Severity, dg.Rule, dg.Message, dg.Hint)
		}
	}
}

// binarySize reads a size: a number of bytes, or a number with a unit B,
// KiB, MiB or GiB (ikanos maxBinarySize).
func (l *loader) binarySize(v *yaml.Node) int64 {
	d := deref(v)
	if d == nil || isNull(d) {
		return 0
	}
	s := strings.TrimSpace(l.str(d, "maxBinarySize"))
	if s == "" {
		return 0
	}
	num, mult := s, float64(1)
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || !(f > 0) || f*mult > 1<<62 || strings.ContainsAny(num, "eExXpP_") {
		l.elemError(d, "scalar-type", fmt.Sprintf("`maxBinarySize` must be a size such as 512KiB, 10MiB or 1GiB, not %q", s), "")
		return 0
	}
	return int64(f * mult)
}
