package spec

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Template is text with {{NAME}} placeholders, parsed once at load
// (SPEC.md §5). Rendering never HTML-escapes and never re-scans substituted
// values.
type Template struct {
	// Src is the template text as written.
	Src string
	// Pos is the position of the scalar that holds the template.
	Pos Pos
	// Parts alternate literal text and placeholders, in order.
	Parts []Part
}

// Part is a piece of a Template: literal text when Name is empty, else a
// placeholder.
type Part struct {
	Lit  string
	Name string
	// Pos is the placeholder's position (the scalar's when offsets are not
	// exact).
	Pos Pos
	// Single is true for a single-brace {x} placeholder (URLs only).
	Single bool
}

// TemplateMode selects the placeholder forms a template accepts.
type TemplateMode int

const (
	// TextTemplate accepts only {{NAME}} (and {{{NAME}}}, {{&NAME}}).
	TextTemplate TemplateMode = iota
	// URLTemplate also accepts single-brace {name} placeholders.
	URLTemplate
)

// ParseTemplate parses src. pos is the position of src's first character;
// when exact is false (escaped or multi-line scalars) every placeholder is
// reported at pos itself. Problems are returned as diagnostics; a template
// is always returned, with unparsable constructs kept as literal text.
func ParseTemplate(src string, pos Pos, exact bool, mode TemplateMode) (*Template, []Diagnostic) {
	t := &Template{Src: src, Pos: pos}
	if !strings.Contains(src, "{") {
		if src != "" {
			t.Parts = []Part{{Lit: src}}
		}
		return t, nil
	}
	var diags []Diagnostic
	at := func(off int) Pos {
		if !exact {
			return pos
		}
		p := pos
		p.Col += utf8.RuneCountInString(src[:off])
		return p
	}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.Parts = append(t.Parts, Part{Lit: lit.String()})
			lit.Reset()
		}
	}
	i := 0
	for i < len(src) {
		c := src[i]
		if c != '{' {
			lit.WriteByte(c)
			i++
			continue
		}
		if strings.HasPrefix(src[i:], "{{") {
			name, end, kind := scanDouble(src, i)
			switch kind {
			case tokPlaceholder:
				flush()
				t.Parts = append(t.Parts, Part{Name: name, Pos: at(i)})
				i = end
				continue
			case tokComment:
				i = end
				continue
			case tokSection:
				diags = append(diags, Diagnostic{Pos: at(i), Severity: SeverityError, Rule: "template-section",
					Message: "template sections, inverted sections and partials are not supported: " + src[i:end]})
				lit.WriteString(src[i:end])
				i = end
				continue
			case tokUnclosed:
				diags = append(diags, Diagnostic{Pos: at(i), Severity: SeverityWarning, Rule: "template-unclosed",
					Message: "`{{` has no closing `}}`; it is kept as literal text"})
				lit.WriteString(src[i:])
				i = len(src)
				continue
			default: // not a placeholder, e.g. "{{ }}" or "{{a b}}"
				lit.WriteString("{{")
				i += 2
				continue
			}
		}
		if mode == URLTemplate {
			if j := strings.IndexByte(src[i+1:], '}'); j > 0 {
				name := src[i+1 : i+1+j]
				if validSingleName(name) {
					flush()
					t.Parts = append(t.Parts, Part{Name: name, Pos: at(i), Single: true})
					i += j + 2
					continue
				}
			}
		}
		lit.WriteByte(c)
		i++
	}
	flush()
	return t, diags
}

type tokKind int

const (
	tokNone tokKind = iota
	tokPlaceholder
	tokComment
	tokSection
	tokUnclosed
)

// scanDouble scans a {{…}} construct starting at src[i].
func scanDouble(src string, i int) (name string, end int, kind tokKind) {
	j := i + 2
	triple := strings.HasPrefix(src[j:], "{")
	if triple {
		j++
	}
	close := strings.Index(src[j:], "}}")
	if close < 0 {
		return "", 0, tokUnclosed
	}
	inner := src[j : j+close]
	end = j + close + 2
	if triple {
		if !strings.HasPrefix(src[end:], "}") {
			return "", 0, tokNone
		}
		end++
	}
	if !triple && inner != "" {
		switch inner[0] {
		case '!':
			return "", end, tokComment
		case '#', '^', '/', '>':
			return "", end, tokSection
		case '&':
			inner = inner[1:]
		}
	}
	inner = strings.TrimSpace(inner)
	if inner == "" || strings.IndexFunc(inner, func(r rune) bool { return unicode.IsSpace(r) || r == '{' || r == '}' }) >= 0 {
		return "", 0, tokNone
	}
	return inner, end, tokPlaceholder
}

func validSingleName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || r == '{' || r == '}' || r == '/' || r == '"' || r == ':' || r == ',' {
			return false
		}
	}
	return true
}

// IsLiteral reports whether the template has no placeholder.
func (t *Template) IsLiteral() bool {
	for _, p := range t.Parts {
		if p.Name != "" {
			return false
		}
	}
	return true
}

// Whole returns the placeholder when the template is exactly one
// placeholder and nothing else.
func (t *Template) Whole() (Part, bool) {
	if len(t.Parts) == 1 && t.Parts[0].Name != "" {
		return t.Parts[0], true
	}
	return Part{}, false
}

// Names returns the placeholder names in order of appearance, repeated as
// often as they appear.
func (t *Template) Names() []string {
	var out []string
	for _, p := range t.Parts {
		if p.Name != "" {
			out = append(out, p.Name)
		}
	}
	return out
}

// Render writes the template to b, asking resolve for each placeholder's
// text. The resolved text is written as is: no escaping, no re-scanning.
func (t *Template) Render(b *strings.Builder, resolve func(p Part) (string, error)) error {
	for _, p := range t.Parts {
		if p.Name == "" {
			b.WriteString(p.Lit)
			continue
		}
		s, err := resolve(p)
		if err != nil {
			return err
		}
		b.WriteString(s)
	}
	return nil
}

// String renders the template with resolve and returns the text.
func (t *Template) String(resolve func(p Part) (string, error)) (string, error) {
	if len(t.Parts) == 1 && t.Parts[0].Name == "" {
		return t.Parts[0].Lit, nil
	}
	var b strings.Builder
	if err := t.Render(&b, resolve); err != nil {
		return "", err
	}
	return b.String(), nil
}
