package decode

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// selector is a compiled CSS selector list, used to scope the tables of an
// html response (outputSchema, SPEC.md §9.1). Supported: type selectors
// and *, #id, .class, [attr], [attr=value] (and ~= ^= $= *= |=, with an
// optional i flag), the descendant and > combinators, :nth-of-type(),
// :nth-child(), :nth-last-of-type(), :nth-last-child() (an+b, odd, even),
// :first-child, :last-child, :only-child, :first-of-type, :last-of-type,
// :only-of-type, and , lists.
type selector struct {
	src  string
	list []complexSel
	// parts is the total number of compounds, the size of match state.
	parts int
}

// complexSel is compounds joined by combinators; parts[0].comb is 0.
type complexSel struct {
	parts []selPart
	// off is this selector's offset in the flat match state.
	off int
}

type selPart struct {
	comb byte // 0 (first), ' ' (descendant) or '>' (child)
	c    compound
}

type compound struct {
	tag     string // lower case; "" matches any element
	ids     []string
	classes []string
	attrs   []attrSel
	pseudos []pseudoSel
}

type attrSel struct {
	name string // lower case
	op   string // "" (presence), "=", "~=", "^=", "$=", "*=", "|="
	val  string
	fold bool
}

type pseudoSel struct {
	kind   string // nth-child, nth-last-child, nth-of-type, nth-last-of-type, only-child, only-of-type
	a, b   int
	ofType bool
	last   bool
	only   bool
}

// compileSelector parses a selector list; the error says what is wrong
// and where.
func compileSelector(src string) (*selector, error) {
	p := &selParser{s: src}
	sel := &selector{src: src}
	for {
		p.skipSpace()
		cs, err := p.complex()
		if err != nil {
			return nil, err
		}
		cs.off = sel.parts
		sel.parts += len(cs.parts)
		sel.list = append(sel.list, cs)
		p.skipSpace()
		if p.eof() {
			break
		}
		if p.peek() != ',' {
			return nil, p.errorf("unexpected %q", p.peekRune())
		}
		p.i++
	}
	return sel, nil
}

type selParser struct {
	s string
	i int
}

func (p *selParser) eof() bool  { return p.i >= len(p.s) }
func (p *selParser) peek() byte { return p.s[p.i] }
func (p *selParser) peekRune() string {
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return string(r)
}

func (p *selParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *selParser) skipSpace() bool {
	start := p.i
	for !p.eof() && isCSSSpace(p.peek()) {
		p.i++
	}
	return p.i > start
}

func isCSSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func (p *selParser) complex() (complexSel, error) {
	var cs complexSel
	var comb byte
	for {
		c, err := p.compound()
		if err != nil {
			return cs, err
		}
		cs.parts = append(cs.parts, selPart{comb: comb, c: c})
		if len(cs.parts) > 64 {
			return cs, p.errorf("too many compound selectors")
		}
		space := p.skipSpace()
		if p.eof() || p.peek() == ',' {
			return cs, nil
		}
		switch p.peek() {
		case '>':
			p.i++
			p.skipSpace()
			comb = '>'
		case '+', '~':
			return cs, p.errorf("the %q combinator is not supported", p.peek())
		default:
			if !space {
				return cs, p.errorf("unexpected %q", p.peekRune())
			}
			comb = ' '
		}
	}
}

func (p *selParser) compound() (compound, error) {
	var c compound
	start := p.i
	if !p.eof() && p.peek() == '*' {
		p.i++
	} else if !p.eof() && isIdentStart(p.s[p.i:]) {
		c.tag = strings.ToLower(p.ident())
	}
	for !p.eof() {
		switch p.peek() {
		case '#':
			p.i++
			id := p.ident()
			if id == "" {
				return c, p.errorf("expected a name after #")
			}
			c.ids = append(c.ids, id)
		case '.':
			p.i++
			cl := p.ident()
			if cl == "" {
				return c, p.errorf("expected a class name after .")
			}
			c.classes = append(c.classes, cl)
		case '[':
			a, err := p.attr()
			if err != nil {
				return c, err
			}
			c.attrs = append(c.attrs, a)
		case ':':
			ps, err := p.pseudo()
			if err != nil {
				return c, err
			}
			c.pseudos = append(c.pseudos, ps)
		default:
			if p.i == start {
				if p.eof() {
					return c, p.errorf("expected a selector")
				}
				return c, p.errorf("unexpected %q", p.peekRune())
			}
			return c, nil
		}
	}
	if p.i == start {
		return c, p.errorf("expected a selector")
	}
	return c, nil
}

