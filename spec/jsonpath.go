package spec

import (
	"fmt"
	"strings"

	"github.com/ohler55/ojg/jp"
)

// Path is a JSONPath expression compiled once at load (SPEC.md §9.2).
type Path struct {
	// Src is the expression as written.
	Src string
	// Pos is where it was written.
	Pos Pos

	root     bool
	definite bool
	expr     jp.Expr
}

// CompilePath compiles a JSONPath. "$" and "$." both select the root; a
// name written after a dot is a member name up to the next ".", "[" or "("
// whatever characters it holds ("$.get-ship.assignedCrew",
// "$.user details.email", "$.@type"), as the reference engine reads it; see
// dottedNames.
func CompilePath(src string, pos Pos) (p *Path, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("invalid JSONPath %q", src)
		}
	}()
	s := strings.TrimSpace(src)
	p = &Path{Src: src, Pos: pos}
	if s == "$" || s == "$." || s == "" {
		p.root, p.definite = true, true
		return p, nil
	}
	if !strings.HasPrefix(s, "$") && !strings.HasPrefix(s, "@") {
		// A bare name is read as a child of the root.
		s = "$." + s
	}
	s = dottedNames(s)
	expr, err := jp.ParseString(s)
	if err != nil {
		return nil, fmt.Errorf("invalid JSONPath %q: %v", src, err)
	}
	p.expr = expr
	p.definite = true
	for _, f := range expr {
		switch f.(type) {
		case jp.Root, jp.At, jp.Child, jp.Nth, jp.Bracket:
		default:
			p.definite = false
		}
	}
	return p, nil
}

// IsRoot reports whether the path selects the whole document.
func (p *Path) IsRoot() bool { return p.root }

// Definite reports whether the path selects at most one node.
func (p *Path) Definite() bool { return p.definite }

// Get evaluates the path against a JSON-typed tree (map[string]any, []any,
// scalars). A definite path yields its match or nil; an indefinite one a
// list of every match (possibly empty).
func (p *Path) Get(tree any) any {
	if p.root {
		return tree
	}
	if p.definite {
		return p.expr.First(tree)
	}
	got := p.expr.Get(tree)
	if got == nil {
		got = []any{}
	}
	return got
}

// dottedNames rewrites, outside brackets, parentheses and quotes, every
// dotted member name that RFC 9535 (and ojg) would not read as a name into
// the bracket form that means the same member: "$.get-ship.a" becomes
// "$['get-ship'].a". A dotted name runs to the next ".", "[" or "(" (a
// following "(" makes it a function call, left alone), so it may hold "-",
// spaces, "@", "$", ":", "/" and any other character. "*" after a dot stays
// the wildcard; bracket forms are untouched and keep their RFC meaning.
func dottedNames(s string) string {
	var b strings.Builder
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			}
			continue
		case c == '\'' || c == '"':
			quote = c
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
		case c == '.' && depth == 0:
			i = dottedName(&b, s, i)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// dottedName writes the dot (or "..") at s[i] and the name after it,
// bracketed when needed, and returns the index of the name's last byte.
func dottedName(b *strings.Builder, s string, i int) int {
	dots := "."
	if i+1 < len(s) && s[i+1] == '.' {
		dots = ".."
	}
	start := i + len(dots)
	end := start
	for end < len(s) && s[end] != '.' && s[end] != '[' && s[end] != '(' {
		end++
	}
	name := s[start:end]
	if name == "" || name == "*" || (end < len(s) && s[end] == '(') || plainName(name) {
		b.WriteString(dots)
		b.WriteString(name)
		return end - 1
	}
	if dots == ".." {
		b.WriteString("..")
	}
	b.WriteString("['")
	for k := 0; k < len(name); k++ {
		if name[k] == '\'' || name[k] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(name[k])
	}
	b.WriteString("']")
	return end - 1
}

// plainName reports whether ojg reads name after a dot as exactly that
// member name: letters, digits, "_" and non-ASCII bytes.
func plainName(name string) bool {
	for k := 0; k < len(name); k++ {
		c := name[k]
		if c < 0x80 && c != '_' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}
