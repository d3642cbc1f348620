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
// property containing spaces ("$.user details.email") is read as bracket
// notation.
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
	if strings.HasPrefix(s, "$.") && strings.ContainsRune(s, ' ') && !strings.ContainsAny(s, "[]'\"()?*") {
		var b strings.Builder
		b.WriteString("$")
		for _, seg := range strings.Split(s[2:], ".") {
			b.WriteString("['")
			b.WriteString(seg)
			b.WriteString("']")
		}
		s = b.String()
	}
	if !strings.HasPrefix(s, "$") && !strings.HasPrefix(s, "@") {
		// A bare name is read as a child of the root.
		s = "$." + s
	}
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