// isIdentStart reports whether s starts with a CSS name character or an
// escape. Leading digits are accepted (project leniency).
func isIdentStart(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '\\' && len(s) > 1 || isNameByte(c)
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// ident reads a CSS name, resolving backslash escapes.
func (p *selParser) ident() string {
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		switch {
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			b.WriteString(p.escape())
		case isNameByte(c):
			b.WriteByte(c)
			p.i++
		default:
			return b.String()
		}
	}
	return b.String()
}

// escape reads what follows a backslash: up to six hex digits and an
// optional space, or one literal character.
func (p *selParser) escape() string {
	j := p.i
	for j < len(p.s) && j-p.i < 6 && isHex(p.s[j]) {
		j++
	}
	if j > p.i {
		n, _ := strconv.ParseUint(p.s[p.i:j], 16, 32)
		p.i = j
		if !p.eof() && isCSSSpace(p.peek()) {
			p.i++
		}
		r := rune(n)
		if n == 0 || n > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
			r = utf8.RuneError
		}
		return string(r)
	}
	r, size := utf8.DecodeRuneInString(p.s[p.i:])
	p.i += size
	return string(r)
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func (p *selParser) attr() (attrSel, error) {
	p.i++ // [
	p.skipSpace()
	var a attrSel
	a.name = strings.ToLower(p.ident())
	if a.name == "" {
		return a, p.errorf("expected an attribute name")
	}
	p.skipSpace()
	if p.eof() {
		return a, p.errorf("missing ]")
	}
	if p.peek() == ']' {
		p.i++
		return a, nil
	}
	for _, op := range []string{"=", "~=", "^=", "$=", "*=", "|="} {
		if strings.HasPrefix(p.s[p.i:], op) {
			a.op = op
			p.i += len(op)
			break
		}
	}
	if a.op == "" {
		return a, p.errorf("unexpected %q in an attribute selector", p.peekRune())
	}
	p.skipSpace()
	if p.eof() {
		return a, p.errorf("missing attribute value")
	}
	if q := p.peek(); q == '"' || q == '\'' {
		v, err := p.str(q)
		if err != nil {
			return a, err
		}
		a.val = v
	} else {
		a.val = p.ident()
		if a.val == "" {
			return a, p.errorf("expected an attribute value")
		}
	}
	p.skipSpace()
	if !p.eof() && (p.peek() == 'i' || p.peek() == 'I' || p.peek() == 's' || p.peek() == 'S') {
		a.fold = p.peek() == 'i' || p.peek() == 'I'
		p.i++
		p.skipSpace()
	}
	if p.eof() || p.peek() != ']' {
		return a, p.errorf("missing ]")
	}
	p.i++
	return a, nil
}

// str reads a quoted string.
func (p *selParser) str(q byte) (string, error) {
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		switch {
		case c == q:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			if p.peek() == '\n' {
				p.i++
				continue
			}
			b.WriteString(p.escape())
		case c == '\n':
			return "", p.errorf("newline in a string")
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *selParser) pseudo() (pseudoSel, error) {
	p.i++ // :
	if !p.eof() && p.peek() == ':' {
		return pseudoSel{}, p.errorf("pseudo-elements are not supported")
	}
	name := strings.ToLower(p.ident())
	ps := pseudoSel{kind: name}
	switch name {
	case "first-child":
		ps.a, ps.b = 0, 1
	case "last-child":
		ps.a, ps.b, ps.last = 0, 1, true
	case "only-child":
		ps.only = true
	case "first-of-type":
		ps.a, ps.b, ps.ofType = 0, 1, true
	case "last-of-type":
		ps.a, ps.b, ps.ofType, ps.last = 0, 1, true, true
	case "only-of-type":
		ps.only, ps.ofType = true, true
	case "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type":
		ps.ofType = strings.HasSuffix(name, "of-type")
		ps.last = strings.Contains(name, "last")
		if p.eof() || p.peek() != '(' {
			return ps, p.errorf(":%s needs an argument such as (2)", name)
		}
		p.i++
		end := strings.IndexByte(p.s[p.i:], ')')
		if end < 0 {
			return ps, p.errorf("missing )")
		}
		a, b, ok := parseNth(p.s[p.i : p.i+end])
		if !ok {
			return ps, p.errorf(":%s(%s): expected an integer, odd, even or an+b", name, p.s[p.i:p.i+end])
		}
		ps.a, ps.b = a, b
		p.i += end + 1
	case "":
		return ps, p.errorf("expected a pseudo-class name after :")
	default:
		return ps, p.errorf("the pseudo-class :%s is not supported", name)
	}
	return ps, nil
}

// parseNth parses the argument of :nth-*(): odd, even, an integer, or
// an+b.
func parseNth(s string) (a, b int, ok bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	switch s {
	case "odd":
		return 2, 1, true
	case "even":
		return 2, 0, true
	case "":
		return 0, 0, false
	}
	i := strings.IndexByte(s, 'n')
	if i < 0 {
		n, err := strconv.Atoi(s)
		return 0, n, err == nil && len(s) < 10
	}
	switch coef := s[:i]; coef {
	case "", "+":
		a = 1
	case "-":
		a = -1
	default:
		n, err := strconv.Atoi(coef)
		if err != nil || len(coef) > 9 {
			return 0, 0, false
		}
		a = n
	}
	rest := s[i+1:]
	if rest == "" {
		return a, 0, true
	}
	if rest[0] != '+' && rest[0] != '-' || len(rest) > 10 {
		return 0, 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil {
		return 0, 0, false
	}
	return a, n, true
}

// nthMatch reports whether the 1-based position pos is a*n+b for some
// n >= 0.
func nthMatch(a, b, pos int) bool {
	if a == 0 {
		return pos == b
	}
	d := pos - b
	return d%a == 0 && d/a >= 0
}

// sibInfo is an element's position among its element siblings.
type sibInfo struct {
	idx, count         int // 1-based, among all element siblings
	idxType, countType int // among siblings of the same tag
}

func (c *compound) match(n *html.Node, si sibInfo) bool {
	if c.tag != "" && n.Data != c.tag {
		return false
	}
	for _, id := range c.ids {
		if v, ok := attrValue(n, "id"); !ok || v != id {
			return false
		}
	}
	for _, cl := range c.classes {
		v, _ := attrValue(n, "class")
		found := false
		for _, f := range strings.Fields(v) {
			if f == cl {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	for _, a := range c.attrs {
		v, ok := attrValue(n, a.name)
		if !ok || !a.matches(v) {
			return false
		}
	}
	for _, ps := range c.pseudos {
		idx, count := si.idx, si.count
		if ps.ofType {
			idx, count = si.idxType, si.countType
		}
		if ps.only {
			if count != 1 {
				return false
			}
			continue
		}
		if ps.last {
			idx = count - idx + 1
		}
		if !nthMatch(ps.a, ps.b, idx) {
			return false
		}
	}
	return true
}

func (a *attrSel) matches(v string) bool {
	want := a.val
	if a.fold {
		v, want = strings.ToLower(v), strings.ToLower(want)
	}
	switch a.op {
	case "":
		return true
	case "=":
		return v == want
	case "~=":
		for _, f := range strings.Fields(v) {
			if f == want {
				return true
			}
		}
		return false
	case "^=":
		return want != "" && strings.HasPrefix(v, want)
	case "$=":
		return want != "" && strings.HasSuffix(v, want)
	case "*=":
		return want != "" && strings.Contains(v, want)
	case "|=":
		return v == want || strings.HasPrefix(v, want+"-")
	}
	return false
}

func attrValue(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// selectAll returns the elements under root that the selector matches, in
// document order. It walks the tree once, top-down and without recursion,
// carrying for every compound whether the parent, or some ancestor, ends a
// match of the selector's prefix up to it: O(elements × compounds) however
// deep the document.
func (s *selector) selectAll(root *html.Node) []*html.Node {
	type frame struct {
		n        *html.Node
		si       sibInfo
		anc, par []bool
	}
	var out []*html.Node
	none := make([]bool, s.parts)
	var stack []frame
	push := func(parent *html.Node, anc, par []bool) {
		// Sibling positions, counted in one pass over the children.
		total := 0
		perTag := map[string]int{}
		for c := parent.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				total++
				perTag[c.Data]++
			}
		}
		seen := map[string]int{}
		var kids []frame
		i := 0
		for c := parent.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			i++
			seen[c.Data]++
			kids = append(kids, frame{n: c, si: sibInfo{idx: i, count: total, idxType: seen[c.Data], countType: perTag[c.Data]}, anc: anc, par: par})
		}
		for j := len(kids) - 1; j >= 0; j-- {
			stack = append(stack, kids[j])
		}
	}
	push(root, none, none)
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m := make([]bool, s.parts)
		matched := false
		for _, cs := range s.list {
			for i, part := range cs.parts {
				k := cs.off + i
				ok := true
				switch part.comb {
				case ' ':
					ok = f.anc[k-1]
				case '>':
					ok = f.par[k-1]
				}
				m[k] = ok && part.c.match(f.n, f.si)
			}
			if m[cs.off+len(cs.parts)-1] {
				matched = true
			}
		}
		if matched {
			out = append(out, f.n)
		}
		if f.n.FirstChild != nil {
			anc := m
			for k := range m {
				if f.anc[k] && !m[k] {
					anc = make([]bool, s.parts)
					for j := range m {
						anc[j] = m[j] || f.anc[j]
					}
					break
				}
			}
			push(f.n, anc, m)
		}
	}
	return out
}
